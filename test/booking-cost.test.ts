import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { workflowCost, type WorkflowCost } from '../scripts/dev/workflow-cost';
import { bookingWorkflowId, slotOfferWorkflowId } from '../src/temporal/workflow-ids';
import {
  createTestContext,
  eventually,
  given,
  startedWorkflow,
  withWorker,
  type TestContext,
  type TestUser,
} from './support';

// Compressed leads, so whole lifecycles run on the dev server in a minute or two: the reminder 60 s
// before the start, confirmation due 30 s before it. Each step has tens of seconds to spare on a
// loaded machine; the test counts work, and timing belongs in the bench.
const LEADS = { BOOKIT_REMINDER_LEAD: '60s', BOOKIT_CONFIRM_DEADLINE: '30s', BOOKIT_EMAIL_RETRY_INITIAL: '2s' };
const BOOKED_AHEAD = 90_000;

/** A venue-local slot to the second, `aheadMs` from now, in a zone where it cannot cross midnight. */
function slotIn(
  aheadMs: number,
  durationMs: number,
): { zone: string; date: string; start_time: string; end_time: string } {
  // UTC, unless the slot could reach midnight there; then six hours behind it.
  const zone = new Date().getUTCHours() >= 22 ? 'Etc/GMT+6' : 'UTC';
  const offsetMs = zone === 'UTC' ? 0 : -6 * 3_600_000;
  const local = (ms: number) => new Date(ms + offsetMs).toISOString();
  const start = Math.ceil((Date.now() + aheadMs) / 1000) * 1000;
  return {
    zone,
    date: local(start).slice(0, 10),
    start_time: local(start).slice(11, 19),
    end_time: local(start + durationMs).slice(11, 19),
  };
}

describe(
  'the Temporal work one booking costs, counted from real histories on the dev server',
  { concurrency: true },
  () => {
    let ctx: TestContext;
    let member: TestUser;
    let hallAdmin: TestUser;

    before(async () => {
      ctx = await createTestContext(LEADS);
      await withWorker(ctx);
      member = await ctx.createUser('member');
      hallAdmin = await ctx.createUser('hall_admin');
    });
    after(() => ctx.close());

    async function book(
      aheadMs: number,
      durationMs = 6_000,
      who = member,
    ): Promise<{ id: number; venueId: number; body: Record<string, unknown> }> {
      const slot = slotIn(aheadMs, durationMs);
      const venue = await given(ctx).venue({
        name: `Cost hall ${Math.random()}`,
        timeZone: slot.zone,
        admins: [hallAdmin],
      });
      const body = { venue: venue.id, date: slot.date, start_time: slot.start_time, end_time: slot.end_time };
      const { booking } = await given(ctx).booking(who, venue, { slot: body, eventName: 'Cost review' });
      return { id: booking.id, venueId: venue.id, body };
    }

    /** The workflow's result, once the outbox relay has started it and it has closed. */
    const closed = async (workflowId: string) => (await startedWorkflow(ctx.deps.temporal.client, workflowId)).result();
    const costOf = (workflowId: string) => workflowCost(ctx.deps.temporal.client, workflowId);
    const notified = (userId: number, type: string, bookingId: number) =>
      eventually(
        async () =>
          (
            await ctx.db
              .sql`select 1 from notifications where user_id = ${userId} and notification_type = ${type} and link = ${`/bookings/${bookingId}`}`
          ).length === 1,
        `${type} for booking ${bookingId}`,
        2 * BOOKED_AHEAD,
      );
    const report = (t: { diagnostic(message: string): void }, name: string, cost: WorkflowCost) =>
      t.diagnostic(
        `${name}: ${cost.executions} execution(s), ${cost.historyEvents} history events, ${cost.workflowTasks} workflow tasks, ${cost.actions} billable actions`,
      );

    it('booked, one hall admin alerted, reminded, confirmed, completed: 1 execution, at most 50 events and 8 workflow tasks', async (t) => {
      const { id } = await book(BOOKED_AHEAD);
      await notified(member.id, 'booking_reminder', id);
      // As a person would: confirm once the reminder email is there (a reminder for a booking already
      // confirmed is rightly never sent).
      await ctx.mailbox.waitFor(
        member.email,
        (m) => m.headers['x-bookit-idempotency-key'] === `booking:${id}:v1:reminder` && /confirm/i.test(m.text),
        60_000,
      );
      const confirmed = await ctx.request('POST', `/api/bookings/${id}/confirm/`, { token: member.token });
      assert.equal(confirmed.status, 200, await confirmed.clone().text());
      assert.equal(await closed(bookingWorkflowId(id)), 'completed');

      const cost = await costOf(bookingWorkflowId(id));
      report(t, 'full lifecycle', cost);
      assert.equal(cost.executions, 1);
      assert.ok(cost.historyEvents <= 50, `${cost.historyEvents} history events`);
      assert.ok(cost.workflowTasks <= 8, `${cost.workflowTasks} workflow tasks`);
      // Nothing was given up to get there: everyone heard, by email too.
      await notified(hallAdmin.id, 'new_booking', id);
      await ctx.mailbox.waitFor(
        hallAdmin.email,
        (m) => m.headers['x-bookit-idempotency-key'] === `booking:${id}:new:admin:${hallAdmin.id}`,
      );
      const [{ status } = { status: '' }] = await ctx.db.sql<
        { status: string }[]
      >`select status from bookings where id = ${id}`;
      assert.equal(status, 'completed');
    });

    it('cancelled by the booker while waiting for the reminder', async (t) => {
      const { id } = await book(120_000);
      const cancelled = await ctx.request('POST', `/api/bookings/${id}/cancel/`, {
        token: member.token,
        body: { reason: 'Cost check' },
      });
      assert.equal(cancelled.status, 200);
      assert.equal(await closed(bookingWorkflowId(id)), 'cancelled');
      const cost = await costOf(bookingWorkflowId(id));
      report(t, 'cancelled', cost);
      assert.equal(cost.executions, 1);
      await notified(member.id, 'booking_cancelled', id);
    });

    it('never confirmed: reminded, then auto-cancelled at the deadline', async (t) => {
      const { id } = await book(BOOKED_AHEAD);
      assert.equal(await closed(bookingWorkflowId(id)), 'auto_cancelled');
      const cost = await costOf(bookingWorkflowId(id));
      report(t, 'auto-cancelled', cost);
      assert.equal(cost.executions, 1);
      await notified(member.id, 'booking_auto_cancelled', id);
    });

    it('a freed slot offered to a waiter who claims it', async (t) => {
      const { id, venueId, body } = await book(600_000, 60_000);
      const waiter = await ctx.createUser('member');
      const joined = await ctx.request('POST', '/api/waitlist/', { token: waiter.token, body });
      assert.equal(joined.status, 201, await joined.clone().text());
      const { id: entryId } = (await joined.json()) as { id: number };
      assert.equal((await ctx.request('POST', `/api/bookings/${id}/cancel/`, { token: member.token })).status, 200);
      await eventually(
        async () =>
          (await ctx.db.sql`select 1 from waitlist_entries where id = ${entryId} and status = 'offered'`).length === 1,
        'the offer',
      );
      const claimed = await ctx.request('POST', `/api/waitlist/${entryId}/claim/`, { token: waiter.token });
      assert.equal(claimed.status, 201, await claimed.clone().text());

      const [slot] = await ctx.db.sql<
        { starts_at: Date; ends_at: Date }[]
      >`select lower(during) as starts_at, upper(during) as ends_at from bookings where id = ${id}`;
      const offerId = slotOfferWorkflowId(venueId, slot!.starts_at, slot!.ends_at);
      assert.equal(await closed(offerId), 'taken');
      const cost = await costOf(offerId);
      report(t, 'offer → claim (the slot-offer workflow)', cost);
      assert.equal(cost.executions, 1);
    });
  },
);
