import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { bookingWorkflowId } from '../src/temporal/workflow-ids';
import {
  createTestContext,
  eventually,
  given,
  localParts,
  startedWorkflow,
  withTimeSkipping,
  zoneWithRoom,
  type ReceivedEmail,
  type TestContext,
  type TestUser,
  type TimeSkippingStack,
} from './support';
import { invitationOf, parseCalendar } from './support/invitations';

const HOUR = 3_600_000;
const MINUTE = 60_000;

interface BookingJson {
  id: number;
  event_name: string;
  status: string;
  confirm_by: string | null;
  cancel_reason: string | null;
  reminder_sent: boolean;
}

/**
 * The five ways a notice used to mislead, each over the real worker, outbox relay, PostgreSQL and
 * MailDev on the time-skipping server: ghost calendar events after an auto-cancel or a no-show,
 * offers to people who left, the waiter for a no-show's own slot passed over, a booking cancelled
 * without its owner ever being asked, and "confirmed" said of a booking nobody confirmed.
 */
describe('notices that never mislead', () => {
  let ctx: TestContext;
  let stack: TimeSkippingStack | undefined;
  let superAdmin: TestUser;
  let hallAdmin: TestUser;
  let mailDevUrl: string;

  before(async () => {
    ctx = await createTestContext();
    mailDevUrl = `http://127.0.0.1:${ctx.config.mail.devWebPort}`;
    [superAdmin, hallAdmin] = await Promise.all([
      ctx.createUser('super_admin'),
      ctx.createUser('hall_admin', { fullName: 'Hal Admin' }),
    ]);
  });
  after(() => ctx.close());
  beforeEach(async () => {
    stack = await withTimeSkipping(ctx);
  });
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
  });

  const member = (fullName: string) => ctx.createUser('member', { fullName });

  async function venue(zone = 'Asia/Kolkata', checkIn = false): Promise<number> {
    return (
      await given(ctx).venue({
        timeZone: zone,
        admins: [hallAdmin],
        checkIn: checkIn ? { opensBeforeMinutes: 15, closesAfterMinutes: 15 } : undefined,
      })
    ).id;
  }

  async function book(who: TestUser, venueId: number, aheadMs: number, durationMs = 2 * HOUR, zone = 'Asia/Kolkata') {
    const eventName = `Seminar ${Math.random().toString(36).slice(2, 8)}`;
    const { booking, slot } = await given(ctx).booking<BookingJson>(
      who,
      { id: venueId, timeZone: zone },
      { aheadMs, durationMs, eventName },
    );
    const handle = await startedWorkflow(stack!.env.client, bookingWorkflowId(booking.id));
    return { booking, slot, handle };
  }

  const bookingView = async (who: TestUser, id: number) =>
    (await (await ctx.request('GET', `/api/bookings/${id}`, { token: who.token })).json()) as BookingJson;
  const inApp = (userId: number, type: string) =>
    ctx.db.sql<
      { title: string; message: string; link: string }[]
    >`select title, message, link from notifications where user_id = ${userId} and notification_type = ${type} order by id`;

  /** The email's invite.ics as ical.js reads it: METHOD and the one event's UID. */
  async function calendarOf(mail: ReceivedEmail): Promise<{ method: string | null; uid: string; sequence: number }> {
    const invitation = await invitationOf(mailDevUrl, mail);
    assert.ok(invitation, `"${mail.subject}" carries invite.ics`);
    assert.match(
      invitation.source,
      /Content-Type: text\/calendar; charset=utf-8; method=CANCEL/i,
      'and a text/calendar part calendars act on',
    );
    const parsed = parseCalendar(invitation.attachment.content);
    assert.equal(parsed.events.length, 1);
    return { method: parsed.method, uid: parsed.events[0]!.uid, sequence: parsed.events[0]!.sequence };
  }

  it("an auto-cancelled booking's email carries METHOD:CANCEL for the event its invitation made", async () => {
    const booker = await member('Avery Auto');
    const { booking, handle } = await book(booker, await venue(), 3 * 24 * HOUR);
    const made = await ctx.mailbox.waitFor(
      booker.email,
      (m) => m.subject.includes(booking.event_name) && m.subject.startsWith('Booked'),
    );
    const madeUid = parseCalendar((await invitationOf(mailDevUrl, made))!.attachment.content).events[0]!.uid;

    assert.equal(await handle.result(), 'auto_cancelled');
    const cancelled = await ctx.mailbox.waitFor(
      booker.email,
      (m) => m.subject.startsWith('Booking cancelled automatically') && m.subject.includes(booking.event_name),
    );
    const calendar = await calendarOf(cancelled);
    assert.equal(calendar.method, 'CANCEL');
    assert.equal(calendar.uid, madeUid, 'the same event the booking-made invitation added');
    assert.equal(calendar.sequence, 2, 'one revision past the invitation (schedule version 1)');
  });

  it("a no-show: the booker's email takes the event out of their calendar, and the waiter who asked for that very slot is offered the rest of it", async () => {
    const zone = zoneWithRoom(Date.now(), Date.now() + 4 * HOUR);
    const venueId = await venue(zone, true);
    const [booker, waiter] = await Promise.all([member('Nora Noshow'), member('Wes Waiter')]);
    // An hour ahead: confirmed on creation, so only the check-in stands between it and its end.
    const { booking, slot, handle } = await book(booker, venueId, HOUR, 2 * HOUR, zone);
    // The app's one-click "Join the waitlist" asks for exactly the booked slot.
    const joined = await ctx.request('POST', '/api/waitlist', {
      token: waiter.token,
      body: { venue: venueId, date: slot.date, start_time: slot.start_time, end_time: slot.end_time },
    });
    assert.equal(joined.status, 201, await joined.clone().text());

    assert.equal(await handle.result(), 'no_show');
    const released = await ctx.mailbox.waitFor(
      booker.email,
      (m) => m.subject.startsWith('Released as a no-show') && m.subject.includes(booking.event_name),
    );
    const calendar = await calendarOf(released);
    assert.equal(calendar.method, 'CANCEL');
    assert.equal(calendar.uid, `booking-${booking.id}@${new URL(ctx.config.http.publicBaseUrl).hostname}`);
    const toAdmin = await ctx.mailbox.waitFor(
      hallAdmin.email,
      (m) => m.subject.startsWith('No-show at') && m.subject.includes(booking.event_name),
    );
    assert.equal(await invitationOf(mailDevUrl, toAdmin), null, 'the hall admin never had the event in a calendar');

    // The rest of the slot: from the release (the window's close, 15 minutes after the start) to the end.
    const releasedAt = slot.startsAt.getTime() + 15 * MINUTE;
    const [offer] = await eventually(async () => {
      const entries = (await (
        await ctx.request('GET', '/api/waitlist/my_waitlist', { token: waiter.token })
      ).json()) as Array<{ status: string; offer_starts_at: string | null; offer_ends_at: string | null }>;
      return entries[0]?.status === 'offered' ? entries : null;
    }, 'the waiter for the slot offered its rest');
    assert.ok(offer!.offer_starts_at && offer!.offer_ends_at);
    assert.ok(
      new Date(offer!.offer_starts_at).getTime() >= releasedAt,
      'the part on offer starts no earlier than the release',
    );
    assert.equal(new Date(offer!.offer_ends_at).getTime(), slot.endsAt.getTime());
    // The offer names the part on offer: from the release on, not the slot's start.
    const partStart = localParts(new Date(offer!.offer_starts_at), zone).time.slice(0, 5);
    const slotStart = localParts(slot.startsAt, zone).time.slice(0, 5);
    const [notice] = await inApp(waiter.id, 'waitlist_slot_available');
    assert.ok(
      notice?.message.includes(partStart) && !notice.message.includes(slotStart),
      `the in-app offer names ${partStart}: ${notice?.message}`,
    );
    const offerMail = await ctx.mailbox.waitFor(waiter.email, (m) => /Slot available/.test(m.subject));
    assert.ok(offerMail.text.includes(partStart) && !offerMail.text.includes(slotStart), 'so does the email');
  });

  it('a member deactivated while holding an offer and a booking: the offer passes on at once, the booking is cancelled for "account closed", and the answer says so', async () => {
    const venueId = await venue();
    const [leaver, owner, nextWaiter] = await Promise.all([
      member('Lee Leaver'),
      member('Olive Owner'),
      member('Nico Next'),
    ]);
    const { booking: held, slot } = await book(owner, venueId, 3 * 24 * HOUR);
    const { booking: leaversBooking } = await book(leaver, venueId, 4 * 24 * HOUR);
    for (const who of [leaver, nextWaiter]) {
      const joined = await ctx.request('POST', '/api/waitlist', {
        token: who.token,
        body: { venue: venueId, date: slot.date, start_time: slot.start_time, end_time: slot.end_time },
      });
      assert.equal(joined.status, 201, await joined.clone().text());
    }
    assert.equal(
      (
        await ctx.request('POST', `/api/bookings/${held.id}/cancel/`, {
          token: owner.token,
          body: { reason: 'plans changed' },
        })
      ).status,
      200,
    );
    await eventually(
      async () => (await inApp(leaver.id, 'waitlist_slot_available')).length === 1,
      'the first waiter offered the slot',
    );
    await ctx.mailbox.waitFor(leaver.email, (m) => /Slot available/.test(m.subject));

    const deactivated = await ctx.request('PATCH', `/api/users/${leaver.id}`, {
      token: superAdmin.token,
      body: { is_active: false },
    });
    assert.equal(deactivated.status, 200, await deactivated.clone().text());
    const answer = (await deactivated.json()) as {
      is_active: boolean;
      deactivation?: { bookings_cancelled: number[]; waitlist_entries_closed: number };
    };
    assert.equal(answer.is_active, false);
    assert.deepEqual(answer.deactivation, { bookings_cancelled: [leaversBooking.id], waitlist_entries_closed: 1 });

    // The next waiter is offered now, not when the leaver's 15 minutes would have run out.
    const nextOffer = await eventually(async () => {
      const [row] = await ctx.db.sql<{ status: string; offer_expires_at: Date | null }[]>`
        select status, offer_expires_at from waitlist_entries where user_id = ${nextWaiter.id}`;
      return row?.status === 'offered' ? row : null;
    }, 'the next waiter offered the slot');
    assert.ok(
      nextOffer.offer_expires_at!.getTime() > Date.now(),
      "while the leaver's window would still have been open",
    );

    const cancelled = await bookingView(superAdmin, leaversBooking.id);
    assert.deepEqual([cancelled.status, cancelled.cancel_reason], ['cancelled', 'account closed']);
    const email = await ctx.mailbox.waitFor(
      leaver.email,
      (m) => m.subject.startsWith('Booking cancelled') && m.subject.includes(leaversBooking.event_name),
    );
    assert.equal((await calendarOf(email)).method, 'CANCEL', 'the calendar event goes with the booking');
    await ctx.mailbox.waitFor(
      hallAdmin.email,
      (m) =>
        m.subject.startsWith('Booking cancelled') &&
        m.subject.includes(leaversBooking.event_name) &&
        /account closed/.test(m.text),
    );
    assert.equal(
      (await ctx.mailbox.to(leaver.email)).filter((m) => /Slot available/.test(m.subject)).length,
      1,
      'the leaver was offered once, before leaving, and never again',
    );
  });

  it('the whole stack down across both the reminder and the deadline, started again on the same data: the booking is reminded when it comes back, with a new deadline, and cancelled only after that', async () => {
    const booker = await member('Sam Sleeper');
    const venueId = await venue();
    // The whole stack down (no Temporal server, no worker, no outbox relay): booked 30 h ahead
    // (reminder due at T−24h, deadline T−2h), the 201 and the outbox row are all there is.
    await stack!.stop();
    stack = undefined;
    const { booking, slot } = await given(ctx).booking<BookingJson>(
      booker,
      { id: venueId, timeZone: 'Asia/Kolkata' },
      { aheadMs: 30 * HOUR, eventName: `Seminar ${Math.random().toString(36).slice(2, 8)}` },
    );
    // A new Temporal server and worker on the same PostgreSQL data; 29 hours pass on its clock
    // (past the reminder and the deadline) before the relay comes back and hands the start over.
    stack = await withTimeSkipping(ctx, { relay: false });
    await stack.env.sleep(29 * HOUR);
    const backAt = await stack!.env.currentTimeMs();
    stack!.startRelay();
    const handle = stack!.env.client.workflow.getHandle(bookingWorkflowId(booking.id));

    const reminder = await ctx.mailbox.waitFor(
      booker.email,
      (m) => m.subject.startsWith('Confirm you still need it') && m.subject.includes(booking.event_name),
    );
    const view = await bookingView(booker, booking.id);
    assert.equal(view.status, 'active', 'not cancelled without being asked');
    assert.equal(view.reminder_sent, true);
    const deadline = new Date(view.confirm_by!).getTime();
    assert.equal(
      deadline - backAt >= 30 * MINUTE - 5_000 && deadline - backAt <= 30 * MINUTE + 60_000,
      true,
      `the new deadline is 30 minutes after the late reminder (${deadline - backAt} ms)`,
    );
    assert.ok(deadline < slot.startsAt.getTime());
    const deadlineWords = localParts(new Date(deadline), 'Asia/Kolkata').time.slice(0, 5);
    assert.ok(reminder.text.includes(deadlineWords), `the reminder names the new deadline ${deadlineWords}`);
    assert.match((await inApp(booker.id, 'booking_reminder'))[0]?.message ?? '', new RegExp(`by .*${deadlineWords}`));

    // Still unanswered at the new deadline: cancelled then, not before.
    assert.equal(await handle.result(), 'auto_cancelled');
    const [row] = await ctx.db.sql<
      { auto_cancelled_at: Date }[]
    >`select auto_cancelled_at from bookings where id = ${booking.id}`;
    // Never before the deadline the reminder named; after it only by the workflow task that armed
    // the timer (its local activities run in real time while the server's clock stands still).
    const lateness = row!.auto_cancelled_at.getTime() - deadline;
    assert.ok(lateness >= 0 && lateness < 30_000, `cancelled ${lateness} ms after the deadline the reminder named`);
  });

  it('the reminder email cannot reach its owner (the address bounced before): the booking is not cancelled for silence, the inbox says why, and the booking page says so', async () => {
    const booker = await member('Bea Bounced');
    await ctx.db
      .sql`insert into email_suppressions (address, reason, first_key) values (${booker.email.toLowerCase()}, '550 No such mailbox here', 'an-earlier-email')`;
    // Starting in five hours: reminded at once, with the deadline at T−2h.
    const { booking, handle } = await book(booker, await venue(), 5 * HOUR);
    const view = await eventually(async () => {
      const current = (await bookingView(booker, booking.id)) as BookingJson & {
        reminder_email_bounced_at: string | null;
        [key: string]: unknown;
      };
      return current.reminder_email_bounced_at ? current : null;
    }, 'the bounced reminder recorded on the booking');
    assert.equal(view.confirm_by, null, 'no deadline: nobody was asked by email');
    const [logged] = await ctx.db.sql<{ status: string; suppressed_reason: string }[]>`
      select status, suppressed_reason from email_log where idempotency_key = ${`booking:${booking.id}:v1:reminder`}`;
    assert.deepEqual(
      { ...logged },
      { status: 'suppressed', suppressed_reason: 'the address bounced: 550 No such mailbox here' },
    );
    const reminders = await inApp(booker.id, 'booking_reminder');
    assert.equal(reminders.length, 2, 'the in-app reminder stands, and a second notice explains');
    assert.equal(reminders[1]!.title, 'Your reminder email bounced');
    assert.match(reminders[1]!.message, /will not be cancelled automatically/);
    assert.equal(reminders[1]!.link, `/bookings/${booking.id}`);
    const { bookingState } = await import('../web/src/format/booking-state');
    assert.match(
      bookingState(view as never, booker.id),
      /reminder email bounced, so it will not be cancelled automatically/,
    );

    // Past its deadline and its end: never cancelled, completed.
    assert.equal(await handle.result(), 'completed');
    const [row] = await ctx.db.sql<
      { status: string; auto_cancelled: boolean }[]
    >`select status, auto_cancelled from bookings where id = ${booking.id}`;
    assert.deepEqual({ ...row }, { status: 'completed', auto_cancelled: false });
  });

  it("booked just over the deadline's lead before its start: the reminder leaves the minimum window to answer", async () => {
    const booker = await member('Jo Justover');
    const { booking, slot } = await book(booker, await venue(), 2 * HOUR + 5 * MINUTE);
    await ctx.mailbox.waitFor(
      booker.email,
      (m) => m.subject.startsWith('Confirm you still need it') && m.subject.includes(booking.event_name),
    );
    const view = await eventually(async () => {
      const current = await bookingView(booker, booking.id);
      return current.reminder_sent ? current : null;
    }, 'the reminder recorded');
    const [row] = await ctx.db.sql<
      { reminder_sent_at: Date }[]
    >`select reminder_sent_at from bookings where id = ${booking.id}`;
    assert.equal(
      new Date(view.confirm_by!).getTime(),
      row!.reminder_sent_at.getTime() + 30 * MINUTE,
      'reminder + 30 minutes, not T−2h (5 minutes away)',
    );
    assert.ok(new Date(view.confirm_by!).getTime() > slot.startsAt.getTime() - 2 * HOUR);
  });

  it('what a person reads says "booked" when a booking is made, asks them to confirm they still need it, and says "attendance confirmed" after', async () => {
    const booker = await member('Cleo Careful');
    const { booking, handle } = await book(booker, await venue(), 5 * HOUR);
    const made = await ctx.mailbox.waitFor(
      booker.email,
      (m) => m.subject.includes(booking.event_name) && !m.subject.startsWith('Confirm'),
    );
    assert.match(made.subject, new RegExp(`^Booked: ${booking.event_name} at `));
    assert.doesNotMatch(
      `${made.subject}\n${made.text}`,
      /\bconfirmed\b/i,
      'nothing says confirmed before anyone confirmed',
    );
    const [madeInApp] = await inApp(booker.id, 'booking_confirmed');
    assert.equal(madeInApp?.title, 'Booked');
    assert.doesNotMatch(madeInApp?.message ?? '', /confirmed/i);

    const reminder = await ctx.mailbox.waitFor(
      booker.email,
      (m) => m.subject === `Confirm you still need it: ${made.subject.slice('Booked: '.length)}`,
    );
    assert.match(reminder.text, /Yes, I still need it/);
    const confirmLink = new URL([...reminder.text.matchAll(/https?:\/\/\S+\/actions\/[\w.-]+/g)][0]![0]).pathname;
    const pressed = await ctx.app.request(confirmLink, { method: 'POST' });
    assert.equal(pressed.status, 200);
    assert.match(await pressed.text(), /Attendance confirmed/);
    await handle.terminate('the test is over');
  });
});
