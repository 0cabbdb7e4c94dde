import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { bookingWorkflowId } from '../src/temporal/workflow-ids';
import { formatSlot } from '../src/mail/format-time';
import { bookingStateQuery, cancelSignal, confirmSignal } from '../src/contracts/booking-signals';
import {
  createTestContext,
  eventually,
  given,
  slotAhead,
  startedWorkflow,
  withTimeSkipping,
  type TestContext,
  type TestUser,
  type TimeSkippingStack,
} from './support';
import { assertTimerStep } from './support/timers';

const HOUR = 3_600_000;
const ZONE = 'Asia/Kolkata';

interface BookingRow {
  status: string;
  reminder_sent_at: Date | null;
  confirmed: boolean;
  auto_cancelled_at: Date | null;
  cancelled_by: number | null;
  starts_at: Date;
}

describe('booking lifecycle on the time-skipping server', () => {
  let ctx: TestContext;
  let stack: TimeSkippingStack;
  let booker: TestUser;
  let hallAdmin: TestUser;
  let superAdmin: TestUser;

  before(async () => {
    ctx = await createTestContext();
    booker = await ctx.createUser('member', { fullName: 'Bea Booker' });
    hallAdmin = await ctx.createUser('hall_admin', { fullName: 'Hal Admin' });
    superAdmin = await ctx.createUser('super_admin');
  });
  after(() => ctx.close());
  beforeEach(async () => {
    stack = await withTimeSkipping(ctx);
  });
  afterEach(() => stack.stop());

  /** Books a fresh venue per test, so tests never collide on a slot. */
  async function book(
    aheadMs: number,
    durationMs = 2 * HOUR,
    who = booker,
    eventName = `Quarterly review ${Math.random().toString(36).slice(2, 8)}`,
  ) {
    const venue = await given(ctx).venue({ name: 'LRDC Hall', timeZone: ZONE, admins: [hallAdmin] });
    const { booking, slot } = await given(ctx).booking<{ id: number; confirmed: boolean; event_name: string }>(
      who,
      venue,
      { aheadMs, durationMs, eventName },
    );
    const handle = await startedWorkflow(stack.env.client, bookingWorkflowId(booking.id));
    return { booking, slot, handle };
  }
  const row = async (id: number) =>
    (
      await ctx.db.sql<
        BookingRow[]
      >`select status, reminder_sent_at, confirmed, auto_cancelled_at, cancelled_by, lower(during) as starts_at from bookings where id = ${id}`
    )[0]!;
  const notificationTypes = async (userId: number, bookingId: number) =>
    (
      await ctx.db.sql<
        { notification_type: string }[]
      >`select notification_type from notifications where user_id = ${userId} and link = ${`/bookings/${bookingId}`} order by id`
    ).map((r) => r.notification_type);

  it('booked 3 days ahead, never confirmed: reminded exactly at T−24h, auto-cancelled exactly at T−2h, told by email and in-app', async () => {
    const { booking, slot, handle } = await book(72 * HOUR);
    assert.equal(await handle.result(), 'auto_cancelled');

    const after = await row(booking.id);
    assert.equal(after.status, 'cancelled');
    await assertTimerStep(handle, after.reminder_sent_at, slot.startsAt.getTime() - 24 * HOUR, 'reminder');
    await assertTimerStep(handle, after.auto_cancelled_at, slot.startsAt.getTime() - 2 * HOUR, 'auto-cancel');
    assert.deepEqual(await notificationTypes(booker.id, booking.id), [
      'booking_confirmed',
      'booking_reminder',
      'booking_auto_cancelled',
    ]);
    assert.deepEqual(await notificationTypes(hallAdmin.id, booking.id), ['new_booking']);

    const reminder = await ctx.mailbox.waitFor(
      booker.email,
      (m) => m.subject.includes(booking.event_name) && m.text.includes('/actions/'),
    );
    assert.equal((reminder.text.match(/\/actions\/[\w.-]+/g) ?? []).length >= 2, true, 'Confirm and Cancel links');
    await ctx.mailbox.waitFor(booker.email, (m) => /cancel/i.test(m.subject) && /book again/i.test(m.text));
    await ctx.mailbox.waitFor(hallAdmin.email, (m) => m.subject.includes('LRDC Hall'));
  });

  it('a reminder whose update committed while its worker died is still sent, once', async () => {
    const { booking, handle } = await book(72 * HOUR);
    // What a worker killed after the reminder's update committed, and before its workflow task
    // completed, leaves behind: the row says reminded, and nobody was told.
    await ctx.db.sql`update bookings set reminder_sent = true, reminder_sent_at = now() where id = ${booking.id}`;
    assert.equal(await handle.result(), 'auto_cancelled');
    assert.deepEqual(await notificationTypes(booker.id, booking.id), [
      'booking_confirmed',
      'booking_reminder',
      'booking_auto_cancelled',
    ]);
    await ctx.mailbox.waitFor(
      booker.email,
      (m) => m.subject.includes(booking.event_name) && m.text.includes('/actions/'),
    );
  });

  it('confirmed after the reminder: never auto-cancelled, completed after the event', async () => {
    const { booking, slot, handle } = await book(72 * HOUR);
    await stack.env.sleep(49 * HOUR);
    await eventually(async () => (await row(booking.id)).reminder_sent_at, 'the reminder');
    const confirmed = await ctx.request('POST', `/api/bookings/${booking.id}/confirm/`, { token: booker.token });
    assert.equal(confirmed.status, 200);
    const body = (await confirmed.json()) as { message: string; confirmed_at: string };
    assert.equal(body.message, 'Booking confirmed successfully!');
    const again = (await (
      await ctx.request('POST', `/api/bookings/${booking.id}/confirm`, { token: booker.token })
    ).json()) as { confirmed_at: string };
    assert.equal(again.confirmed_at, body.confirmed_at, 'repeating returns the first confirmed_at');
    await eventually(
      async () => (await handle.query(bookingStateQuery)).phase === 'confirmed',
      'the workflow to see the confirmation',
    );

    assert.equal(await handle.result(), 'completed');
    const after = await row(booking.id);
    assert.equal(after.status, 'completed');
    assert.equal(after.auto_cancelled_at, null);
    assert.ok(Date.now() < slot.startsAt.getTime(), 'all in skipped time');
    assert.deepEqual(await notificationTypes(booker.id, booking.id), ['booking_confirmed', 'booking_reminder']);
  });

  it('confirmed through the Confirm link of the reminder email: GET shows a page and changes nothing, POST confirms', async () => {
    const { booking, handle } = await book(5 * HOUR);
    const reminder = await ctx.mailbox.waitFor(
      booker.email,
      (m) => m.subject.includes(booking.event_name) && m.text.includes('/actions/'),
    );
    const links = [...reminder.text.matchAll(/https?:\/\/\S+\/actions\/[\w.-]+/g)].map((m) => new URL(m[0]).pathname);
    assert.equal(links.length, 2, 'a Confirm and a Cancel link');
    const pages = await Promise.all(
      links.map(async (link) => ({ link, html: await (await ctx.app.request(link)).text() })),
    );
    const confirmLink = pages.find((p) => /Yes, I still need it/.test(p.html))!.link;

    const shown = await ctx.app.request(confirmLink);
    assert.equal(shown.status, 200);
    assert.equal((await row(booking.id)).confirmed, false, 'opening the link changed nothing');
    const done = await ctx.app.request(confirmLink, { method: 'POST' });
    assert.equal(done.status, 200);
    assert.match(await done.text(), /confirmed/i);
    assert.equal((await row(booking.id)).confirmed, true);
    await eventually(
      async () => (await handle.query(bookingStateQuery)).phase === 'confirmed',
      'the workflow to see the confirmation',
    );
    assert.equal(await handle.result(), 'completed');
  });

  it("the reminder's Confirm and Cancel links after a reschedule: a page says the booking changed and links to it, nothing changes; the new reminder's links work", async () => {
    const { booking, handle } = await book(5 * HOUR);
    const reminder = await ctx.mailbox.waitFor(
      booker.email,
      (m) => m.subject.includes(booking.event_name) && m.text.includes('/actions/'),
    );
    const reminderLinks = async (mail: typeof reminder) => {
      const links = [...mail.text.matchAll(/https?:\/\/\S+\/actions\/[\w.-]+/g)].map((m) => new URL(m[0]).pathname);
      const pages = await Promise.all(
        links.map(async (link) => ({ link, html: await (await ctx.app.request(link)).text() })),
      );
      return {
        confirm: pages.find((p) => /Yes, I still need it/.test(p.html))!.link,
        cancel: pages.find((p) => /Cancel booking/.test(p.html))!.link,
      };
    };
    const old = await reminderLinks(reminder);

    // Moved to later the same day: still inside the reminder lead, so the new reminder goes out at once.
    const moved = slotAhead(8 * HOUR, 2 * HOUR, ZONE);
    const patch = await ctx.request('PATCH', `/api/bookings/${booking.id}/`, {
      token: booker.token,
      body: { date: moved.date, start_time: moved.start_time, end_time: moved.end_time },
    });
    assert.equal(patch.status, 200, await patch.clone().text());
    const signalled = async (name: string) =>
      (
        await ctx.db
          .sql`select 1 from outbox where kind = 'signal' and workflow_id = ${bookingWorkflowId(booking.id)} and payload->>'signal' = ${name}`
      ).length;

    for (const link of [old.confirm, old.cancel]) {
      for (const method of ['GET', 'POST']) {
        const page = await ctx.app.request(link, { method });
        const html = await page.text();
        assert.equal(page.status, 409, `${method} ${link === old.confirm ? 'confirm' : 'cancel'}`);
        assert.match(html, /<h1>This booking has changed<\/h1>/);
        assert.match(html, /rescheduled after this email was sent/);
        assert.ok(html.includes(`<a href="/bookings/${booking.id}">`), 'a link to the booking as it is now');
        assert.ok(html.includes(formatSlot(moved.startsAt, moved.endsAt, ZONE)), 'showing its new time');
        assert.ok(!html.includes('<form'), 'no button');
      }
    }
    const after = await row(booking.id);
    assert.deepEqual(
      { status: after.status, confirmed: after.confirmed, starts_at: after.starts_at.toISOString() },
      { status: 'active', confirmed: false, starts_at: moved.startsAt.toISOString() },
    );
    assert.equal(await signalled(confirmSignal.name), 0);
    assert.equal(await signalled(cancelSignal.name), 0);

    // The moved booking is reminded again at once, with links for its new schedule.
    const second = await ctx.mailbox.waitFor(
      booker.email,
      (m) => m.id !== reminder.id && m.subject.includes(booking.event_name) && m.text.includes('/actions/'),
    );
    const current = await reminderLinks(second);
    const confirmed = await ctx.app.request(current.confirm, { method: 'POST' });
    assert.equal(confirmed.status, 200);
    assert.match(await confirmed.text(), /<h1>Attendance confirmed<\/h1>/);
    assert.equal((await row(booking.id)).confirmed, true);
    await eventually(
      async () => (await handle.query(bookingStateQuery)).phase === 'confirmed',
      'the workflow to see the confirmation',
    );
  });

  it('booked 5 h ahead: reminded at once', async () => {
    const { booking, slot } = await book(5 * HOUR);
    const reminded = await eventually(async () => (await row(booking.id)).reminder_sent_at, 'the reminder');
    assert.ok(
      reminded.getTime() < slot.startsAt.getTime() - 2 * HOUR,
      'reminded before the first timer (T−2h) could fire',
    );
    assert.equal(booking.confirmed, false);
  });

  it('booked 1 h ahead: confirmed on creation, no reminder, no auto-cancel', async () => {
    const { booking, handle } = await book(HOUR, 30 * 60_000);
    assert.equal(booking.confirmed, true);
    assert.equal(await handle.result(), 'completed');
    const after = await row(booking.id);
    assert.equal(after.reminder_sent_at, null);
    assert.equal(after.auto_cancelled_at, null);
    assert.equal(after.status, 'completed');
  });

  it('cancelled before the reminder: no reminder, a cancellation email and notification, the workflow ends', async () => {
    const { booking, handle } = await book(72 * HOUR);
    const cancelled = await ctx.request('POST', `/api/bookings/${booking.id}/cancel/`, {
      token: booker.token,
      body: { reason: 'Plans changed' },
    });
    assert.equal(cancelled.status, 200);
    assert.equal(((await cancelled.json()) as { booking: { status: string } }).booking.status, 'cancelled');
    assert.equal(await handle.result(), 'cancelled');
    assert.equal((await row(booking.id)).reminder_sent_at, null);
    assert.deepEqual(await notificationTypes(booker.id, booking.id), ['booking_confirmed', 'booking_cancelled']);
    await ctx.mailbox.waitFor(booker.email, (m) => /cancel/i.test(m.subject) && m.text.includes('Plans changed'));
    assert.equal(
      (await ctx.request('POST', `/api/bookings/${booking.id}/cancel/`, { token: booker.token })).status,
      409,
    );
  });

  it('cancelled by a hall admin after the reminder: the booker is told who cancelled', async () => {
    const { booking, handle } = await book(72 * HOUR);
    await stack.env.sleep(49 * HOUR);
    await eventually(async () => (await row(booking.id)).reminder_sent_at, 'the reminder');
    const cancelled = await ctx.request('POST', `/api/bookings/${booking.id}/cancel`, {
      token: hallAdmin.token,
      body: { reason: 'Maintenance' },
    });
    assert.equal(cancelled.status, 200);
    assert.equal(await handle.result(), 'cancelled');
    assert.equal((await row(booking.id)).cancelled_by, hallAdmin.id);
    await ctx.mailbox.waitFor(
      booker.email,
      (m) => /cancel/i.test(m.subject) && m.text.includes('Hal Admin') && m.text.includes('Maintenance'),
    );
  });

  it('admin override confirms for the booker; members get 403', async () => {
    const { booking, handle } = await book(72 * HOUR);
    const other = await ctx.createUser('member');
    assert.equal(
      (await ctx.request('POST', `/api/bookings/${booking.id}/override_autocancel/`, { token: booker.token })).status,
      403,
    );
    assert.equal(
      (await ctx.request('POST', `/api/bookings/${booking.id}/override_autocancel/`, { token: other.token })).status,
      404,
    );
    assert.equal(
      (await ctx.request('POST', `/api/bookings/${booking.id}/confirm/`, { token: hallAdmin.token })).status,
      403,
    );
    const overridden = await ctx.request('POST', `/api/bookings/${booking.id}/override_autocancel/`, {
      token: superAdmin.token,
    });
    assert.equal(overridden.status, 200);
    assert.deepEqual(await overridden.json(), { message: 'Auto-cancel overridden. Booking confirmed.' });
    assert.equal(await handle.result(), 'completed');
    assert.equal((await row(booking.id)).reminder_sent_at, null, 'confirmed before the reminder was due: no reminder');
  });

  it('rescheduled after the reminder: the booker is told the new time, reminder and confirmation cleared, a new reminder at the new T−24h', async () => {
    const { booking, handle } = await book(30 * HOUR);
    await stack.env.sleep(7 * HOUR);
    const first = await eventually(async () => (await row(booking.id)).reminder_sent_at, 'the first reminder');
    const moved = slotAhead(30 * HOUR + 3 * 24 * HOUR, 2 * HOUR, ZONE);
    const patch = await ctx.request('PATCH', `/api/bookings/${booking.id}/`, {
      token: booker.token,
      body: { date: moved.date, start_time: moved.start_time, end_time: moved.end_time },
    });
    assert.equal(patch.status, 200, await patch.clone().text());
    const patched = (await patch.json()) as { reminder_sent: boolean; confirmed: boolean; date: string };
    assert.equal(patched.reminder_sent, false);
    assert.equal(patched.confirmed, false);
    assert.equal(patched.date, moved.date);
    await eventually(
      async () =>
        (await handle.query(bookingStateQuery)).nextDeadline ===
        new Date(moved.startsAt.getTime() - 24 * HOUR).toISOString(),
      're-armed timers',
    );

    assert.equal(await handle.result(), 'auto_cancelled');
    const after = await row(booking.id);
    assert.ok(after.reminder_sent_at && after.reminder_sent_at > first);
    await assertTimerStep(handle, after.reminder_sent_at, moved.startsAt.getTime() - 24 * HOUR, 'second reminder');
    await assertTimerStep(
      handle,
      after.auto_cancelled_at,
      moved.startsAt.getTime() - 2 * HOUR,
      'auto-cancel at the new deadline',
    );
    const reminders = await ctx.db
      .sql`select 1 from notifications where user_id = ${booker.id} and notification_type = 'booking_reminder' and link = ${`/bookings/${booking.id}`}`;
    assert.equal(reminders.length, 2);
    assert.deepEqual(
      await notificationTypes(booker.id, booking.id),
      ['booking_confirmed', 'booking_reminder', 'booking_rescheduled', 'booking_reminder', 'booking_auto_cancelled'],
      'the workflow told the booker of the new time',
    );
    await ctx.mailbox.waitFor(
      booker.email,
      (m) => m.subject.startsWith('Booking moved') && m.subject.includes(booking.event_name),
    );
  });

  it('a confirm racing the auto-cancel resolves one way, and the API agrees with the row', async () => {
    const { booking, handle } = await book(5 * HOUR);
    await eventually(async () => (await row(booking.id)).reminder_sent_at, 'the reminder');
    const [confirm] = await Promise.all([
      ctx.request('POST', `/api/bookings/${booking.id}/confirm/`, { token: booker.token }),
      stack.env.sleep(3 * HOUR),
    ]);
    const result = await handle.result();
    const after = await row(booking.id);
    if (confirm.status === 200) {
      assert.equal(after.confirmed, true);
      assert.equal(after.auto_cancelled_at, null);
      assert.equal(result, 'completed');
    } else {
      assert.equal(confirm.status, 409);
      assert.equal(after.confirmed, false);
      assert.ok(after.auto_cancelled_at);
      assert.equal(result, 'auto_cancelled');
    }
  });
});

describe('booking across a daylight-saving change', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
    await withTimeSkipping(ctx);
  });
  after(() => ctx.close());

  it('stores venue-local times as the right instants and reminds 24 real hours before', async () => {
    const user = await ctx.createUser('member');
    const venue = await given(ctx).venue({ name: 'Hudson Lab', timeZone: 'America/New_York' });
    // Find the next DST change in New York, then book 10:00 local on the day after it.
    const day = nextDayAfterDstChange('America/New_York');
    const response = await ctx.request('POST', '/api/bookings/', {
      token: user.token,
      body: { venue: venue.id, date: day, start_time: '10:00', end_time: '11:30', event_name: 'Lab session' },
    });
    assert.equal(response.status, 201);
    const booking = (await response.json()) as { id: number; date: string; start_time: string; end_time: string };
    assert.deepEqual([booking.date, booking.start_time, booking.end_time], [day, '10:00:00', '11:30:00']);
    const [stored] = await ctx.db.sql<
      { starts_at: Date }[]
    >`select lower(during) as starts_at from bookings where id = ${booking.id}`;
    // Read back through the ICU zone rules (independent of PostgreSQL's): 10:00 on that day in New York.
    const wall = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'America/New_York',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(stored!.starts_at);
    assert.equal(wall, `${day} 10:00`);
    const [utcCheck] = await ctx.db.sql<
      { local: string }[]
    >`select to_char(${stored!.starts_at}::timestamptz at time zone 'America/New_York', 'YYYY-MM-DD HH24:MI') as local`;
    assert.equal(utcCheck!.local, `${day} 10:00`);

    const skipped = await ctx.request('POST', '/api/bookings/', {
      token: user.token,
      body: {
        venue: venue.id,
        date: nextSpringForward('America/New_York'),
        start_time: '02:30',
        end_time: '03:30',
        event_name: 'Ghost hour',
      },
    });
    assert.equal(skipped.status, 400);
    assert.match(((await skipped.json()) as { error: string }).error, /start_time/);
  });
});

/** YYYY-MM-DD of the day after the next DST transition in `zone`. */
function nextDayAfterDstChange(zone: string): string {
  const offsetAt = (t: number) =>
    new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'shortOffset' })
      .formatToParts(t)
      .find((p) => p.type === 'timeZoneName')!.value;
  let t = Date.now() + 2 * 24 * HOUR;
  const first = offsetAt(t);
  while (offsetAt(t) === first) t += HOUR;
  return localDate(t + 24 * HOUR, zone);
}

/** YYYY-MM-DD of the next spring-forward day in `zone` (02:00–03:00 does not exist). */
function nextSpringForward(zone: string): string {
  const offsetHours = (t: number) =>
    Number(
      new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'shortOffset' })
        .formatToParts(t)
        .find((p) => p.type === 'timeZoneName')!
        .value.replace('GMT', '') || 0,
    );
  let t = Date.now() + 24 * HOUR;
  while (!(offsetHours(t + HOUR) > offsetHours(t))) t += HOUR;
  return localDate(t + HOUR, zone);
}

function localDate(t: number, zone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    t,
  );
}
