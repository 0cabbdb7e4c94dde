import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { bookingWorkflowId } from '../src/temporal/workflow-ids';
import { bookingStateQuery } from '../src/contracts/booking-signals';
import {
  createTestContext,
  eventually,
  given,
  localParts,
  startedWorkflow,
  withTimeSkipping,
  zoneWithRoom,
  type TestContext,
  type TestUser,
  type TimeSkippingStack,
} from './support';
import { assertTimerStep } from './support/timers';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const ZONE = 'Asia/Kolkata';

interface BookingRow {
  status: string;
  no_show: boolean;
  no_show_at: Date | null;
  checked_in_at: Date | null;
  starts_at: Date;
  ends_at: Date;
}

/**
 * Check-in and no-show release on the time-skipping server, over real PostgreSQL and MailDev: a
 * venue that asks for check-in releases a booking nobody checked in to exactly when its window
 * closes, tells the booker and the hall admins, and offers the rest of the slot to the waitlist; a
 * check-in from the API or from the reminder's link keeps it.
 */
describe('check-in and no-show release', () => {
  let ctx: TestContext;
  let stack: TimeSkippingStack;
  let booker: TestUser;
  let waiter: TestUser;
  let hallAdmin: TestUser;
  let otherAdmin: TestUser;

  before(async () => {
    ctx = await createTestContext();
    [booker, waiter, hallAdmin, otherAdmin] = await Promise.all([
      ctx.createUser('member', { fullName: 'Bea Booker' }),
      ctx.createUser('member', { fullName: 'Will Waiter' }),
      ctx.createUser('hall_admin', { fullName: 'Hal Admin' }),
      ctx.createUser('hall_admin'),
    ]);
  });
  after(() => ctx.close());
  beforeEach(async () => {
    stack = await withTimeSkipping(ctx);
  });
  afterEach(() => stack.stop());

  /** A venue of its own, administered by hallAdmin, asking for check-in through its API as its admin would set it. */
  async function checkInVenue(opensBeforeMinutes: number, closesAfterMinutes = 15, zone = ZONE): Promise<number> {
    const venue = await given(ctx).venue({
      name: `Study Room ${Math.random().toString(36).slice(2, 7)}`,
      timeZone: zone,
      admins: [hallAdmin],
    });
    const set = await ctx.request('PATCH', `/api/venues/${venue.id}`, {
      token: hallAdmin.token,
      body: {
        check_in: {
          required: true,
          opens_before_minutes: opensBeforeMinutes,
          closes_after_minutes: closesAfterMinutes,
        },
      },
    });
    assert.equal(set.status, 200, await set.clone().text());
    return venue.id;
  }

  async function book(venueId: number, aheadMs: number, durationMs = 2 * HOUR, zone = ZONE) {
    const { booking, slot } = await given(ctx).booking<{
      id: number;
      event_name: string;
      check_in_opens_at: string;
      check_in_closes_at: string;
    }>(
      booker,
      { id: venueId, timeZone: zone },
      { aheadMs, durationMs, eventName: `Study session ${Math.random().toString(36).slice(2, 7)}` },
    );
    const handle = await startedWorkflow(stack.env.client, bookingWorkflowId(booking.id));
    return { booking, slot, handle };
  }
  const row = async (id: number) =>
    (
      await ctx.db.sql<
        BookingRow[]
      >`select status, no_show, no_show_at, checked_in_at, lower(during) as starts_at, upper(during) as ends_at from bookings where id = ${id}`
    )[0]!;
  const notificationsOf = async (userId: number, type: string, bookingId?: number) =>
    ctx.db.sql<{ link: string; message: string }[]>`
      select link, message from notifications where user_id = ${userId} and notification_type = ${type}
        and ${bookingId === undefined ? ctx.db.sql`true` : ctx.db.sql`link = ${`/bookings/${bookingId}`}`} order by id`;

  it("a venue's check-in rule is set by its own admins only, within sensible bounds, and shows on the venue and its bookings", async () => {
    const venueId = await checkInVenue(30, 10);
    const venues = (await (await ctx.request('GET', '/api/venues', { token: booker.token })).json()) as Array<{
      id: number;
      check_in: unknown;
    }>;
    assert.deepEqual(venues.find((v) => v.id === venueId)?.check_in, {
      required: true,
      opens_before_minutes: 30,
      closes_after_minutes: 10,
    });
    for (const who of [otherAdmin, booker]) {
      assert.equal(
        (
          await ctx.request('PATCH', `/api/venues/${venueId}`, {
            token: who.token,
            body: { check_in: { required: false } },
          })
        ).status,
        403,
      );
    }
    const bad = await ctx.request('PATCH', `/api/venues/${venueId}`, {
      token: hallAdmin.token,
      body: { check_in: { required: true, closes_after_minutes: 0 } },
    });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: string }).error, /closes_after_minutes/);
    assert.equal(
      (
        await ctx.request('PATCH', '/api/venues/999999999', {
          token: hallAdmin.token,
          body: { check_in: { required: true } },
        })
      ).status,
      404,
    );

    const { booking, slot } = await book(venueId, 3 * HOUR);
    assert.equal(new Date(booking.check_in_opens_at).getTime(), slot.startsAt.getTime() - 30 * MINUTE);
    assert.equal(new Date(booking.check_in_closes_at).getTime(), slot.startsAt.getTime() + 10 * MINUTE);
  });

  it('nobody checks in: released as a no-show exactly when the window closes; booker and hall admin told; the rest of the slot offered to a waiter', async () => {
    const zone = zoneWithRoom(Date.now(), Date.now() + 4 * HOUR);
    const venueId = await checkInVenue(15, 15, zone);
    // Booked an hour ahead: confirmed on creation, so only the check-in stands between it and its end.
    const { booking, slot, handle } = await book(venueId, HOUR, 2 * HOUR, zone);
    const later = {
      date: slot.date,
      start_time: localParts(new Date(slot.startsAt.getTime() + 30 * MINUTE), zone).time,
      end_time: slot.end_time,
    };
    const joined = await ctx.request('POST', '/api/waitlist', {
      token: waiter.token,
      body: { venue: venueId, ...later },
    });
    assert.equal(joined.status, 201, await joined.clone().text());

    assert.equal(await handle.result(), 'no_show');
    const after = await row(booking.id);
    assert.equal(after.status, 'cancelled');
    assert.equal(after.no_show, true);
    await assertTimerStep(handle, after.no_show_at, slot.startsAt.getTime() + 15 * MINUTE, 'the no-show release');

    const [toBooker] = await notificationsOf(booker.id, 'booking_no_show');
    assert.match(toBooker?.message ?? '', /released as a no-show/);
    assert.equal(toBooker?.link, `/bookings/${booking.id}`);
    assert.match(
      (await notificationsOf(hallAdmin.id, 'booking_no_show'))[0]?.message ?? '',
      /Bea Booker did not check in/,
    );
    await ctx.mailbox.waitFor(
      booker.email,
      (m) => m.subject.startsWith('Released as a no-show') && m.subject.includes(booking.event_name),
    );
    await ctx.mailbox.waitFor(
      hallAdmin.email,
      (m) => m.subject.startsWith('No-show at') && m.text.includes('Bea Booker'),
    );

    await eventually(
      async () => (await notificationsOf(waiter.id, 'waitlist_slot_available')).length === 1,
      'the waiter offered the rest of the slot',
    );
    await ctx.mailbox.waitFor(waiter.email, (m) => /Slot available/.test(m.subject));

    const counts = (await (
      await ctx.request('GET', `/api/venues/${venueId}/no_shows`, { token: hallAdmin.token })
    ).json()) as Array<{ user_id: number; no_shows: number }>;
    assert.deepEqual(
      counts.map((c) => [c.user_id, c.no_shows]),
      [[booker.id, 1]],
      "the hall admin sees the member's no-show",
    );
    assert.equal(
      (await ctx.request('GET', `/api/venues/${venueId}/no_shows`, { token: otherAdmin.token })).status,
      403,
    );
  });

  it('checked in through the API inside the window: kept, completed at its end; repeating answers the first check-in; nobody else may', async () => {
    // The window opens two hours before the start, so the real clock is inside it now.
    const venueId = await checkInVenue(120);
    const { booking, handle } = await book(venueId, HOUR);
    assert.equal(
      (await ctx.request('POST', `/api/bookings/${booking.id}/check_in`, { token: waiter.token })).status,
      404,
      'another member cannot see it',
    );
    const first = await ctx.request('POST', `/api/bookings/${booking.id}/check_in`, { token: booker.token });
    assert.equal(first.status, 200, await first.clone().text());
    const { checked_in_at } = (await first.json()) as { checked_in_at: string };
    assert.ok(checked_in_at);
    const again = (await (
      await ctx.request('POST', `/api/bookings/${booking.id}/check_in`, { token: booker.token })
    ).json()) as { checked_in_at: string };
    assert.equal(again.checked_in_at, checked_in_at);
    await eventually(
      async () => (await handle.query(bookingStateQuery)).phase === 'confirmed',
      'the workflow to stop waiting for check-in',
    );

    assert.equal(await handle.result(), 'completed');
    const after = await row(booking.id);
    assert.deepEqual([after.status, after.no_show], ['completed', false]);
    assert.equal((await notificationsOf(booker.id, 'booking_no_show', booking.id)).length, 0);
  });

  it('a check-in before the window opens is refused with when it opens', async () => {
    const venueId = await checkInVenue(15);
    const { booking } = await book(venueId, 3 * HOUR);
    const early = await ctx.request('POST', `/api/bookings/${booking.id}/check_in`, { token: booker.token });
    assert.equal(early.status, 409);
    assert.match(((await early.json()) as { error: string }).error, /Check-in opens at/);
    assert.equal((await row(booking.id)).checked_in_at, null);
  });

  it('the reminder carries a Check in link: opening it changes nothing, pressing it checks in, and the booking is kept', async () => {
    // Five hours ahead: reminded at once; the window (six hours before the start) is already open.
    const venueId = await checkInVenue(360);
    const { booking, handle } = await book(venueId, 5 * HOUR);
    const reminder = await ctx.mailbox.waitFor(
      booker.email,
      (m) => m.subject.includes(booking.event_name) && /Check in/.test(m.text),
    );
    const links = [...reminder.text.matchAll(/https?:\/\/\S+\/actions\/[\w.-]+/g)].map((m) => new URL(m[0]).pathname);
    assert.equal(links.length, 3, 'Confirm, Cancel and Check in');
    const pages = await Promise.all(
      links.map(async (link) => ({ link, html: await (await ctx.app.request(link)).text() })),
    );
    const checkInLink = pages.find((p) => />\s*Check in\s*</.test(p.html))?.link;
    assert.ok(
      checkInLink,
      `one link opens a page with a Check in button: ${pages.map((p) => /<h1>([^<]*)/.exec(p.html)?.[1]).join(' | ')}`,
    );
    assert.equal((await row(booking.id)).checked_in_at, null, 'opening it changed nothing');

    const pressed = await ctx.app.request(checkInLink, { method: 'POST' });
    assert.equal(pressed.status, 200);
    assert.match(await pressed.text(), /You are checked in/);
    assert.ok((await row(booking.id)).checked_in_at);

    await ctx.request('POST', `/api/bookings/${booking.id}/confirm`, { token: booker.token });
    assert.equal(await handle.result(), 'completed');
    assert.equal((await row(booking.id)).no_show, false);
  });
});
