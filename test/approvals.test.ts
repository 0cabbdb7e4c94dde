import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { bookingStateQuery } from '../src/contracts/booking-signals';
import { bookingWorkflowId } from '../src/temporal/workflow-ids';
import {
  createTestContext,
  eventually,
  given,
  slotAhead,
  slotOnDay,
  withTimeSkipping,
  type TestContext,
  type TestUser,
  type TimeSkippingStack,
} from './support';
import { invitationOf, parseCalendar } from './support/invitations';
import { assertTimerStep } from './support/timers';

const HOUR = 3_600_000;

/**
 * Venues whose staff approve bookings, over the real stack (time-skipping server, worker, relay,
 * PostgreSQL, MailDev): a request holds its slot while pending, is approved through the emailed
 * link and then reminded as usual; another, undecided, nudges its admins, is escalated to the super
 * admins, and is denied by default at its deadline, its slot going to the waitlist.
 */
describe('approvals', () => {
  let ctx: TestContext;
  let stack: TimeSkippingStack | undefined;
  let hallAdmin: TestUser;
  let superAdmin: TestUser;

  before(async () => {
    // Nudged after 12 h, the super admins told after 24 h, decided by default after 48 h.
    ctx = await createTestContext({ BOOKIT_APPROVAL_NUDGE: '12h', BOOKIT_APPROVAL_DEADLINE: '48h' });
    [hallAdmin, superAdmin] = [
      await ctx.createUser('hall_admin', { fullName: 'Hal Admin' }),
      await ctx.createUser('super_admin', { fullName: 'Sue Super' }),
    ];
  });
  after(() => ctx.close());
  beforeEach(async () => {
    stack = await withTimeSkipping(ctx);
  });
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
  });

  async function approvalVenue(onTimeout: 'deny' | 'approve' = 'deny') {
    const venue = await given(ctx).venue({
      name: `Main Auditorium ${Math.random().toString(36).slice(2, 6)}`,
      admins: [hallAdmin],
    });
    const set = await ctx.request('PATCH', `/api/venues/${venue.id}`, {
      token: hallAdmin.token,
      body: { approval: { required: true, on_timeout: onTimeout } },
    });
    assert.equal(set.status, 200, await set.clone().text());
    assert.deepEqual(((await set.json()) as { approval: unknown }).approval, { required: true, on_timeout: onTimeout });
    return venue;
  }
  async function request(who: TestUser, venueId: number, aheadMs: number, eventName: string) {
    const slot = slotAhead(aheadMs, 2 * HOUR, 'Asia/Kolkata');
    const made = await ctx.request('POST', '/api/bookings/', {
      token: who.token,
      body: {
        venue: venueId,
        date: slot.date,
        start_time: slot.start_time,
        end_time: slot.end_time,
        event_name: eventName,
      },
    });
    assert.equal(made.status, 201, await made.clone().text());
    const booking = (await made.json()) as {
      id: number;
      approval_status: string;
      approval_deadline: string;
      confirm_by: string | null;
    };
    const handle = stack!.env.client.workflow.getHandle(bookingWorkflowId(booking.id));
    await eventually(
      () =>
        handle.describe().then(
          () => true,
          () => false,
        ),
      'the booking workflow to start',
    );
    return { booking, slot, handle };
  }
  const linkIn = (text: string, label: string) => new RegExp(`${label}:\\s*(\\S+/actions/\\S+)`).exec(text)?.[1];

  it('a request holds its slot while pending, is approved through the emailed link, and is then reminded as usual', async () => {
    const venue = await approvalVenue();
    const booker = await ctx.createUser('member', { fullName: 'Rhea Requester' });
    const { booking, slot, handle } = await request(booker, venue.id, 4 * 24 * HOUR, 'Annual concert');
    assert.equal(booking.approval_status, 'pending');
    assert.equal(booking.confirm_by, null, 'nothing to confirm before it is approved');
    // 48 h after the request (before the reminder's time, T−24h).
    const deadline = new Date(booking.approval_deadline).getTime();
    assert.ok(deadline <= slot.startsAt.getTime() - 24 * HOUR);
    await eventually(
      async () => (await handle.query(bookingStateQuery)).phase === 'pending_approval',
      'the workflow waiting for a decision',
    );

    // The slot is held: someone else cannot book it.
    const other = await ctx.createUser('member');
    const clash = await ctx.request('POST', '/api/bookings/', {
      token: other.token,
      body: {
        venue: venue.id,
        date: slot.date,
        start_time: slot.start_time,
        end_time: slot.end_time,
        event_name: 'Clash',
      },
    });
    assert.equal(clash.status, 409);

    const waiting = await ctx.mailbox.waitFor(
      booker.email,
      (m) => m.subject === `Waiting for approval: Annual concert at ${venue.name}`,
      30_000,
    );
    assert.match(waiting.text, /holds the slot until they decide/);
    const { bookingState } = await import('../web/src/format/booking-state');
    const view = (await (
      await ctx.request('GET', `/api/bookings/${booking.id}`, { token: booker.token })
    ).json()) as Parameters<typeof bookingState>[0];
    assert.match(
      bookingState(view, booker.id),
      new RegExp(`^Waiting for approval by ${venue.name}'s staff, decided by `),
    );
    const requests = (await (await ctx.request('GET', '/api/approvals', { token: hallAdmin.token })).json()) as {
      id: number;
    }[];
    assert.ok(
      requests.some((r) => r.id === booking.id),
      "in the hall admin's Requests inbox",
    );
    assert.deepEqual(
      await (await ctx.request('GET', '/api/approvals', { token: booker.token })).json(),
      [],
      'a member has no requests to decide',
    );

    // The hall admin approves from the email: GET shows the request and changes nothing; POST approves.
    const asked = await ctx.mailbox.waitFor(
      hallAdmin.email,
      (m) => m.subject === `Approval needed: Annual concert at ${venue.name}`,
      30_000,
    );
    const approveUrl = linkIn(asked.text, 'Approve');
    assert.ok(approveUrl && linkIn(asked.text, 'Deny'), 'Approve and Deny links');
    const path = new URL(approveUrl).pathname;
    const shown = await ctx.request('GET', path);
    assert.equal(shown.status, 200);
    assert.match(await shown.text(), /Approve this booking\?/);
    assert.equal(
      (await ctx.db.sql`select 1 from bookings where id = ${booking.id} and approval_status = 'pending'`).length,
      1,
      'GET changed nothing',
    );
    const approved = await ctx.request('POST', path);
    assert.equal(approved.status, 200);
    assert.match(await approved.text(), /Approved/);

    const told = await ctx.mailbox.waitFor(
      booker.email,
      (m) => m.subject === `Approved and booked: Annual concert at ${venue.name}`,
      30_000,
    );
    const invitation = await invitationOf(`http://127.0.0.1:${ctx.config.mail.devWebPort}`, told);
    assert.equal(
      parseCalendar(invitation!.attachment.content).method,
      'REQUEST',
      'the calendar invitation comes with the approval',
    );
    // From here, the usual lifecycle: reminded at T−24h, cancelled for silence at T−2h.
    assert.equal(await handle.result(), 'auto_cancelled');
    const [row] = await ctx.db.sql<
      { reminder_sent_at: Date; approval_decided_by: number }[]
    >`select reminder_sent_at, approval_decided_by from bookings where id = ${booking.id}`;
    assert.equal(row!.approval_decided_by, hallAdmin.id);
    await assertTimerStep(handle, row!.reminder_sent_at, slot.startsAt.getTime() - 24 * HOUR, 'the reminder');
    assert.equal(
      (await ctx.db.sql`select 1 from email_log where idempotency_key = ${`booking:${booking.id}:created`}`).length,
      0,
      'no "Booked" before the approval',
    );
  });

  it('undecided: the hall admins nudged, the super admins told, then denied by default at its deadline, and its slot offered to a waiter', async () => {
    const venue = await approvalVenue('deny');
    const booker = await ctx.createUser('member', { fullName: 'Una Undecided' });
    const waiter = await ctx.createUser('member');
    const { booking, slot, handle } = await request(booker, venue.id, 4 * 24 * HOUR, 'Talent show');
    const joined = await ctx.request('POST', '/api/waitlist', {
      token: waiter.token,
      body: { venue: venue.id, date: slot.date, start_time: slot.start_time, end_time: slot.end_time },
    });
    assert.equal(joined.status, 201, await joined.clone().text());
    const { id: entryId } = (await joined.json()) as { id: number };

    assert.equal(await handle.result(), 'denied');
    const [row] = await ctx.db.sql<
      {
        status: string;
        approval_status: string;
        approval_decided_at: Date;
        approval_deadline: Date;
        approval_nudged_at: Date;
        approval_escalated_at: Date;
      }[]
    >`
      select status, approval_status, approval_decided_at, approval_deadline, approval_nudged_at, approval_escalated_at from bookings where id = ${booking.id}`;
    assert.equal(row!.status, 'cancelled');
    assert.equal(row!.approval_status, 'denied');
    const requestedAt = row!.approval_deadline.getTime() - 48 * HOUR;
    await assertTimerStep(handle, row!.approval_nudged_at, requestedAt + 12 * HOUR, 'the nudge');
    await assertTimerStep(handle, row!.approval_escalated_at, requestedAt + 24 * HOUR, 'the escalation');
    await assertTimerStep(handle, row!.approval_decided_at, row!.approval_deadline.getTime(), 'the default decision');

    await ctx.mailbox.waitFor(
      hallAdmin.email,
      (m) => m.subject === `Still waiting for approval: Talent show at ${venue.name}`,
      30_000,
    );
    await ctx.mailbox.waitFor(
      superAdmin.email,
      (m) => m.subject === `Nobody has decided: Talent show at ${venue.name}`,
      30_000,
    );
    const denied = await ctx.mailbox.waitFor(
      booker.email,
      (m) => m.subject === `Not approved: Talent show at ${venue.name}`,
      30_000,
    );
    assert.match(denied.text, /not decided in time and is denied/);
    await eventually(
      async () =>
        (await ctx.db.sql`select 1 from waitlist_entries where id = ${entryId} and status = 'offered'`).length === 1,
      'the waiter offered the slot',
    );
    assert.equal(
      (await ctx.db.sql`select 1 from email_log where idempotency_key = ${`booking:${booking.id}:cancelled`}`).length,
      0,
      'told "not approved", not "cancelled"',
    );
  });

  it("refuses a request too close to its start for the staff to decide, and decisions by anyone but the venue's staff", async () => {
    const venue = await approvalVenue();
    const booker = await ctx.createUser('member');
    const slot = slotAhead(HOUR, HOUR, 'Asia/Kolkata');
    const late = await ctx.request('POST', '/api/bookings/', {
      token: booker.token,
      body: {
        venue: venue.id,
        date: slot.date,
        start_time: slot.start_time,
        end_time: slot.end_time,
        event_name: 'Late',
      },
    });
    assert.equal(late.status, 400);
    assert.match(
      ((await late.json()) as { error: string }).error,
      /staff approve each booking: book at least 2 hours ahead/,
    );
    const { booking } = await request(booker, venue.id, 3 * 24 * HOUR, 'Mine');
    assert.equal(
      (await ctx.request('POST', `/api/bookings/${booking.id}/approve`, { token: booker.token })).status,
      403,
      'the requester cannot approve their own',
    );
    const stranger = await ctx.createUser('hall_admin');
    assert.equal(
      (await ctx.request('POST', `/api/bookings/${booking.id}/approve`, { token: stranger.token })).status,
      404,
      "another venue's admin cannot see it",
    );
    const denied = await ctx.request('POST', `/api/bookings/${booking.id}/deny`, {
      token: hallAdmin.token,
      body: { reason: 'Exams that week' },
    });
    assert.equal(denied.status, 200);
    assert.equal(((await denied.json()) as { approval_reason: string }).approval_reason, 'Exams that week');
    assert.equal(
      (await ctx.request('POST', `/api/bookings/${booking.id}/approve`, { token: hallAdmin.token })).status,
      409,
      'decided once',
    );
  });

  /** A weekly series of `count` dates from 4 days ahead, 10:00–12:00 in the venue's zone. */
  async function requestSeries(who: TestUser, venue: { id: number; timeZone: string }, eventName: string, count = 3) {
    const first = slotOnDay(4, 10, 2, venue.timeZone);
    const made = await ctx.request('POST', '/api/booking_series', {
      token: who.token,
      body: { venue: venue.id, ...first, event_name: eventName, rrule: `FREQ=WEEKLY;COUNT=${count}` },
    });
    assert.equal(made.status, 201, await made.clone().text());
    const created = (await made.json()) as { id: number; occurrences: { date: string; booking_id: number }[] };
    assert.equal(created.occurrences.length, count);
    const handles = created.occurrences.map((o) =>
      stack!.env.client.workflow.getHandle(bookingWorkflowId(o.booking_id)),
    );
    for (const handle of handles)
      await eventually(
        async () => (await handle.query(bookingStateQuery).catch(() => null))?.phase === 'pending_approval',
        `${handle.workflowId} waiting for a decision`,
      );
    return { ...created, handles, first };
  }
  const emailsUnder = async (key: string) =>
    (await ctx.db.sql`select 1 from email_log where idempotency_key = ${key}`).length;

  it('a weekly series is one request: asked once with Approve all and Deny all, one date denied alone, the rest approved from the email, and the booker told once with the series in their calendar', async () => {
    const venue = await approvalVenue();
    const booker = await ctx.createUser('member', { fullName: 'Sol Series' });
    const series = await requestSeries(booker, venue, 'Choir practice');
    const ids = series.occurrences.map((o) => o.booking_id);
    const rows = await ctx.db.sql<{ approval_status: string; approval_deadline: Date }[]>`
      select approval_status, approval_deadline from bookings where series_id = ${series.id} order by occurrence_date`;
    assert.deepEqual(
      rows.map((r) => r.approval_status),
      ['pending', 'pending', 'pending'],
    );
    assert.equal(new Set(rows.map((r) => r.approval_deadline.getTime())).size, 1, 'one deadline for the request');

    // Asked once: one email to the booker and one to the hall admin, for the whole series.
    const waiting = await ctx.mailbox.waitFor(
      booker.email,
      (m) => m.subject === `Waiting for approval: Choir practice at ${venue.name}, 3 dates`,
      30_000,
    );
    assert.match(waiting.text, /every week for 3 times \(3 dates\)/);
    const asked = await ctx.mailbox.waitFor(
      hallAdmin.email,
      (m) => m.subject === `Approval needed: Choir practice at ${venue.name}, 3 dates`,
      30_000,
    );
    assert.match(asked.text, /Approve and Deny act on every date still waiting/);
    const approveAll = linkIn(asked.text, 'Approve all');
    assert.ok(approveAll && linkIn(asked.text, 'Deny all'), 'Approve all and Deny all links');
    assert.equal(await emailsUnder(`series:${series.id}:approval:request:${hallAdmin.id}`), 1);
    for (const id of ids) assert.equal(await emailsUnder(`booking:${id}:approval:request:${hallAdmin.id}`), 0);
    const [asks] = await ctx.db.sql<{ n: number }[]>`
      select count(*)::int as n from notifications where user_id = ${hallAdmin.id} and title = ${`Approval needed at ${venue.name}`}
        and message like ${'%Choir practice%'}`;
    assert.equal(asks!.n, 1, 'one in-app request for the series');

    // In the Requests inbox, each date with its series; a date is approved only with its series.
    const inbox = (await (await ctx.request('GET', '/api/approvals', { token: hallAdmin.token })).json()) as {
      id: number;
      series_id: number | null;
    }[];
    assert.deepEqual(
      inbox.filter((r) => r.series_id === series.id).map((r) => r.id),
      ids,
    );
    const alone = await ctx.request('POST', `/api/bookings/${ids[0]}/approve`, { token: hallAdmin.token });
    assert.equal(alone.status, 409);
    assert.match(((await alone.json()) as { error: string }).error, /approved as a whole/);

    // The second date denied alone: the booker told of that date.
    const denied = await ctx.request('POST', `/api/bookings/${ids[1]}/deny`, {
      token: hallAdmin.token,
      body: { reason: 'Exams that week' },
    });
    assert.equal(denied.status, 200, await denied.clone().text());
    const deniedMail = await ctx.mailbox.waitFor(
      booker.email,
      (m) => m.subject === `Not approved: Choir practice at ${venue.name}`,
      30_000,
    );
    assert.match(deniedMail.text, /Reason: Exams that week/);

    // "Approve all" from the email: GET shows what it will do and changes nothing; POST approves the rest.
    const path = new URL(approveAll).pathname;
    const shown = await ctx.request('GET', path);
    assert.equal(shown.status, 200);
    assert.match(await shown.text(), /Approve all 2 dates\?/);
    const approved = await ctx.request('POST', path);
    assert.equal(approved.status, 200);
    assert.match(await approved.text(), /2 dates of Sol Series&#x27;s request are approved; they are told now/);
    const states = await ctx.db.sql<{ id: number; approval_status: string; status: string }[]>`
      select id, approval_status, status from bookings where series_id = ${series.id} order by occurrence_date`;
    assert.deepEqual(
      states.map((r) => [r.approval_status, r.status]),
      [
        ['approved', 'active'],
        ['denied', 'cancelled'],
        ['approved', 'active'],
      ],
    );

    // Told once, with the series' one calendar event: the denied date left out.
    const told = await ctx.mailbox.waitFor(
      booker.email,
      (m) => m.subject === `Approved and booked: Choir practice at ${venue.name}, 2 dates`,
      30_000,
    );
    const invitation = parseCalendar(
      (await invitationOf(`http://127.0.0.1:${ctx.config.mail.devWebPort}`, told))!.attachment.content,
    );
    assert.deepEqual(
      invitation.events.map((e) => e.uid),
      [`series-${series.id}@${new URL(ctx.config.http.publicBaseUrl).hostname}`],
    );
    assert.match(
      (await invitationOf(`http://127.0.0.1:${ctx.config.mail.devWebPort}`, told))!.attachment.content,
      new RegExp(`EXDATE;TZID=${venue.timeZone}:${series.occurrences[1]!.date.replace(/-/g, '')}T100000`),
    );
    for (const [index, handle] of series.handles.entries()) {
      if (index === 1) continue;
      await eventually(
        async () => (await handle.query(bookingStateQuery)).phase === 'awaiting_reminder',
        `date ${index + 1} asleep until its reminder`,
      );
    }
    assert.equal(await emailsUnder(`series:${series.id}:approval:approved`), 1);
    for (const id of [ids[0]!, ids[2]!]) assert.equal(await emailsUnder(`booking:${id}:approval:approved`), 0);
  });

  it('a series nobody decides is nudged and escalated once, then denied by default as a whole at one deadline: one notice, its slots offered to waiters', async () => {
    const venue = await approvalVenue('deny');
    const [booker, waiter] = [
      await ctx.createUser('member', { fullName: 'Ned Nobody' }),
      await ctx.createUser('member'),
    ];
    const series = await requestSeries(booker, venue, 'Drama rehearsal');
    const last = series.occurrences[2]!;
    const joined = await ctx.request('POST', '/api/waitlist', {
      token: waiter.token,
      body: { venue: venue.id, date: last.date, start_time: series.first.start_time, end_time: series.first.end_time },
    });
    assert.equal(joined.status, 201, await joined.clone().text());
    const { id: entryId } = (await joined.json()) as { id: number };

    assert.equal(await series.handles[0]!.result(), 'denied');
    for (const handle of series.handles.slice(1)) assert.equal(await handle.result(), 'denied');
    const rows = await ctx.db.sql<{ status: string; approval_status: string; approval_with_series: boolean }[]>`
      select status, approval_status, approval_with_series from bookings where series_id = ${series.id}`;
    assert.deepEqual(
      rows.map((r) => [r.status, r.approval_status, r.approval_with_series]),
      [
        ['cancelled', 'denied', true],
        ['cancelled', 'denied', true],
        ['cancelled', 'denied', true],
      ],
    );
    const denied = await ctx.mailbox.waitFor(
      booker.email,
      (m) => m.subject === `Not approved: Drama rehearsal at ${venue.name}, 3 dates`,
      30_000,
    );
    assert.match(denied.text, /not decided in time and is denied/);
    await eventually(
      async () =>
        (await ctx.db.sql`select 1 from waitlist_entries where id = ${entryId} and status = 'offered'`).length === 1,
      'the waiter offered the last date',
    );
    assert.equal(await emailsUnder(`series:${series.id}:approval:nudged:${hallAdmin.id}`), 1, 'one nudge');
    assert.equal(await emailsUnder(`series:${series.id}:approval:escalated:${superAdmin.id}`), 1, 'one escalation');
    assert.equal(await emailsUnder(`series:${series.id}:approval:denied`), 1, 'one "not approved"');
    const [sent] = await ctx.db.sql<{ n: number }[]>`
      select count(*)::int as n from email_log where idempotency_key like ${`series:${series.id}:%`}`;
    const [supers] = await ctx.db.sql<{ n: number }[]>`
      select count(*)::int as n from users where role = 'super_admin' and is_active`;
    // Asked (the booker told it waits, the hall admin asked), nudged, escalated to each super admin, denied.
    assert.equal(sent!.n, 4 + supers!.n, 'no email per date');
  });
});
