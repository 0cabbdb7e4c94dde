import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { WorkflowHandle } from '@temporalio/client';
import { bookingWorkflowId, slotOfferWorkflowId } from '../src/temporal/workflow-ids';
import { bookingStateQuery } from '../src/contracts/booking-signals';
import { slotFreedSignal, slotOfferStateQuery } from '../src/contracts/slot-offer-signals';
import {
  createTestContext,
  eventually,
  given,
  localParts,
  slotAhead,
  withTimeSkipping,
  type TestContext,
  type TestUser,
  type TimeSkippingStack,
} from './support';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const ZONE = 'Asia/Kolkata';

interface SlotBody {
  venue: number;
  date: string;
  start_time: string;
  end_time: string;
}

interface EntryRow {
  status: string;
  notified: boolean;
  notified_at: Date | null;
  offer_expires_at: Date | null;
  booking_id: number | null;
  offer_workflow_id: string | null;
}

describe('waitlist offers on the time-skipping server', () => {
  let ctx: TestContext;
  let stack: TimeSkippingStack;
  let booker: TestUser;
  let venueId: number;
  let dayOffset = 3;

  before(async () => {
    ctx = await createTestContext();
    booker = await ctx.createUser('member', { fullName: 'Bea Booker' });
    venueId = (await given(ctx).venue({ name: 'LRDC Hall', timeZone: ZONE })).id;
  });
  after(() => ctx.close());
  beforeEach(async () => {
    stack = await withTimeSkipping(ctx);
  });
  afterEach(() => stack.stop());

  /** 10:00–12:00 at the venue on a day of its own, a few days ahead. */
  function morningSlot(start = '10:00', end = '12:00'): SlotBody {
    dayOffset += 1;
    return {
      venue: venueId,
      date: localParts(new Date(Date.now() + dayOffset * DAY), ZONE).date,
      start_time: start,
      end_time: end,
    };
  }

  async function book(slot: SlotBody, who = booker): Promise<{ id: number; startsAt: Date; endsAt: Date }> {
    const { id } = (await given(ctx).booking(who, slot.venue, { slot, eventName: 'Quarterly review' })).booking;
    const [row] = await ctx.db.sql<
      { starts_at: Date; ends_at: Date }[]
    >`select lower(during) as starts_at, upper(during) as ends_at from bookings where id = ${id}`;
    return { id, startsAt: row!.starts_at, endsAt: row!.ends_at };
  }

  async function join(who: TestUser, slot: SlotBody, meant: { event_name?: string } = {}): Promise<number> {
    const response = await ctx.request('POST', '/api/waitlist/', { token: who.token, body: { ...slot, ...meant } });
    assert.equal(response.status, 201, await response.clone().text());
    return ((await response.json()) as { id: number }).id;
  }

  /** Frees the slot the way a booker does; the cancel hands it to the waitlist. */
  async function cancel(bookingId: number, who = booker): Promise<void> {
    const response = await ctx.request('POST', `/api/bookings/${bookingId}/cancel/`, { token: who.token });
    assert.equal(response.status, 200, await response.clone().text());
  }

  const claim = (who: TestUser, entryId: number) =>
    ctx.request('POST', `/api/waitlist/${entryId}/claim/`, { token: who.token });
  const entry = async (id: number) =>
    (
      await ctx.db.sql<
        EntryRow[]
      >`select status, notified, notified_at, offer_expires_at, booking_id, offer_workflow_id from waitlist_entries where id = ${id}`
    )[0]!;
  const statusOf = async (id: number) => (await entry(id)).status;
  const whenStatus = (id: number, status: string) =>
    eventually(async () => ((await statusOf(id)) === status ? entry(id) : null), `entry ${id} to be ${status}`);
  const notificationTypes = async (userId: number) =>
    (
      await ctx.db.sql<
        { notification_type: string }[]
      >`select notification_type from notifications where user_id = ${userId} and notification_type like 'waitlist%' order by id`
    ).map((r) => r.notification_type);
  const offerHandle = (freed: { startsAt: Date; endsAt: Date }): WorkflowHandle =>
    stack.env.client.workflow.getHandle(slotOfferWorkflowId(venueId, freed.startsAt, freed.endsAt));
  const stateOf = (handle: WorkflowHandle) => handle.query(slotOfferStateQuery);
  /** Polls rather than awaiting the result, which would let the server skip time past open offers. */
  const finished = (handle: WorkflowHandle) =>
    eventually(
      async () => (await handle.describe()).status.name === 'COMPLETED',
      `${handle.workflowId} to finish`,
    ).then(() => handle.result() as Promise<string>);
  const outboxDrained = () =>
    eventually(
      async () => (await ctx.db.sql`select 1 from outbox where delivered_at is null`).length === 0,
      'the outbox to be delivered',
    );

  it('three waiters: the first lets the window pass, the second claims at minute 14 and gets a booking with its own lifecycle, the third is never offered', async () => {
    const slot = morningSlot();
    const booking = await book(slot);
    const [first, second, third] = [
      await ctx.createUser('member', { fullName: 'First Waiter' }),
      await ctx.createUser(),
      await ctx.createUser(),
    ];
    const [e1, e2, e3] = [
      await join(first, slot),
      await join(second, slot, { event_name: 'Chamber music' }),
      await join(third, slot),
    ];
    await cancel(booking.id);

    const offer1 = await whenStatus(e1, 'offered');
    assert.equal(
      offer1.offer_expires_at!.getTime() - offer1.notified_at!.getTime(),
      15 * MINUTE,
      'a slot days away is held the whole window',
    );
    assert.equal(offer1.offer_workflow_id, slotOfferWorkflowId(venueId, booking.startsAt, booking.endsAt));
    assert.deepEqual([await statusOf(e2), await statusOf(e3)], ['waiting', 'waiting']);
    const handle = offerHandle(booking);
    const email = await ctx.mailbox.waitFor(
      first.email,
      (m) => m.subject.startsWith('Slot available at LRDC Hall') && /\/actions\/[\w.-]+/.test(m.text),
    );
    assert.match(email.text, /First Waiter/);
    const state = await stateOf(handle);
    assert.deepEqual(
      { phase: state.phase, current: state.current?.entryId, venue: state.venueName },
      { phase: 'offering', current: e1, venue: 'LRDC Hall' },
    );
    const [listed] = (await (await ctx.request('GET', '/api/waitlist/', { token: first.token })).json()) as Array<{
      notified: boolean;
      time_remaining: string | null;
      is_expired: boolean;
    }>;
    assert.equal(listed!.notified, true);
    assert.match(listed!.time_remaining ?? '', /^00:1[45]:\d\d$/);

    await stack.env.sleep('15 minutes');
    const offer2 = await whenStatus(e2, 'offered');
    assert.equal(await statusOf(e1), 'expired');
    assert.ok(
      offer2.notified_at!.getTime() - offer1.offer_expires_at!.getTime() < 5_000,
      'the next waiter is offered as the first offer expires',
    );
    assert.deepEqual(
      await eventually(async () => {
        const types = await notificationTypes(first.id);
        return types.length === 2 ? types : null;
      }, 'the expiry notification'),
      ['waitlist_slot_available', 'waitlist_offer_expired'],
    );
    const late = await claim(first, e1);
    assert.equal(late.status, 400);
    assert.match(((await late.json()) as { error: string }).error, /expired/);

    await stack.env.sleep('14 minutes');
    const claimed = await claim(second, e2);
    assert.equal(claimed.status, 201, await claimed.clone().text());
    const { booking_id: bookingId } = (await claimed.json()) as { booking_id: number };

    const [row] = await ctx.db.sql<
      { user_id: number; status: string; starts_at: Date; ends_at: Date; event_name: string }[]
    >`select user_id, status, lower(during) as starts_at, upper(during) as ends_at, event_name from bookings where id = ${bookingId}`;
    assert.deepEqual(
      { ...row },
      {
        user_id: second.id,
        status: 'active',
        starts_at: booking.startsAt,
        ends_at: booking.endsAt,
        event_name: 'Chamber music',
      },
      'the booking carries the name the waiter typed when joining',
    );
    assert.deepEqual(
      { status: await statusOf(e2), booking: (await entry(e2)).booking_id },
      { status: 'claimed', booking: bookingId },
    );
    const lifecycle = stack.env.client.workflow.getHandle(bookingWorkflowId(bookingId));
    const description = await eventually(() => lifecycle.describe().catch(() => null), `booking-${bookingId} to start`);
    assert.equal(description.status.name, 'RUNNING');
    const bookingState = await eventually(async () => {
      const s = await lifecycle.query(bookingStateQuery);
      return s.startsAt ? s : null;
    }, 'the claimed booking workflow to plan its lifecycle');
    assert.equal(bookingState.phase, 'awaiting_reminder');

    assert.equal(await finished(handle), 'taken');
    const final = await stateOf(handle);
    assert.deepEqual(
      final.offers.map((o) => [o.entryId, o.outcome]),
      [
        [e1, 'expired'],
        [e2, 'claimed'],
      ],
    );
    assert.deepEqual(
      { ...(await entry(e3)) },
      {
        status: 'waiting',
        notified: false,
        notified_at: null,
        offer_expires_at: null,
        booking_id: null,
        offer_workflow_id: null,
      },
    );
    assert.deepEqual(await notificationTypes(third.id), []);
  });

  it('a claim at the moment the offer expires resolves one way only, and the API agrees with the rows', async (t) => {
    const slot = morningSlot();
    const booking = await book(slot);
    const [first, second] = [await ctx.createUser(), await ctx.createUser()];
    const [e1, e2] = [await join(first, slot), await join(second, slot)];
    await cancel(booking.id);
    await whenStatus(e1, 'offered');
    const handle = offerHandle(booking);

    await stack.env.sleep('14 minutes');
    const [response] = await Promise.all([claim(first, e1), stack.env.sleep('1 minute')]);
    await eventually(async () => (await statusOf(e1)) !== 'offered', 'the offer to be settled');
    await outboxDrained();
    const settled = await entry(e1);
    const listed = (await (await ctx.request('GET', '/api/waitlist/', { token: first.token })).json()) as Array<{
      id: number;
      claimed: boolean;
      is_expired: boolean;
      booking_id: number | null;
    }>;
    const view = listed.find((e) => e.id === e1)!;
    const mine = await ctx.db.sql`select id from bookings where user_id = ${first.id}`;
    t.diagnostic(`claim answered ${response.status}; entry ${settled.status}`);

    if (response.status === 201) {
      const { booking_id: bookingId } = (await response.json()) as { booking_id: number };
      assert.deepEqual(
        { status: settled.status, booking: settled.booking_id },
        { status: 'claimed', booking: bookingId },
      );
      assert.deepEqual(
        mine.map((b) => b.id),
        [bookingId],
      );
      assert.deepEqual(
        { claimed: view.claimed, is_expired: view.is_expired, booking_id: view.booking_id },
        { claimed: true, is_expired: false, booking_id: bookingId },
      );
      assert.equal(await finished(handle), 'taken');
      assert.deepEqual(
        (await stateOf(handle)).offers.map((o) => o.outcome),
        ['claimed'],
      );
      assert.deepEqual(await notificationTypes(first.id), ['waitlist_slot_available']);
      assert.equal(await statusOf(e2), 'waiting', 'the slot is taken; nobody else is offered it');
      assert.equal(((await (await claim(first, e1)).json()) as { booking_id: number }).booking_id, bookingId);
    } else {
      assert.equal(response.status, 400, await response.clone().text());
      assert.equal(settled.status, 'expired');
      assert.equal(mine.length, 0);
      assert.deepEqual(
        { claimed: view.claimed, is_expired: view.is_expired, booking_id: view.booking_id },
        { claimed: false, is_expired: true, booking_id: null },
      );
      await whenStatus(e2, 'offered');
      assert.deepEqual(
        (await stateOf(handle)).offers.map((o) => o.outcome),
        ['expired', 'open'],
      );
      assert.equal((await claim(first, e1)).status, 400);
    }
  });

  it('leaving while holding an offer passes it to the next waiter at once, not when the window ends', async () => {
    const slot = morningSlot();
    const booking = await book(slot);
    const [first, second] = [await ctx.createUser(), await ctx.createUser()];
    const [e1, e2] = [await join(first, slot), await join(second, slot)];
    await cancel(booking.id);
    const offer1 = await whenStatus(e1, 'offered');

    const left = await ctx.request('DELETE', `/api/waitlist/${e1}/leave/`, { token: first.token });
    assert.equal(left.status, 200);
    const offer2 = await whenStatus(e2, 'offered');
    assert.ok(offer2.notified_at! < offer1.offer_expires_at!, 'offered before the first window would have ended');
    assert.equal(await statusOf(e1), 'left');
    const state = await stateOf(offerHandle(booking));
    assert.deepEqual(
      state.offers.map((o) => [o.entryId, o.outcome]),
      [
        [e1, 'left'],
        [e2, 'open'],
      ],
    );
    assert.equal(state.current?.entryId, e2);
    assert.deepEqual(await notificationTypes(first.id), ['waitlist_slot_available'], 'a leave is not an expiry');
    await ctx.mailbox.waitFor(second.email, (m) => m.subject.startsWith('Slot available at LRDC Hall'));
  });

  it('two frees of one interval make one workflow: the second joins the running one', async () => {
    const slot = morningSlot();
    const booking = await book(slot);
    const waiter = await ctx.createUser();
    const e1 = await join(waiter, slot);
    await cancel(booking.id);
    await whenStatus(e1, 'offered');
    const handle = offerHandle(booking);
    const { runId } = await handle.describe();

    // Someone books the freed slot directly during the offer, so the waiter's claim finds it taken...
    const quick = await ctx.createUser();
    const rebooked = await book(slot, quick);
    const refused = await claim(waiter, e1);
    assert.equal(refused.status, 409);
    assert.match(((await refused.json()) as { error: string }).error, /booked by someone else/);
    // ...and then cancels: the same interval is freed a second time.
    await cancel(rebooked.id, quick);
    await outboxDrained();

    const starts = await ctx.db.sql<
      { workflow_id: string }[]
    >`select workflow_id from outbox where kind = 'signal_with_start' and workflow_id = ${handle.workflowId}`;
    assert.equal(starts.length, 2);
    const freedSignals = await eventually(async () => {
      const history = await handle.fetchHistory();
      const count = (history.events ?? []).filter(
        (e) => e.workflowExecutionSignaledEventAttributes?.signalName === slotFreedSignal.name,
      ).length;
      return count === 2 ? count : null;
    }, 'the second slotFreed signal');
    assert.equal(freedSignals, 2);
    const now = await handle.describe();
    assert.deepEqual({ runId: now.runId, status: now.status.name }, { runId, status: 'RUNNING' });
    assert.equal((await stateOf(handle)).freed.length, 1, 'the same interval, merged');

    const claimed = await claim(waiter, e1);
    assert.equal(claimed.status, 201, 'the offer was still open, and the slot is free again');
    assert.equal(await finished(handle), 'taken');
  });

  it('a waiter for 10:00–11:00 is offered a freed 10:00–12:00 booking and claims it from the email link; an 11:30–12:30 waiter is not', async () => {
    const slot = morningSlot('10:00', '12:00');
    const booking = await book(slot);
    const [inside, straddling] = [await ctx.createUser(), await ctx.createUser()];
    const eStraddling = await join(straddling, { ...slot, start_time: '11:30', end_time: '12:30' });
    const eInside = await join(inside, { ...slot, start_time: '10:00', end_time: '11:00' });
    await cancel(booking.id);

    const offer = await whenStatus(eInside, 'offered');
    assert.equal(
      offer.offer_workflow_id,
      slotOfferWorkflowId(venueId, booking.startsAt, booking.endsAt),
      'the workflow of the freed 10:00–12:00 interval',
    );
    const email = await ctx.mailbox.waitFor(inside.email, (m) => m.subject.startsWith('Slot available at LRDC Hall'));
    const link = /\/actions\/[\w.-]+/.exec(email.text)![0];
    const page = await ctx.app.request(link, { method: 'POST' });
    assert.equal(page.status, 200, await page.clone().text());
    assert.match(await page.text(), /Slot claimed/);

    const claimedEntry = await whenStatus(eInside, 'claimed');
    const [row] = await ctx.db.sql<
      { user_id: number; starts_at: Date; ends_at: Date }[]
    >`select user_id, lower(during) as starts_at, upper(during) as ends_at from bookings where id = ${claimedEntry.booking_id}`;
    assert.deepEqual(
      { ...row },
      { user_id: inside.id, starts_at: booking.startsAt, ends_at: new Date(booking.startsAt.getTime() + 60 * MINUTE) },
    );
    assert.equal(await finished(offerHandle(booking)), 'taken');
    assert.equal(await statusOf(eStraddling), 'waiting');
  });

  it('a slot 20 minutes away: the second offer lasts only until the slot starts, then the last waiter is closed', async () => {
    // An hour long, or shorter when the venue's midnight is near (a slot ends on the day it starts).
    const slot = [60, 30, 10, 1].flatMap((minutes) => {
      try {
        return [slotAhead(20 * MINUTE, minutes * MINUTE, ZONE)];
      } catch {
        return [];
      }
    })[0]!;
    const body = { venue: venueId, date: slot.date, start_time: slot.start_time, end_time: slot.end_time };
    const booking = await book(body);
    const waiters = [await ctx.createUser(), await ctx.createUser(), await ctx.createUser()];
    const [e1, e2, e3] = [await join(waiters[0]!, body), await join(waiters[1]!, body), await join(waiters[2]!, body)];
    await cancel(booking.id);
    const offer1 = await whenStatus(e1, 'offered');
    assert.equal(offer1.offer_expires_at!.getTime() - offer1.notified_at!.getTime(), 15 * MINUTE);

    await stack.env.sleep('15 minutes');
    const offer2 = await whenStatus(e2, 'offered');
    assert.deepEqual(offer2.offer_expires_at, slot.startsAt, 'held only until the slot starts');

    await stack.env.sleep('6 minutes');
    const handle = offerHandle(booking);
    assert.equal(await finished(handle), 'nobody_eligible');
    assert.deepEqual([await statusOf(e1), await statusOf(e2), await statusOf(e3)], ['expired', 'expired', 'closed']);
    assert.equal((await stateOf(handle)).closedEntries, 1);
    const listed = (await (await ctx.request('GET', '/api/waitlist/', { token: waiters[2]!.token })).json()) as Array<{
      is_expired: boolean;
      notified: boolean;
    }>;
    assert.deepEqual({ ...listed[0] }.is_expired, true);
  });
});
