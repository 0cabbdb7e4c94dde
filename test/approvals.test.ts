import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { bookingStateQuery } from '../src/contracts/booking-signals';
import { bookingWorkflowId } from '../src/temporal/workflow-ids';
import {
  createTestContext,
  eventually,
  given,
  slotAhead,
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
});
