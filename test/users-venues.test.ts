import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestContext, given, uniqueEmail, withWorker, type TestContext, type TestUser } from './support';

describe('user and venue administration, with welcome and assignment messages', () => {
  let ctx: TestContext;
  let admin: TestUser;
  let member: TestUser;

  before(async () => {
    ctx = await createTestContext();
    await withWorker(ctx);
    admin = await ctx.createUser('super_admin');
    member = await ctx.createUser('member');
  });
  after(() => ctx.close());

  it('creates a user who receives a welcome email whose password signs in, and no password reaches workflow history', async () => {
    const email = uniqueEmail('newcomer');
    const created = await ctx.request('POST', '/api/users/', {
      token: admin.token,
      body: { email, full_name: 'Nia <script>alert(1)</script> Newcomer', role: 'member' },
    });
    assert.equal(created.status, 201);
    const user = (await created.json()) as { id: number; email: string; role: string };
    assert.equal(user.email, email);
    assert.equal(user.role, 'member');

    const welcome = await ctx.mailbox.waitFor(email, (mail) => /welcome/i.test(mail.subject), 30_000);
    assert.ok(welcome.html.includes('&lt;script&gt;'), 'the name arrives escaped');
    const password = /Password:\s*(\S+)/.exec(welcome.text)?.[1];
    assert.ok(password && password.length >= 12, 'the text part carries the password');
    assert.match(password, /[A-Z]/);
    assert.match(password, /[a-z]/);
    assert.match(password, /[0-9]/);
    assert.match(password, /[^A-Za-z0-9]/);
    assert.ok(
      welcome.text.includes(`${ctx.config.http.publicBaseUrl}/sign-in`),
      "the email leads to the app's sign-in page",
    );

    const login = await ctx.request('POST', '/api/auth/login', { body: { email, password } });
    assert.equal(login.status, 200);
    const { access } = (await login.json()) as { access: string };
    const me = (await (await ctx.request('GET', '/api/auth/me', { token: access })).json()) as {
      must_change_password: boolean;
    };
    assert.equal(me.must_change_password, true);

    const [notification] = await ctx.db.sql<
      { notification_type: string }[]
    >`select notification_type from notifications where user_id = ${user.id}`;
    assert.equal(notification?.notification_type, 'user_created');

    // The welcome is the onboarding workflow's notice, delivered by its own activity: one history holds all of it.
    for (const workflowId of [`user-onboarding-${user.id}`]) {
      const handle = ctx.deps.temporal.client.workflow.getHandle(workflowId);
      await handle.result();
      const history = await handle.fetchHistory();
      const activities = (history.events ?? []).flatMap(
        (e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? [],
      );
      assert.ok(activities.includes('deliverNotice'), `${workflowId} delivered the welcome email itself`);
      assert.ok(!JSON.stringify(history).includes(password), `${workflowId} history holds no password`);
      const decoded = JSON.stringify(history, (_key, value: unknown) =>
        value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : value,
      );
      assert.ok(!decoded.includes(password), `${workflowId} payloads hold no password`);
    }
    const [logged] = await ctx.db.sql<
      { status: string }[]
    >`select status from email_log where idempotency_key = ${`user:${user.id}:welcome`}`;
    assert.equal(logged?.status, 'sent');
  });

  it('an address corrected before the person ever signed in: welcomed again at the new one with a new password; the first no longer signs in', async () => {
    const typo = uniqueEmail('typo');
    const created = await ctx.request('POST', '/api/users/', {
      token: admin.token,
      body: { email: typo, full_name: 'Tia Typo', role: 'member' },
    });
    assert.equal(created.status, 201);
    const { id } = (await created.json()) as { id: number };
    const first = await ctx.mailbox.waitFor(typo, (mail) => /welcome/i.test(mail.subject), 30_000);
    const firstPassword = /Password:\s*(\S+)/.exec(first.text)![1]!;

    // A taken address with another change: 409, and nothing of the request is kept.
    const taken = await ctx.request('PATCH', `/api/users/${id}`, {
      token: admin.token,
      body: { email: member.email, full_name: 'Tia Renamed' },
    });
    assert.equal(taken.status, 409);
    const [unchanged] = await ctx.db.sql<
      { full_name: string; email: string }[]
    >`select full_name, email from users where id = ${id}`;
    assert.deepEqual(
      { ...unchanged },
      { full_name: 'Tia Typo', email: typo },
      'one transaction: the name stays with the address',
    );

    const fixed = uniqueEmail('fixed');
    const corrected = await ctx.request('PATCH', `/api/users/${id}`, {
      token: admin.token,
      body: { email: fixed, full_name: 'Tia Fixed' },
    });
    assert.equal(corrected.status, 200, await corrected.clone().text());
    const again = await ctx.mailbox.waitFor(fixed, (mail) => /welcome/i.test(mail.subject), 30_000);
    assert.match(again.text, /Tia Fixed/);
    const newPassword = /Password:\s*(\S+)/.exec(again.text)![1]!;
    assert.notEqual(newPassword, firstPassword);
    assert.equal(
      (await ctx.request('POST', '/api/auth/login', { body: { email: fixed, password: newPassword } })).status,
      200,
      "the new welcome's password signs in",
    );
    assert.equal(
      (await ctx.request('POST', '/api/auth/login', { body: { email: fixed, password: firstPassword } })).status,
      401,
      'the first one, sent to the wrong address, does not',
    );

    // Once the person has set their own password, a new address is only an address: no welcome.
    const member2 = await ctx.createUser('member');
    const moved = uniqueEmail('moved');
    assert.equal(
      (await ctx.request('PATCH', `/api/users/${member2.id}`, { token: admin.token, body: { email: moved } })).status,
      200,
    );
    const [outboxRows] = await ctx.db.sql<
      { count: number }[]
    >`select count(*)::int as count from outbox where workflow_id like ${`user-onboarding-${member2.id}%`}`;
    assert.equal(outboxRows!.count, 0);
  });

  it('answers 409 for a duplicate email in any case, and 400 naming a bad email or role', async () => {
    const taken = await ctx.request('POST', '/api/users', {
      token: admin.token,
      body: { email: member.email.toUpperCase(), full_name: 'Dup', role: 'member' },
    });
    assert.equal(taken.status, 409);
    const badEmail = await ctx.request('POST', '/api/users', {
      token: admin.token,
      body: { email: 'not-an-email', full_name: 'X', role: 'member' },
    });
    assert.equal(badEmail.status, 400);
    assert.match(((await badEmail.json()) as { error: string }).error, /email/);
    const badRole = await ctx.request('POST', '/api/users', {
      token: admin.token,
      body: { email: uniqueEmail(), full_name: 'X', role: 'emperor' },
    });
    assert.equal(badRole.status, 400);
    assert.match(((await badRole.json()) as { error: string }).error, /role/);
  });

  it('keeps users and venue administration to super admins (403 for members and hall admins)', async () => {
    const hallAdmin = await ctx.createUser('hall_admin');
    for (const who of [member, hallAdmin]) {
      assert.equal((await ctx.request('GET', '/api/users/', { token: who.token })).status, 403);
      assert.equal(
        (await ctx.request('POST', '/api/venues/', { token: who.token, body: { name: 'Nope' } })).status,
        403,
      );
    }
    assert.equal((await ctx.request('GET', '/api/venues/', { token: member.token })).status, 200);
  });

  it('creates a venue with the default time zone, assigns a hall admin who is told by email and in-app, and removes them', async () => {
    const created = await ctx.request('POST', '/api/venues/', {
      token: admin.token,
      body: { name: 'LRDC Hall', location: 'Block A', capacity: 120 },
    });
    assert.equal(created.status, 201);
    const venue = (await created.json()) as { id: number; time_zone: string };
    assert.equal(venue.time_zone, 'Asia/Kolkata');
    const badZone = await ctx.request('POST', '/api/venues/', {
      token: admin.token,
      body: { name: 'X', time_zone: 'Mars/Base' },
    });
    assert.equal(badZone.status, 400);

    const notHallAdmin = await ctx.request('POST', `/api/venues/${venue.id}/assign_admin/`, {
      token: admin.token,
      body: { user_id: member.id },
    });
    assert.equal(notHallAdmin.status, 400);

    const hallAdmin = await ctx.createUser('hall_admin');
    const assigned = await ctx.request('POST', `/api/venues/${venue.id}/assign_admin/`, {
      token: admin.token,
      body: { user_id: hallAdmin.id },
    });
    assert.equal(assigned.status, 200);
    const mail = await ctx.mailbox.waitFor(hallAdmin.email, (m) => m.subject.includes('LRDC Hall'), 30_000);
    assert.ok(mail.text.includes('LRDC Hall'));
    const rows = await ctx.db
      .sql`select 1 from notifications where user_id = ${hallAdmin.id} and notification_type = 'venue_assigned'`;
    assert.equal(rows.length, 1);

    const listed = (await (await ctx.request('GET', '/api/venues', { token: member.token })).json()) as Array<{
      id: number;
      admin_ids: number[];
    }>;
    assert.deepEqual(listed.find((v) => v.id === venue.id)?.admin_ids, [hallAdmin.id]);
    assert.equal(
      (await ctx.request('DELETE', `/api/venues/${venue.id}/admins/${hallAdmin.id}/`, { token: admin.token })).status,
      200,
    );
    assert.equal(
      (await ctx.request('DELETE', `/api/venues/${venue.id}/admins/${hallAdmin.id}/`, { token: admin.token })).status,
      404,
    );
  });

  it('a hall admin demoted to member loses their venues at once: no alert for the next booking there, and promoting them again restores none', async () => {
    const venue = await given(ctx).venue({ name: 'Demotion Hall', timeZone: 'Asia/Kolkata' });
    const [demoted, staying] = [
      await ctx.createUser('hall_admin', { fullName: 'Dee Demoted' }),
      await ctx.createUser('hall_admin', { fullName: 'Stella Staying' }),
    ];
    for (const hallAdmin of [demoted, staying]) {
      assert.equal(
        (
          await ctx.request('POST', `/api/venues/${venue.id}/assign_admin/`, {
            token: admin.token,
            body: { user_id: hallAdmin.id },
          })
        ).status,
        200,
      );
    }
    const venueRows = async (userId: number) =>
      (await ctx.db.sql<{ venue_id: number }[]>`select venue_id from venue_admins where user_id = ${userId}`).map(
        (r) => r.venue_id,
      );
    const adminsOfVenue = async () =>
      (
        (await (await ctx.request('GET', '/api/venues', { token: admin.token })).json()) as Array<{
          id: number;
          admin_ids: number[];
        }>
      ).find((v) => v.id === venue.id)?.admin_ids;
    assert.deepEqual(await venueRows(demoted.id), [venue.id]);

    // Renaming keeps the role, and so the venues.
    assert.equal(
      (
        await ctx.request('PATCH', `/api/users/${demoted.id}/`, {
          token: admin.token,
          body: { full_name: 'Dee Demoted-Soon' },
        })
      ).status,
      200,
    );
    assert.deepEqual(await venueRows(demoted.id), [venue.id]);

    const demotion = await ctx.request('PATCH', `/api/users/${demoted.id}/`, {
      token: admin.token,
      body: { role: 'member' },
    });
    assert.equal(demotion.status, 200, await demotion.clone().text());
    assert.deepEqual(
      await venueRows(demoted.id),
      [],
      'the role change removed the venue assignments in its transaction',
    );
    assert.deepEqual(await adminsOfVenue(), [staying.id]);

    const { id: bookingId } = (
      await given(ctx).booking(member, venue, { aheadMs: 72 * 3_600_000, eventName: 'After the demotion' })
    ).booking;
    // The alert is one notice to every admin of the venue at once: once the remaining admin has it, it has gone out.
    await ctx.mailbox.waitFor(staying.email, (m) => m.text.includes('After the demotion'), 30_000);
    const alerts = await ctx.db.sql<
      { user_id: number }[]
    >`select user_id from notifications where notification_type = 'new_booking' and link = ${`/bookings/${bookingId}`}`;
    assert.deepEqual(
      alerts.map((a) => a.user_id),
      [staying.id],
    );
    assert.deepEqual(
      (await ctx.mailbox.to(demoted.email)).filter((m) => m.text.includes('After the demotion')),
      [],
      "no email about the booking, nor the booker's name and address",
    );
    assert.notEqual(
      (await ctx.request('GET', `/api/bookings/${bookingId}/`, { token: demoted.token })).status,
      200,
      'and no view of it',
    );

    const promotion = await ctx.request('PATCH', `/api/users/${demoted.id}/`, {
      token: admin.token,
      body: { role: 'hall_admin' },
    });
    assert.equal(promotion.status, 200);
    assert.deepEqual(await venueRows(demoted.id), [], 'a new hall admin starts with no venues');
    assert.deepEqual(await adminsOfVenue(), [staying.id]);
    const noticesToOthers = await ctx.db
      .sql`select 1 from notifications where user_id = ${staying.id} and notification_type not in ('venue_assigned', 'new_booking')`;
    assert.equal(noticesToOthers.length, 0, "the venue's other admin was told nothing of it");
  });
});
