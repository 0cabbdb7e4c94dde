// Records booking and slot-offer workflow histories for the replay test: `npm run record-histories`.
// Run it when a deliberate, versioned (patched) change to either workflow is made, and commit the
// new files beside the old ones: old histories must keep replaying, so running workflows survive.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, afterEach, before, beforeEach, it } from 'node:test';
import type { WorkflowHandle } from '@temporalio/client';
import { workflowTypes } from '../../src/contracts/workflow-types';
import { broadcastWorkflowId, slotOfferWorkflowId, userOnboardingWorkflowId } from '../../src/temporal/workflow-ids';
import {
  createTestContext,
  eventually,
  given,
  slotAhead,
  startedWorkflow,
  uniqueEmail,
  withTimeSkipping,
  type TestContext,
  type TestUser,
  type TimeSkippingStack,
} from '../support';

const HOUR = 3_600_000;
const OUT = path.resolve(import.meta.dirname, '../fixtures/histories');
// Bump with each recorded change to a workflow; earlier recordings stay and must keep replaying.
// v4: emails as activities of the deciding workflow (`emails-as-activities`), and the first
// recordings of the slot-offer workflow and of a reminder re-issued after a lost one.
// v5: bookings run `bookingLifecycleWorkflow` (the `bookingWorkflow` recordings up to v4 stay, for
// the bookings still running it).
// v6: every offer is settled by its row (`settle-every-offer-by-its-row` in the slot-offer workflow).
// v7: check-in windows and no-show release (`check-in-window`), and the booker told of a new time
// (`notify-reschedule`), with the first recordings of a no-show and of a checked-in booking.
// v8: cancelled for silence only after being asked (`min-confirm-window`): a late reminder names a
// deadline at least BOOKIT_MIN_CONFIRM_WINDOW after it, with the first recordings of a booking whose
// worker was down across both its reminder and its deadline, and of one booked just over the
// deadline's lead before its start; offers of the rest of a no-show's slot to its own waiter.
// v9: one notices pipeline (`one-notices-pipeline`): every workflow hands its notices to
// recordNotice and deliverNotice, with the first recordings of a user's welcome and of a hall
// admin's venue assignment.
// v10: venues whose staff approve bookings (`approvals`), with the first recordings of a request
// approved and of one denied by default after its nudge and escalation; repeating bookings, with the
// first recordings of an occurrence cancelled with its series and of a series' notice workflow.
// v11: patches retired by the ledger (workflows/patch-ledger.ts): `one-notices-pipeline` deprecated
// in every workflow but the booking's, `settle-every-offer-by-its-row` and
// `database-steps-as-local-activities` deprecated in the slot offer (their markers now say so);
// `bookingWorkflow` and `emailDeliveryWorkflow` gone, their recordings and the slot offer's before v9
// retired. First recordings of a broadcast, a daily digest's firing and a retention clean-up, so
// every registered workflow type has one.
const RECORDING = 'v11';

let ctx: TestContext;
let booker: TestUser;
/** A time-skipping server of each recording's own. */
let stack: TimeSkippingStack;
before(async () => {
  ctx = await createTestContext();
  booker = await ctx.createUser('member');
});
after(() => ctx.close());
beforeEach(async () => {
  stack = await withTimeSkipping(ctx);
});
afterEach(() => stack.stop());

async function save(name: string, handle: WorkflowHandle): Promise<void> {
  await handle.result();
  const history = await handle.fetchHistory();
  // Worker identities name the recording machine; they play no part in replay.
  const scrubbed = JSON.stringify(history).replace(/"identity":"[^"]*"/g, '"identity":"replay-fixture"');
  await writeFile(path.join(OUT, `${name}.${RECORDING}.json`), scrubbed);
}

type Drive = (bookingId: number, sleep: (ms: number) => Promise<void>) => Promise<void>;

async function record(name: string, aheadMs: number, drive: Drive, checkInOpensBeforeMinutes?: number): Promise<void> {
  const checkIn =
    checkInOpensBeforeMinutes === undefined ? undefined : { opensBeforeMinutes: checkInOpensBeforeMinutes };
  const venue = await given(ctx).venue({ name: `Replay ${name}`, timeZone: 'Asia/Kolkata', checkIn });
  const { id } = (await given(ctx).booking(booker, venue, { aheadMs, eventName: 'Replay' })).booking;
  const handle = await startedWorkflow(stack.env.client, `booking-${id}`);
  await drive(id, (ms) => stack.env.sleep(ms));
  await save(`booking-${name}`, handle);
}

it('records: never confirmed, auto-cancelled', () => record('auto-cancelled', 72 * HOUR, async () => {}));

it('records: confirmed after the reminder, completed', () =>
  record('confirmed', 72 * HOUR, async (id, sleep) => {
    await sleep(49 * HOUR);
    await eventually(
      async () => (await ctx.db.sql`select 1 from bookings where id = ${id} and reminder_sent`).length === 1,
      'the reminder',
    );
    await ctx.request('POST', `/api/bookings/${id}/confirm/`, { token: booker.token });
  }));

it('records: cancelled while waiting for the reminder', () =>
  record('cancelled', 72 * HOUR, async (id) => {
    await ctx.request('POST', `/api/bookings/${id}/cancel/`, { token: booker.token, body: { reason: 'Replay' } });
  }));

it('records: rescheduled after the reminder, then auto-cancelled', () =>
  record('rescheduled', 30 * HOUR, async (id, sleep) => {
    await sleep(7 * HOUR);
    await eventually(
      async () => (await ctx.db.sql`select 1 from bookings where id = ${id} and reminder_sent`).length === 1,
      'the reminder',
    );
    const moved = slotAhead(30 * HOUR + 72 * HOUR, 2 * HOUR, 'Asia/Kolkata');
    await ctx.request('PATCH', `/api/bookings/${id}/`, {
      token: booker.token,
      body: { date: moved.date, start_time: moved.start_time, end_time: moved.end_time },
    });
  }));

it('records: the reminder re-issued when the row says reminded but this run never sent it', () =>
  record('reissued-reminder', 72 * HOUR, async (id) => {
    // As if an earlier run's update committed and its worker died before the task completed.
    await ctx.db.sql`update bookings set reminder_sent = true, reminder_sent_at = now() where id = ${id}`;
  }));

it('records: started 29 hours late (Temporal down when it was booked), reminded late, auto-cancelled at the new deadline', async () => {
  const venue = await given(ctx).venue({ name: 'Replay late reminder', timeZone: 'Asia/Kolkata' });
  await stack.stopRelay();
  const { id } = (await given(ctx).booking(booker, venue, { aheadMs: 30 * HOUR, eventName: 'Replay' })).booking;
  await stack.env.sleep(29 * HOUR);
  stack.startRelay();
  const handle = await startedWorkflow(stack.env.client, `booking-${id}`);
  await save('booking-late-reminder', handle);
});

it("records: booked just over the deadline's lead, reminded at once, auto-cancelled 30 minutes later", () =>
  record('just-over-deadline', 2 * HOUR + 5 * 60_000, async () => {}));

it('records: at a venue asking for check-in, nobody checks in: released as a no-show', () =>
  record('no-show', HOUR, async () => {}, 15));

it('records: at a venue asking for check-in, checked in inside the window, completed', () =>
  record(
    'checked-in',
    HOUR,
    async (id) => {
      const checkedIn = await ctx.request('POST', `/api/bookings/${id}/check_in`, { token: booker.token });
      if (checkedIn.status !== 200) throw new Error(`check-in answered ${checkedIn.status}: ${await checkedIn.text()}`);
    },
    120,
  ));

it('records: a slot offered to a waiter who lets it lapse, then claimed by the next', async () => {
  const venue = await given(ctx).venue({ name: 'Replay offers', timeZone: 'Asia/Kolkata' });
  const {
    booking: { id },
    slot,
  } = await given(ctx).booking(booker, venue, { aheadMs: 72 * HOUR, eventName: 'Replay' });
  const body = { venue: venue.id, date: slot.date, start_time: slot.start_time, end_time: slot.end_time };
  const [first, second] = [await ctx.createUser('member'), await ctx.createUser('member')];
  const join = async (who: TestUser) =>
    ((await (await ctx.request('POST', '/api/waitlist/', { token: who.token, body })).json()) as { id: number }).id;
  const [, secondEntry] = [await join(first), await join(second)];
  await ctx.request('POST', `/api/bookings/${id}/cancel/`, { token: booker.token });
  const [row] = await ctx.db.sql<
    { starts_at: Date; ends_at: Date }[]
  >`select lower(during) as starts_at, upper(during) as ends_at from bookings where id = ${id}`;
  const handle = stack.env.client.workflow.getHandle(slotOfferWorkflowId(venue.id, row!.starts_at, row!.ends_at));
  await eventually(
    async () => (await ctx.db.sql`select 1 from waitlist_entries where status = 'offered'`).length === 1,
    'the first offer',
  );
  await stack.env.sleep(16 * 60_000);
  await eventually(
    async () =>
      (await ctx.db.sql`select 1 from waitlist_entries where id = ${secondEntry} and status = 'offered'`).length === 1,
    'the second offer',
  );
  const claimed = await ctx.request('POST', `/api/waitlist/${secondEntry}/claim/`, { token: second.token });
  if (claimed.status !== 201) throw new Error(`claim answered ${claimed.status}: ${await claimed.text()}`);
  await eventually(async () => (await handle.describe()).status.name === 'COMPLETED', 'the offer workflow to finish');
  await save('slot-offer-lapsed-then-claimed', handle);
});

it('records: a new user welcomed, in-app and by email', async () => {
  const admin = await ctx.createUser('super_admin');
  const created = await ctx.request('POST', '/api/users/', {
    token: admin.token,
    body: { email: uniqueEmail('replay'), full_name: 'Replay Welcome', role: 'member' },
  });
  if (created.status !== 201) throw new Error(`user creation answered ${created.status}: ${await created.text()}`);
  const { id } = (await created.json()) as { id: number };
  const handle = await startedWorkflow(stack.env.client, userOnboardingWorkflowId(id));
  await save('user-onboarding', handle);
});

it('records: a hall admin assigned to a venue, told in-app and by email', async () => {
  const admin = await ctx.createUser('super_admin');
  const hallAdmin = await ctx.createUser('hall_admin');
  const venue = await given(ctx).venue({ name: 'Replay assignment', timeZone: 'Asia/Kolkata' });
  const assigned = await ctx.request('POST', `/api/venues/${venue.id}/assign_admin/`, {
    token: admin.token,
    body: { user_id: hallAdmin.id },
  });
  if (assigned.status !== 200) throw new Error(`assignment answered ${assigned.status}: ${await assigned.text()}`);
  const workflowId = await eventually(async () => {
    const [row] = await ctx.db.sql<
      { workflow_id: string }[]
    >`select workflow_id from outbox where workflow_id like ${`venue-${venue.id}-admin-${hallAdmin.id}-%`} limit 1`;
    return row?.workflow_id;
  }, 'the assignment to be handed to Temporal');
  const handle = await startedWorkflow(stack.env.client, workflowId);
  await save('venue-assignment', handle);
});

/** A venue whose hall admin approves its bookings, undecided requests coming to `onTimeout`. */
async function approvalVenue(name: string, onTimeout: 'deny' | 'approve') {
  const admin = await ctx.createUser('hall_admin');
  const venue = await given(ctx).venue({ name: `Replay ${name}`, timeZone: 'Asia/Kolkata', admins: [admin] });
  const set = await ctx.request('PATCH', `/api/venues/${venue.id}`, {
    token: admin.token,
    body: { approval: { required: true, on_timeout: onTimeout } },
  });
  if (set.status !== 200) throw new Error(`approval rule answered ${set.status}: ${await set.text()}`);
  return { venue, admin };
}

it("records: a request approved by the venue's staff, then reminded and auto-cancelled", async () => {
  const { venue, admin } = await approvalVenue('approved', 'deny');
  const { id } = (await given(ctx).booking(booker, venue, { aheadMs: 96 * HOUR, eventName: 'Replay' })).booking;
  const handle = await startedWorkflow(stack.env.client, `booking-${id}`);
  await eventually(
    async () =>
      (await ctx.db.sql`select 1 from email_log where idempotency_key like ${`booking:${id}:approval:request:%`}`)
        .length > 0,
    'the request to its staff',
  );
  const approved = await ctx.request('POST', `/api/bookings/${id}/approve`, { token: admin.token });
  if (approved.status !== 200) throw new Error(`approve answered ${approved.status}: ${await approved.text()}`);
  await save('booking-approved', handle);
});

it('records: a request nobody decides, nudged and escalated, denied by default at its deadline', async () => {
  const { venue } = await approvalVenue('denied', 'deny');
  const { id } = (await given(ctx).booking(booker, venue, { aheadMs: 96 * HOUR, eventName: 'Replay' })).booking;
  await save('booking-denied-by-default', await startedWorkflow(stack.env.client, `booking-${id}`));
});

it('records: a weekly series booked (its notice workflow), and an occurrence cancelled with the series', async () => {
  const venue = await given(ctx).venue({ name: 'Replay series', timeZone: 'Asia/Kolkata' });
  const first = slotAhead(96 * HOUR, 2 * HOUR, 'Asia/Kolkata');
  const made = await ctx.request('POST', '/api/booking_series', {
    token: booker.token,
    body: {
      venue: venue.id,
      date: first.date,
      start_time: first.start_time,
      end_time: first.end_time,
      event_name: 'Replay',
      rrule: 'FREQ=WEEKLY;COUNT=3',
    },
  });
  if (made.status !== 201) throw new Error(`series answered ${made.status}: ${await made.text()}`);
  const series = (await made.json()) as { id: number; occurrences: { date: string; booking_id: number }[] };
  const notice = await startedWorkflow(stack.env.client, `notice-series-${series.id}-booked`);
  await save('notice-series-booked', notice);
  const occurrence = await startedWorkflow(stack.env.client, `booking-${series.occurrences[1]!.booking_id}`);
  const cancelled = await ctx.request('POST', `/api/booking_series/${series.id}/cancel`, {
    token: booker.token,
    body: { from: series.occurrences[1]!.date },
  });
  if (cancelled.status !== 200)
    throw new Error(`series cancel answered ${cancelled.status}: ${await cancelled.text()}`);
  await save('booking-cancelled-with-series', occurrence);
});

it("records: a super admin's announcement to every active user", async () => {
  const admin = await ctx.createUser('super_admin');
  const sent = await ctx.request('POST', '/api/notifications/broadcast/', {
    token: admin.token,
    body: { title: 'Replay', message: 'A recorded announcement.' },
  });
  if (sent.status !== 201) throw new Error(`broadcast answered ${sent.status}: ${await sent.text()}`);
  const [broadcast] = await ctx.db.sql<{ id: number }[]>`select id from broadcasts order by id desc limit 1`;
  await save('broadcast', await startedWorkflow(stack.env.client, broadcastWorkflowId(broadcast!.id)));
});

it("records: a daily digest's firing with nobody's digest due", async () => {
  const handle = await stack.env.client.workflow.start(workflowTypes.dailyDigestWorkflow, {
    workflowId: `daily-digest-replay-${Date.now()}`,
    taskQueue: ctx.config.temporal.taskQueue,
    args: [{ digestHour: ctx.config.lifecycle.dailyDigestHour, emailRetryInitialMs: 60_000 }],
  });
  await save('daily-digest', handle);
});

it('records: a notification clean-up with nothing old enough to delete', async () => {
  const handle = await stack.env.client.workflow.start(workflowTypes.notificationRetentionWorkflow, {
    workflowId: `notification-retention-replay-${Date.now()}`,
    taskQueue: ctx.config.temporal.taskQueue,
    args: [{ retentionMs: ctx.config.lifecycle.notificationRetentionMs }],
  });
  await save('notification-retention', handle);
});
