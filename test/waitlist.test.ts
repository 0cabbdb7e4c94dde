import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { slotFreedSignal } from '../src/contracts/slot-offer-signals';
import { workflowTypes } from '../src/contracts/workflow-types';
import { createTestContext, given, localParts, type TestContext, type TestUser } from './support';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ZONE = 'Asia/Kolkata';

interface SlotBody {
  venue: number;
  date: string;
  start_time: string;
  end_time: string;
}

describe('waitlist API: joining, listing, validation and claims', () => {
  let ctx: TestContext;
  let booker: TestUser;
  let venueId: number;
  let otherVenueId: number;
  let dayOffset = 3;

  before(async () => {
    ctx = await createTestContext();
    booker = await ctx.createUser('member', { fullName: 'Bea Booker' });
    venueId = (await given(ctx).venue({ name: 'LRDC Hall', timeZone: ZONE })).id;
    otherVenueId = (await given(ctx).venue({ name: 'Annexe', timeZone: ZONE })).id;
  });
  after(() => ctx.close());

  /** A fresh local day for each test, so one test's bookings never make another's slot taken or free. */
  function nextDay(): string {
    dayOffset += 1;
    return localParts(new Date(Date.now() + dayOffset * DAY), ZONE).date;
  }

  async function book(slot: SlotBody, who = booker): Promise<number> {
    return (await given(ctx).booking(who, slot.venue, { slot, eventName: 'Seminar' })).booking.id;
  }

  async function join(who: TestUser, slot: SlotBody): Promise<Response> {
    return ctx.request('POST', '/api/waitlist/', { token: who.token, body: slot });
  }

  async function joined(who: TestUser, slot: SlotBody): Promise<{ id: number; priority: number }> {
    const response = await join(who, slot);
    assert.equal(response.status, 201, await response.clone().text());
    return (await response.json()) as { id: number; priority: number };
  }

  async function errorOf(response: Response, status: number): Promise<string> {
    const text = await response.text();
    assert.equal(response.status, status, text);
    return (JSON.parse(text) as { error: string }).error;
  }

  it('a booked slot: two members join in turn and get priorities 1 and 2; each sees the entry and who is ahead', async () => {
    const slot = { venue: venueId, date: nextDay(), start_time: '10:00', end_time: '12:00' };
    await book(slot);
    const [first, second] = [await ctx.createUser(), await ctx.createUser()];

    const response = await join(first, slot);
    assert.equal(response.status, 201);
    const body = (await response.json()) as { id: number; message: string; priority: number };
    assert.equal(body.message, 'Successfully joined waitlist');
    assert.equal(body.priority, 1);
    assert.equal((await joined(second, slot)).priority, 2);

    const list = await ctx.request('GET', '/api/waitlist/', { token: second.token });
    assert.equal(list.status, 200);
    const [entry] = (await list.json()) as Array<Record<string, unknown>>;
    assert.deepEqual(
      {
        venue: entry!.venue,
        venue_name: entry!.venue_name,
        date: entry!.date,
        start_time: entry!.start_time,
        end_time: entry!.end_time,
        priority: entry!.priority,
      },
      {
        venue: venueId,
        venue_name: 'LRDC Hall',
        date: slot.date,
        start_time: '10:00:00',
        end_time: '12:00:00',
        priority: 2,
      },
    );
    assert.deepEqual(
      {
        notified: entry!.notified,
        notified_at: entry!.notified_at,
        time_remaining: entry!.time_remaining,
        is_expired: entry!.is_expired,
        claimed: entry!.claimed,
        booking_id: entry!.booking_id,
      },
      { notified: false, notified_at: null, time_remaining: null, is_expired: false, claimed: false, booking_id: null },
    );

    const mine = await ctx.request('GET', '/api/waitlist/my_waitlist/', { token: second.token });
    assert.equal(mine.status, 200);
    const [view] = (await mine.json()) as Array<Record<string, unknown>>;
    const { starts_at, ends_at, ...rest } = view!;
    assert.deepEqual(rest, {
      id: entry!.id,
      venue: venueId,
      venue_name: 'LRDC Hall',
      time_zone: ZONE,
      date: slot.date,
      start_time: '10:00:00',
      end_time: '12:00:00',
      status: 'waiting',
      offer_expires_at: null,
      offer_starts_at: null,
      offer_ends_at: null,
      notified: false,
      priority: 2,
      users_ahead: 1,
    });
    assert.equal(
      new Date(ends_at as string).getTime() - new Date(starts_at as string).getTime(),
      2 * 3_600_000,
      'the slot as instants too',
    );
    const firstView = (await (
      await ctx.request('GET', '/api/waitlist/my_waitlist', { token: first.token })
    ).json()) as Array<{ users_ahead: number }>;
    assert.equal(firstView[0]!.users_ahead, 0);
  });

  it('each refusal to join answers 400 with a sentence that says why', async () => {
    const day = nextDay();
    const taken = { venue: venueId, date: day, start_time: '09:00', end_time: '10:00' };
    await book(taken);
    const member = await ctx.createUser();

    assert.match(await errorOf(await join(booker, taken), 400), /already have a booking that overlaps/);
    await joined(member, taken);
    assert.match(await errorOf(await join(member, taken), 400), /already on the waitlist for this slot/);
    assert.match(await errorOf(await join(member, { ...taken, date: nextDay() }), 400), /free; book it directly/);
    const yesterday = localParts(new Date(Date.now() - DAY), ZONE).date;
    assert.match(await errorOf(await join(member, { ...taken, date: yesterday }), 400), /"start_time" is in the past/);
    assert.match(await errorOf(await join(member, { ...taken, venue: 999_999 }), 400), /"venue" names no venue/);
    assert.match(await errorOf(await join(member, { ...taken, date: '2030-02-30' }), 400), /"date"/);
    assert.match(
      await errorOf(await join(member, { ...taken, end_time: '08:00' }), 400),
      /"end_time" must be after start_time/,
    );
    assert.equal(
      await errorOf(await join(member, { ...taken, date: '9999-12-31' }), 400),
      'body field "date" is too far ahead: a slot may start at most 365 days from now',
    );
    assert.equal(
      await errorOf(await ctx.request('POST', '/api/waitlist/', { body: taken }), 401),
      'Authentication credentials were not provided',
    );
  });

  it('three open waits on one local day is the limit: the fourth that day is refused, another day is fine', async () => {
    const day = nextDay();
    const member = await ctx.createUser();
    const slots = ['10:00', '11:00', '12:00', '13:00'].map((start, i) => ({
      venue: i % 2 ? otherVenueId : venueId,
      date: day,
      start_time: start,
      end_time: `${10 + i + 1}:00`,
    }));
    for (const slot of slots) await book(slot);
    for (const slot of slots.slice(0, 3)) await joined(member, slot);
    assert.match(
      await errorOf(await join(member, slots[3]!), 400),
      /already on 3 waitlists for .*most allowed for one day/,
    );

    const tomorrow = { venue: venueId, date: nextDay(), start_time: '10:00', end_time: '11:00' };
    await book(tomorrow);
    await joined(member, tomorrow);

    // Leaving one makes room again that day.
    const [left] = (await (
      await ctx.request('GET', '/api/waitlist/my_waitlist', { token: member.token })
    ).json()) as Array<{ id: number }>;
    assert.equal(
      (await ctx.request('DELETE', `/api/waitlist/${left!.id}/leave/`, { token: member.token })).status,
      200,
    );
    await joined(member, slots[3]!);
  });

  it('check_and_join: a free slot says "book directly" (200); a booked one joins the waitlist (201)', async () => {
    const member = await ctx.createUser();
    const free = { venue: venueId, date: nextDay(), start_time: '15:00', end_time: '16:00' };
    const response = await ctx.request('POST', '/api/waitlist/check_and_join/', { token: member.token, body: free });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), {
      slot_available: true,
      message: 'Slot is available, you can book directly',
    });
    assert.equal((await ctx.db.sql`select 1 from waitlist_entries where user_id = ${member.id}`).length, 0);

    await book(free);
    const joinedResponse = await ctx.request('POST', '/api/waitlist/check_and_join/', {
      token: member.token,
      body: free,
    });
    assert.equal(joinedResponse.status, 201);
    const body = (await joinedResponse.json()) as {
      slot_available: boolean;
      joined_waitlist: boolean;
      waitlist_id: number;
      priority: number;
    };
    assert.deepEqual(
      { ...body, waitlist_id: typeof body.waitlist_id },
      { slot_available: false, joined_waitlist: true, waitlist_id: 'number', priority: 1 },
    );
  });

  it('20 members join one slot at the same moment: 20 distinct priorities, 1 to 20', async () => {
    const slot = { venue: venueId, date: nextDay(), start_time: '18:00', end_time: '20:00' };
    await book(slot);
    const members = await Promise.all(Array.from({ length: 20 }, () => ctx.createUser()));
    const responses = await Promise.all(members.map((member) => join(member, slot)));
    const priorities = await Promise.all(
      responses.map(async (response) => {
        assert.equal(response.status, 201, await response.clone().text());
        return ((await response.json()) as { priority: number }).priority;
      }),
    );
    assert.deepEqual(
      [...priorities].sort((a, b) => a - b),
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
  });

  it("a venue's queue: its hall admin and a super admin see it; a member or another venue's hall admin gets 403", async () => {
    const slot = { venue: venueId, date: nextDay(), start_time: '07:00', end_time: '08:00' };
    await book(slot);
    const waiter = await ctx.createUser('member', { fullName: 'Wanda Waiter' });
    await joined(waiter, slot);
    const hallAdmin = await given(ctx).hallAdmin(venueId);
    const otherHallAdmin = await given(ctx).hallAdmin(otherVenueId);
    const superAdmin = await ctx.createUser('super_admin');

    for (const viewer of [hallAdmin, superAdmin]) {
      const response = await ctx.request('GET', `/api/waitlist/?venue=${venueId}`, { token: viewer.token });
      assert.equal(response.status, 200);
      const queue = (await response.json()) as Array<{
        user: number;
        user_name: string;
        venue: number;
        status: string;
      }>;
      assert.ok(queue.some((e) => e.user === waiter.id && e.user_name === 'Wanda Waiter'));
      assert.ok(queue.every((e) => e.venue === venueId && (e.status === 'waiting' || e.status === 'offered')));
    }
    assert.equal((await ctx.request('GET', `/api/waitlist/?venue=${venueId}`, { token: waiter.token })).status, 403);
    assert.equal(
      (await ctx.request('GET', `/api/waitlist/?venue=${venueId}`, { token: otherHallAdmin.token })).status,
      403,
    );
    assert.equal((await ctx.request('GET', '/api/waitlist/?venue=999999', { token: superAdmin.token })).status, 400);
  });

  it('a venue\'s queue comes in pages in queue order (slot, then priority), with Link: rel="next" and at most 100 a page', async () => {
    const venue = await given(ctx).venue({ name: 'Queue Hall', timeZone: ZONE });
    const superAdmin = await ctx.createUser('super_admin');
    const [early, late] = [
      { venue: venue.id, date: nextDay(), start_time: '09:00', end_time: '10:00' },
      { venue: venue.id, date: nextDay(), start_time: '09:00', end_time: '10:00' },
    ];
    await book(early);
    await book(late);
    // Joined late slot first, so id order and queue order differ.
    const waiters = await Promise.all(Array.from({ length: 5 }, () => ctx.createUser()));
    for (const waiter of waiters.slice(0, 3)) await joined(waiter, late);
    for (const waiter of waiters.slice(3)) await joined(waiter, early);

    const seen: Array<{ date: string; priority: number; user: number }> = [];
    let next: string | null = `/api/waitlist/?venue=${venue.id}&limit=2`;
    let pages = 0;
    while (next) {
      const response = await ctx.request('GET', next, { token: superAdmin.token });
      assert.equal(response.status, 200, await response.clone().text());
      const page = (await response.json()) as Array<{ date: string; priority: number; user: number }>;
      assert.ok(page.length <= 2);
      seen.push(...page);
      pages += 1;
      next = /<([^>]+)>; rel="next"/.exec(response.headers.get('link') ?? '')?.[1] ?? null;
    }
    assert.equal(pages, 3);
    assert.deepEqual(
      seen.map((e) => [e.date, e.priority, e.user]),
      [
        [early.date, 1, waiters[3]!.id],
        [early.date, 2, waiters[4]!.id],
        [late.date, 1, waiters[0]!.id],
        [late.date, 2, waiters[1]!.id],
        [late.date, 3, waiters[2]!.id],
      ],
    );

    const tooMany = await ctx.request('GET', `/api/waitlist/?venue=${venue.id}&limit=101`, { token: superAdmin.token });
    assert.equal(tooMany.status, 400);
    assert.match(await errorOf(tooMany, 400), /"limit"/);
    const defaultPage = (await (
      await ctx.request('GET', `/api/waitlist/?venue=${venue.id}`, { token: superAdmin.token })
    ).json()) as unknown[];
    assert.equal(defaultPage.length, 5, 'the default page (50) holds them all');
  });

  describe('claims and leaves (offers set on the rows, as the offer workflow would)', () => {
    async function offered(minutesLeft: number) {
      const slot = { venue: venueId, date: nextDay(), start_time: '14:00', end_time: '15:00' };
      const bookingId = await book(slot);
      const waiter = await ctx.createUser();
      const entry = await joined(waiter, slot);
      assert.equal(
        (await ctx.request('POST', `/api/bookings/${bookingId}/cancel/`, { token: booker.token })).status,
        200,
      );
      await ctx.db.sql`
        update waitlist_entries set status = 'offered', notified = true, notified_at = now(),
          offer_expires_at = now() + make_interval(mins => ${minutesLeft}), offer_workflow_id = 'slot-offer-test'
        where id = ${entry.id}`;
      return { slot, waiter, entry };
    }

    it('the cancel that freed the slot handed it to the waitlist: one signal-with-start, named by venue and interval, with a summary', async () => {
      const { slot } = await offered(15);
      const rows = await ctx.db.sql<
        { workflow_id: string; payload: { staticSummary: string; signal: string; workflowType: string } }[]
      >`
        select workflow_id, payload from outbox where kind = 'signal_with_start' and payload->>'staticSummary' like ${`%${slot.date} 14:00–15:00`}`;
      assert.equal(rows.length, 1);
      assert.match(rows[0]!.workflow_id, new RegExp(`^slot-offer-${venueId}-`));
      assert.equal(rows[0]!.payload.workflowType, workflowTypes.slotOfferWorkflow);
      assert.equal(rows[0]!.payload.signal, slotFreedSignal.name);
      assert.match(rows[0]!.payload.staticSummary, /LRDC Hall/);
    });

    it('claiming an open offer books the slot (201) and repeating the claim answers the same booking', async () => {
      const { waiter, entry } = await offered(15);
      const listed = (await (await ctx.request('GET', '/api/waitlist/', { token: waiter.token })).json()) as Array<{
        time_remaining: string | null;
      }>;
      assert.match(listed[0]!.time_remaining ?? '', /^00:1[45]:\d\d$/);

      const first = await ctx.request('POST', `/api/waitlist/${entry.id}/claim/`, { token: waiter.token });
      assert.equal(first.status, 201);
      const body = (await first.json()) as { message: string; booking_id: number };
      assert.equal(body.message, 'Slot claimed successfully!');
      const again = await ctx.request('POST', `/api/waitlist/${entry.id}/claim/`, { token: waiter.token });
      assert.equal(again.status, 201);
      assert.equal(((await again.json()) as { booking_id: number }).booking_id, body.booking_id);

      const [row] = await ctx.db.sql<
        { status: string; booking_id: number; claimed_at: Date | null }[]
      >`select status, booking_id, claimed_at from waitlist_entries where id = ${entry.id}`;
      assert.deepEqual(
        { status: row!.status, booking_id: row!.booking_id, claimed: row!.claimed_at !== null },
        { status: 'claimed', booking_id: body.booking_id, claimed: true },
      );
      const [booking] = await ctx.db.sql<
        { user_id: number; status: string }[]
      >`select user_id, status from bookings where id = ${body.booking_id}`;
      assert.deepEqual(booking, { user_id: waiter.id, status: 'active' });
      const outbox = await ctx.db.sql<{ kind: string; workflow_id: string }[]>`
        select kind, workflow_id from outbox
        where workflow_id = ${`booking-${body.booking_id}`} or (workflow_id = 'slot-offer-test' and (payload->'args'->0->>'entryId')::bigint = ${entry.id})
        order by id`;
      assert.deepEqual(
        [...outbox],
        [
          { kind: 'start', workflow_id: `booking-${body.booking_id}` },
          { kind: 'signal', workflow_id: 'slot-offer-test' },
        ],
        'the booking starts its lifecycle and the offer workflow hears of the claim',
      );
      const [view] = (await (await ctx.request('GET', '/api/waitlist/', { token: waiter.token })).json()) as Array<{
        claimed: boolean;
        booking_id: number;
        time_remaining: string | null;
      }>;
      assert.deepEqual(
        { claimed: view!.claimed, booking_id: view!.booking_id, time_remaining: view!.time_remaining },
        { claimed: true, booking_id: body.booking_id, time_remaining: null },
      );
    });

    it("another member's claim or leave answers 403 and changes nothing", async () => {
      const { entry } = await offered(15);
      const stranger = await ctx.createUser();
      assert.match(
        await errorOf(await ctx.request('POST', `/api/waitlist/${entry.id}/claim/`, { token: stranger.token }), 403),
        /someone else/,
      );
      assert.equal(
        (await ctx.request('DELETE', `/api/waitlist/${entry.id}/leave/`, { token: stranger.token })).status,
        403,
      );
      assert.equal((await ctx.request('POST', '/api/waitlist/999999/claim/', { token: stranger.token })).status, 404);
      const [row] = await ctx.db.sql<{ status: string }[]>`select status from waitlist_entries where id = ${entry.id}`;
      assert.equal(row!.status, 'offered');
    });

    it('a claim without an open offer, or after it lapsed, answers 400', async () => {
      const slot = { venue: venueId, date: nextDay(), start_time: '16:00', end_time: '17:00' };
      await book(slot);
      const waiter = await ctx.createUser();
      const entry = await joined(waiter, slot);
      assert.match(
        await errorOf(await ctx.request('POST', `/api/waitlist/${entry.id}/claim/`, { token: waiter.token }), 400),
        /no open offer .*waiting/,
      );

      const lapsed = await offered(-1);
      assert.match(
        await errorOf(
          await ctx.request('POST', `/api/waitlist/${lapsed.entry.id}/claim/`, { token: lapsed.waiter.token }),
          400,
        ),
        /offer .* has expired/,
      );
      const [row] = await ctx.db.sql<
        { status: string; booking_id: number | null }[]
      >`select status, booking_id from waitlist_entries where id = ${lapsed.entry.id}`;
      assert.deepEqual(row, { status: 'offered', booking_id: null }, 'the workflow, not the API, marks it expired');
    });

    it('a claim after someone else booked the slot answers 409 and leaves the offer as it was', async () => {
      const { slot, waiter, entry } = await offered(15);
      const quick = await ctx.createUser();
      await book(slot, quick);
      assert.match(
        await errorOf(await ctx.request('POST', `/api/waitlist/${entry.id}/claim/`, { token: waiter.token }), 409),
        /booked by someone else/,
      );
      const [row] = await ctx.db.sql<
        { status: string; booking_id: number | null }[]
      >`select status, booking_id from waitlist_entries where id = ${entry.id}`;
      assert.deepEqual(row, { status: 'offered', booking_id: null });
    });

    it('leaving while holding an offer tells the offer workflow at once; leaving twice answers 400', async () => {
      const { waiter, entry } = await offered(15);
      const response = await ctx.request('DELETE', `/api/waitlist/${entry.id}/leave/`, { token: waiter.token });
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { message: 'Successfully left the waitlist' });
      const [row] = await ctx.db.sql<{ status: string }[]>`select status from waitlist_entries where id = ${entry.id}`;
      assert.equal(row!.status, 'left');
      const signals = await ctx.db.sql<
        { payload: { signal: string; args: Array<{ entryId: number; outcome: string }> } }[]
      >`
        select payload from outbox where workflow_id = 'slot-offer-test' and kind = 'signal' and (payload->'args'->0->>'entryId')::bigint = ${entry.id}`;
      assert.deepEqual(
        signals.map((s) => s.payload.args[0]),
        [{ entryId: entry.id, outcome: 'left' }],
      );
      assert.match(
        await errorOf(await ctx.request('DELETE', `/api/waitlist/${entry.id}/leave/`, { token: waiter.token }), 400),
        /no longer waiting/,
      );
    });
  });
});
