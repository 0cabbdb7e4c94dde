import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { decide } from '../src/preferences/decide';
import {
  createTestContext,
  eventually,
  given,
  slotOnDay,
  withWorker,
  type TestContext,
  type TestUser,
} from './support';

const ZONE = 'Asia/Kolkata';

interface ChannelState {
  enabled: boolean;
  default: boolean;
}
interface PreferencesJson {
  types: Array<{
    type: string;
    label: string;
    audience: string;
    critical: boolean;
    channels: { email: ChannelState | null; in_app: ChannelState | null };
  }>;
  muted_venue_ids: number[];
}
interface EmailLogJson {
  idempotency_key: string;
  status: string;
  recipient: string;
  suppressed_reason: string | null;
}

describe('notification preferences: people choose what reaches them, and the activities that send obey (real worker, MailDev)', () => {
  let ctx: TestContext;
  let superAdmin: TestUser;
  let hallAdmin: TestUser;
  let banyan: { id: number; name: string };
  let cedar: { id: number; name: string };
  let elsewhere: { id: number; name: string };
  /** Each booking gets its own day, so no two tests' bookings overlap. */
  let nextDay = 3;

  before(async () => {
    ctx = await createTestContext();
    await withWorker(ctx);
    [superAdmin, hallAdmin] = await Promise.all([ctx.createUser('super_admin'), ctx.createUser('hall_admin')]);
    const venue = async (name: string) => {
      const response = await ctx.request('POST', '/api/venues/', {
        token: superAdmin.token,
        body: { name, time_zone: ZONE },
      });
      assert.equal(response.status, 201);
      return (await response.json()) as { id: number; name: string };
    };
    [banyan, cedar, elsewhere] = [
      await venue('Banyan Hall'),
      await venue('Cedar Lab'),
      await venue('Elsewhere Auditorium'),
    ];
    for (const { id } of [banyan, cedar]) {
      assert.equal(
        (
          await ctx.request('POST', `/api/venues/${id}/assign_admin/`, {
            token: superAdmin.token,
            body: { user_id: hallAdmin.id },
          })
        ).status,
        200,
      );
    }
  });
  after(() => ctx.close());

  const preferences = async (who: TestUser): Promise<PreferencesJson> => {
    const response = await ctx.request('GET', '/api/preferences/', { token: who.token });
    assert.equal(response.status, 200);
    return (await response.json()) as PreferencesJson;
  };
  const put = (who: TestUser, body: unknown) => ctx.request('PUT', '/api/preferences', { token: who.token, body });
  const errorOf = async (response: Response) => ((await response.json()) as { error: string }).error;
  const channelsOf = (view: PreferencesJson, type: string) => view.types.find((entry) => entry.type === type)!.channels;

  async function book(who: TestUser, venueId: number, eventName: string): Promise<number> {
    return (await given(ctx).booking(who, venueId, { slot: slotOnDay(nextDay++, 10, 2, ZONE), eventName })).booking.id;
  }

  async function inAppAbout(who: TestUser, bookingId: number, type: string): Promise<boolean> {
    const response = await ctx.request('GET', '/api/notifications/?limit=100', { token: who.token });
    const rows = (await response.json()) as Array<{ notification_type: string; link: string }>;
    return rows.some((row) => row.notification_type === type && row.link === `/bookings/${bookingId}`);
  }

  async function emailLog(key: string): Promise<EmailLogJson | undefined> {
    const [row] = await ctx.db.sql<
      EmailLogJson[]
    >`select idempotency_key, status, recipient, suppressed_reason from email_log where idempotency_key = ${key}`;
    return row;
  }
  const settled = (key: string) =>
    eventually(async () => {
      const row = await emailLog(key);
      return row && (row.status === 'sent' || row.status === 'suppressed') ? row : undefined;
    }, `the email ${key} to be sent or suppressed`);

  const emailsAbout = async (who: TestUser, eventName: string) =>
    (await ctx.mailbox.to(who.email)).filter((mail) => mail.subject.includes(eventName));

  it('shows every type with its channels and defaults, marks the critical ones, and answers only a signed-in user', async () => {
    const member = await ctx.createUser('member');
    const view = await preferences(member);
    assert.deepEqual(view.muted_venue_ids, []);
    assert.deepEqual(
      view.types
        .filter((entry) => entry.critical)
        .map((entry) => entry.type)
        .sort(),
      ['booking_auto_cancelled', 'booking_reminder', 'waitlist_slot_available', 'welcome'],
    );
    assert.deepEqual(channelsOf(view, 'booking_confirmed'), {
      email: { enabled: true, default: true },
      in_app: { enabled: true, default: true },
    });
    assert.deepEqual(channelsOf(view, 'daily_digest'), { email: { enabled: true, default: true }, in_app: null });
    assert.equal(view.types.find((entry) => entry.type === 'new_booking')!.audience, 'hall_admins');
    for (const type of [
      'booking_rescheduled',
      'booking_cancelled',
      'venue_assigned',
      'waitlist_offer_expired',
      'broadcast',
    ]) {
      assert.ok(
        view.types.some((entry) => entry.type === type),
        `${type} is listed`,
      );
    }
    assert.equal((await ctx.request('GET', '/api/preferences')).status, 401);
    const documented = (await (await ctx.request('GET', '/openapi.json')).json()) as { paths: Record<string, unknown> };
    for (const path of ['/api/preferences', '/api/preferences/venue_mutes/{venue_id}'])
      assert.ok(documented.paths[path], `${path} is in /openapi.json`);
  });

  it('a member turns off booking emails and books: the in-app notification arrives, no email, and the email log says suppressed and why; turned back on, the next one arrives', async () => {
    const member = await ctx.createUser('member');
    const changed = await put(member, { booking_confirmed: { email: false } });
    assert.equal(changed.status, 200);
    assert.deepEqual(channelsOf((await changed.json()) as PreferencesJson, 'booking_confirmed'), {
      email: { enabled: false, default: true },
      in_app: { enabled: true, default: true },
    });

    const quiet = `Quiet seminar ${randomBytes(3).toString('hex')}`;
    const id = await book(member, banyan.id, quiet);
    await eventually(
      () => inAppAbout(member, id, 'booking_confirmed'),
      "the booking notification in the member's inbox",
    );
    const logged = await settled(`booking:${id}:created`);
    assert.deepEqual(logged, {
      idempotency_key: `booking:${id}:created`,
      status: 'suppressed',
      recipient: member.email,
      suppressed_reason: 'the recipient turned off booking_confirmed emails',
    });
    // The hall admin's alert of the same booking went out, so mail was flowing all along.
    await ctx.mailbox.waitFor(hallAdmin.email, (mail) => mail.subject.includes(quiet), 30_000);
    assert.deepEqual(await emailsAbout(member, quiet), [], 'no confirmation email reached the member');

    // What an operator sees.
    const listed = await ctx.request('GET', '/api/admin/emails/?status=suppressed&limit=100', {
      token: superAdmin.token,
    });
    const rows = (await listed.json()) as EmailLogJson[];
    assert.equal(
      rows.find((row) => row.idempotency_key === `booking:${id}:created`)?.suppressed_reason,
      'the recipient turned off booking_confirmed emails',
    );

    assert.equal((await put(member, { booking_confirmed: { email: true } })).status, 200);
    const loud = `Loud seminar ${randomBytes(3).toString('hex')}`;
    const next = await book(member, banyan.id, loud);
    await ctx.mailbox.waitFor(member.email, (mail) => mail.subject.includes(loud), 30_000);
    assert.equal((await emailLog(`booking:${next}:created`))?.status, 'sent');
  });

  it('a member turns off booking notifications in-app: the email arrives and the inbox stays empty', async () => {
    const member = await ctx.createUser('member');
    assert.equal((await put(member, { booking_confirmed: { in_app: false } })).status, 200);
    const eventName = `Inbox-free review ${randomBytes(3).toString('hex')}`;
    const id = await book(member, cedar.id, eventName);
    // The in-app rows of a notice are written before its emails go out.
    await ctx.mailbox.waitFor(member.email, (mail) => mail.subject.includes(eventName), 30_000);
    assert.equal(await inAppAbout(member, id, 'booking_confirmed'), false);
    const [row] = await ctx.db.sql`select 1 from notifications where event_key = ${`booking:${id}:created`}`;
    assert.equal(row, undefined);
  });

  it('a critical type cannot be off on both channels: 400 naming it, all of a change or none of it, and two changes at once cannot get past it', async () => {
    const member = await ctx.createUser('member');
    const both = await put(member, { booking_reminder: { email: false, in_app: false } });
    assert.equal(both.status, 400);
    assert.match(await errorOf(both), /booking_reminder.*both channels/);

    assert.equal((await put(member, { booking_reminder: { email: false } })).status, 200);
    const second = await put(member, { booking_reminder: { in_app: false } });
    assert.equal(second.status, 400);
    assert.match(await errorOf(second), /booking_reminder/);
    assert.deepEqual(channelsOf(await preferences(member), 'booking_reminder'), {
      email: { enabled: false, default: true },
      in_app: { enabled: true, default: true },
    });

    // All or nothing: the allowed change in the same request is not kept either.
    const mixed = await put(member, { booking_cancelled: { email: false }, welcome: { email: false, in_app: false } });
    assert.equal(mixed.status, 400);
    assert.match(await errorOf(mixed), /welcome/);
    assert.equal(channelsOf(await preferences(member), 'booking_cancelled').email!.enabled, true);

    // Two requests at once, each turning off one channel: the database lets exactly one through.
    const racer = await ctx.createUser('member');
    const raced = await Promise.all([
      put(racer, { waitlist_slot_available: { email: false } }),
      put(racer, { waitlist_slot_available: { in_app: false } }),
    ]);
    assert.deepEqual(raced.map((response) => response.status).sort(), [200, 400]);
    const after = channelsOf(await preferences(racer), 'waitlist_slot_available');
    assert.ok(after.email!.enabled || after.in_app!.enabled, 'still reachable on one channel');

    for (const [body, message] of [
      [{ waitlist_offer_expired: { email: false } }, /waitlist_offer_expired has no email channel/],
      [{ daily_digest: { in_app: false } }, /daily_digest has no in-app channel/],
      [{ carrier_pigeon: { email: false } }, /carrier_pigeon/],
      [{ booking_confirmed: { sms: false } }, /sms/],
      [{ booking_confirmed: { email: 'no' } }, /booking_confirmed\.email/],
    ] as Array<[unknown, RegExp]>) {
      const response = await put(member, body);
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.match(await errorOf(response), message);
    }
  });

  it('a hall admin mutes one venue: no new-booking email or notification from it, still from the other; unmuted, they come again', async () => {
    const member = await ctx.createUser('member');
    const member2 = await ctx.createUser('member');
    // Only an administrator of the venue may mute it.
    assert.equal(
      (await ctx.request('PUT', `/api/preferences/venue_mutes/${banyan.id}`, { token: member.token })).status,
      403,
    );
    assert.equal(
      (await ctx.request('PUT', `/api/preferences/venue_mutes/${elsewhere.id}`, { token: hallAdmin.token })).status,
      403,
    );
    assert.equal(
      (await ctx.request('PUT', '/api/preferences/venue_mutes/999999999', { token: hallAdmin.token })).status,
      404,
    );
    assert.equal(
      (await ctx.request('DELETE', `/api/preferences/venue_mutes/${elsewhere.id}`, { token: hallAdmin.token })).status,
      403,
    );

    const muted = await ctx.request('PUT', `/api/preferences/venue_mutes/${banyan.id}/`, { token: hallAdmin.token });
    assert.equal(muted.status, 200);
    assert.deepEqual(((await muted.json()) as PreferencesJson).muted_venue_ids, [banyan.id]);
    // Muting twice changes nothing.
    assert.equal(
      (await ctx.request('PUT', `/api/preferences/venue_mutes/${banyan.id}`, { token: hallAdmin.token })).status,
      200,
    );

    const atBanyan = `Banyan talk ${randomBytes(3).toString('hex')}`;
    const atCedar = `Cedar talk ${randomBytes(3).toString('hex')}`;
    const banyanId = await book(member, banyan.id, atBanyan);
    const cedarId = await book(member2, cedar.id, atCedar);

    await ctx.mailbox.waitFor(hallAdmin.email, (mail) => mail.subject.includes(atCedar), 30_000);
    assert.ok(await inAppAbout(hallAdmin, cedarId, 'new_booking'), "the other venue's alert is in the inbox");
    const logged = await settled(`booking:${banyanId}:new:admin:${hallAdmin.id}`);
    assert.equal(logged.status, 'suppressed');
    assert.equal(logged.suppressed_reason, 'hall admin muted new-booking alerts for Banyan Hall');
    assert.equal(logged.recipient, hallAdmin.email);
    await ctx.mailbox.waitFor(member.email, (mail) => mail.subject.includes(atBanyan), 30_000);
    assert.deepEqual(await emailsAbout(hallAdmin, atBanyan), []);
    assert.equal(await inAppAbout(hallAdmin, banyanId, 'new_booking'), false);

    const unmuted = await ctx.request('DELETE', `/api/preferences/venue_mutes/${banyan.id}`, {
      token: hallAdmin.token,
    });
    assert.equal(unmuted.status, 200);
    assert.deepEqual(((await unmuted.json()) as PreferencesJson).muted_venue_ids, []);
    const again = `Banyan again ${randomBytes(3).toString('hex')}`;
    const againId = await book(member, banyan.id, again);
    await ctx.mailbox.waitFor(hallAdmin.email, (mail) => mail.subject.includes(again), 30_000);
    await eventually(
      () => inAppAbout(hallAdmin, againId, 'new_booking'),
      'the new-booking notification after unmuting',
    );
  });

  it("the generic activities of other workflows obey too: a venue assignment, a broadcast, and the daily digest's decide", async () => {
    const admin = await ctx.createUser('hall_admin');
    assert.equal(
      (await put(admin, { venue_assigned: { email: false, in_app: false }, broadcast: { in_app: false } })).status,
      200,
    );
    const bystander = await ctx.createUser('member');

    // The venue-assignment workflow's notice: its in-app row and its email.
    assert.equal(
      (
        await ctx.request('POST', `/api/venues/${elsewhere.id}/assign_admin/`, {
          token: superAdmin.token,
          body: { user_id: admin.id },
        })
      ).status,
      200,
    );
    const [assignment] = await eventually(async () => {
      const rows = await ctx.db.sql<EmailLogJson[]>`
        select idempotency_key, status, recipient, suppressed_reason from email_log
        where template = 'venue_assigned' and recipient = ${admin.email} and status = 'suppressed'`;
      return rows.length ? rows : undefined;
    }, 'the assignment email to be logged suppressed');
    assert.equal(assignment!.suppressed_reason, 'the recipient turned off venue_assigned emails');
    const [assignedRow] = await ctx.db
      .sql`select 1 from notifications where user_id = ${admin.id} and notification_type = 'venue_assigned'`;
    assert.equal(assignedRow, undefined);

    // A super admin's broadcast skips whoever turned announcements off.
    const title = `Closed on Friday ${randomBytes(3).toString('hex')}`;
    assert.equal(
      (
        await ctx.request('POST', '/api/notifications/broadcast/', {
          token: superAdmin.token,
          body: { title, message: 'The building is closed.' },
        })
      ).status,
      201,
    );
    await eventually(
      async () =>
        (await ctx.db.sql`select 1 from broadcasts where title = ${title} and completed_at is not null`).length === 1,
      'the broadcast to finish',
    );
    const received = await ctx.db.sql<
      { user_id: number }[]
    >`select user_id from notifications where notification_type = 'system' and title = ${title}`;
    assert.ok(
      received.some((row) => row.user_id === bystander.id),
      'the bystander got it',
    );
    assert.ok(!received.some((row) => row.user_id === admin.id), 'the admin who turned announcements off did not');

    // What the daily digest asks before it sends.
    assert.deepEqual(await decide(ctx.db.sql, admin.id, 'daily_digest', 'email'), { send: true });
    assert.equal((await put(admin, { daily_digest: { email: false } })).status, 200);
    assert.deepEqual(await decide(ctx.db.sql, admin.id, 'daily_digest', 'email'), {
      send: false,
      reason: 'the recipient turned off daily_digest emails',
    });
  });
});
