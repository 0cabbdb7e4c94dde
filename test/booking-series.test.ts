import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import ICAL from 'ical.js';
import { bookingStateQuery } from '../src/contracts/booking-signals';
import { bookingWorkflowId } from '../src/temporal/workflow-ids';
import {
  createTestContext,
  eventually,
  given,
  withTimeSkipping,
  type ReceivedEmail,
  type TestContext,
  type TestUser,
  type TimeSkippingStack,
} from './support';
import { invitationOf } from './support/invitations';

const DAY = 24 * 3_600_000;

/** The date `weeks` weeks after the first Tuesday at least a week from now, YYYY-MM-DD. */
function tuesday(weeks: number, from = Date.now() + 7 * DAY): string {
  const start = new Date(from);
  const ahead = (2 - start.getUTCDay() + 7) % 7;
  return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate() + ahead + 7 * weeks))
    .toISOString()
    .slice(0, 10);
}

interface Created {
  id: number;
  occurrences: { date: string; booking_id: number }[];
  conflicts: {
    date: string;
    reason: string;
    held_by: { start_time: string; end_time: string }[];
    waitlist_entry_id?: number;
  }[];
}

/**
 * The occurrences a calendar app would show for the series' one repeating event, by ical.js: the
 * event that repeats, and any dates moved alone as its exceptions (the same UID, RECURRENCE-ID).
 */
function occurrencesOf(ics: string): {
  uid: string;
  count: number;
  starts: number[];
  ends: number[];
  overrides: number;
  sequence: number;
} {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
  const events = calendar.getAllSubcomponents('vevent');
  const masters = events.filter((event) => event.hasProperty('rrule'));
  assert.equal(masters.length, 1, 'one repeating event for the whole series');
  const exceptions = events.filter((event) => event.hasProperty('recurrence-id'));
  assert.equal(masters.length + exceptions.length, events.length, 'nothing but the series and its exceptions');
  const event = new ICAL.Event(masters[0]!, { exceptions, strictExceptions: true });
  for (const exception of exceptions)
    assert.equal(exception.getFirstPropertyValue('uid'), event.uid, 'each exception belongs to the series');
  const starts: number[] = [];
  const ends: number[] = [];
  const iterator = event.iterator();
  for (let next = iterator.next(); next && starts.length < 400; next = iterator.next()) {
    const details = event.getOccurrenceDetails(next);
    starts.push(details.startDate.toJSDate().getTime());
    ends.push(details.endDate.toJSDate().getTime());
  }
  return { uid: event.uid, count: starts.length, starts, ends, overrides: exceptions.length, sequence: event.sequence };
}

/**
 * Repeating bookings over the real stack (time-skipping server, worker, outbox relay, PostgreSQL,
 * MailDev): made at once with their conflicts reported, one notice and one calendar event for the
 * series, cancelled from a date on with the freed slots offered to waiters, and a weekly time kept
 * on the venue's clock across a daylight-saving change.
 */
describe('booking series', () => {
  let ctx: TestContext;
  let stack: TimeSkippingStack | undefined;
  let hallAdmin: TestUser;
  let mailDevUrl: string;

  before(async () => {
    ctx = await createTestContext();
    mailDevUrl = `http://127.0.0.1:${ctx.config.mail.devWebPort}`;
    hallAdmin = await ctx.createUser('hall_admin', { fullName: 'Hal Admin' });
  });
  after(() => ctx.close());
  beforeEach(async () => {
    stack = await withTimeSkipping(ctx);
  });
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
  });

  const venue = async (timeZone: string): Promise<number> =>
    (await given(ctx).venue({ name: `Lab ${Math.random().toString(36).slice(2, 8)}`, timeZone, admins: [hallAdmin] }))
      .id;
  const book = async (who: TestUser, body: Record<string, unknown>) =>
    ctx.request('POST', '/api/bookings/', { token: who.token, body });
  const series = async (who: TestUser, body: Record<string, unknown>) =>
    ctx.request('POST', '/api/booking_series', { token: who.token, body });
  const emailsUnder = async (key: string) =>
    (await ctx.db.sql`select 1 from email_log where idempotency_key = ${key}`).length;

  it('a 15-week weekly series with two dates taken books the other 13, reports the two with what holds them, and tells once with one repeating calendar event', async () => {
    const zone = 'Asia/Kolkata';
    const venueId = await venue(zone);
    const [owner, other] = [await ctx.createUser('member', { fullName: 'Tara Term' }), await ctx.createUser('member')];
    for (const week of [2, 6]) {
      const taken = await book(other, {
        venue: venueId,
        date: tuesday(week),
        start_time: '10:30',
        end_time: '11:30',
        event_name: 'Someone else',
      });
      assert.equal(taken.status, 201, await taken.clone().text());
    }
    const response = await series(owner, {
      venue: venueId,
      date: tuesday(0),
      start_time: '10:00',
      end_time: '12:00',
      event_name: 'Titration lab',
      rrule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=15',
    });
    assert.equal(response.status, 201, await response.clone().text());
    const created = (await response.json()) as Created;
    assert.equal(created.occurrences.length, 13);
    assert.deepEqual(
      created.conflicts.map((c) => [c.date, c.held_by]),
      [
        [tuesday(2), [{ start_time: '10:30', end_time: '11:30' }]],
        [tuesday(6), [{ start_time: '10:30', end_time: '11:30' }]],
      ],
    );
    assert.equal(created.conflicts[0]!.reason, 'The venue is already booked for an overlapping time');
    const rows = await ctx.db.sql<
      { id: number; starts_at: Date }[]
    >`select id, lower(during) as starts_at from bookings where series_id = ${created.id} and status = 'active' order by lower(during)`;
    assert.equal(rows.length, 13);

    // One email to the owner, with the series as one repeating event whose dates are exactly the booked ones.
    const told = await ctx.mailbox.waitFor(
      owner.email,
      (m) => m.headers['x-bookit-idempotency-key'] === `series:${created.id}:booked`,
      30_000,
    );
    assert.match(told.subject, /^Booked: Titration lab at Lab \w+, 13 dates$/);
    const invitation = await invitationOf(mailDevUrl, told);
    assert.ok(invitation, 'the email carries invite.ics');
    const calendar = occurrencesOf(invitation.attachment.content);
    assert.deepEqual(
      calendar.starts,
      rows.map((row) => row.starts_at.getTime()),
      'the calendar shows the 13 booked dates, the two taken ones left out',
    );
    // One alert to the venue's hall admin for the series, none per date; no per-date "Booked" email.
    await ctx.mailbox.waitFor(
      hallAdmin.email,
      (m) => m.headers['x-bookit-idempotency-key'] === `series:${created.id}:booked:admin:${hallAdmin.id}`,
      30_000,
    );
    for (const row of rows) {
      const handle = stack!.env.client.workflow.getHandle(bookingWorkflowId(row.id));
      await eventually(
        async () => (await handle.query(bookingStateQuery)).phase === 'awaiting_reminder',
        `occurrence ${row.id} asleep until its reminder`,
      );
      assert.equal(await emailsUnder(`booking:${row.id}:created`), 0, 'no per-date booked email');
      assert.equal(await emailsUnder(`booking:${row.id}:new:admin:${hallAdmin.id}`), 0, 'no per-date alert');
    }
  });

  it('"this and following" from week 8 cancels those dates, offers a freed one to its waiter, and ends the calendar event there in one notice', async () => {
    const venueId = await venue('Asia/Kolkata');
    const [owner, waiter] = [
      await ctx.createUser('member'),
      await ctx.createUser('member', { fullName: 'Wes Waiter' }),
    ];
    const created = (await (
      await series(owner, {
        venue: venueId,
        date: tuesday(0),
        start_time: '14:00',
        end_time: '15:00',
        event_name: 'Seminar',
        rrule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=12',
      })
    ).json()) as Created;
    assert.equal(created.occurrences.length, 12);
    const joined = await ctx.request('POST', '/api/waitlist', {
      token: waiter.token,
      body: { venue: venueId, date: tuesday(8), start_time: '14:00', end_time: '15:00' },
    });
    assert.equal(joined.status, 201, await joined.clone().text());
    const { id: entryId } = (await joined.json()) as { id: number };

    const cancelled = await ctx.request('POST', `/api/booking_series/${created.id}/cancel`, {
      token: owner.token,
      body: { from: tuesday(7), reason: 'Course ends early' },
    });
    assert.equal(cancelled.status, 200, await cancelled.clone().text());
    const { cancelled: ids } = (await cancelled.json()) as { cancelled: number[] };
    assert.deepEqual(
      ids,
      created.occurrences
        .filter((o) => o.date >= tuesday(7))
        .map((o) => o.booking_id)
        .sort((a, b) => a - b),
    );
    assert.equal(ids.length, 5);
    const [kept] = await ctx.db.sql<
      { count: number }[]
    >`select count(*)::int as count from bookings where series_id = ${created.id} and status = 'active'`;
    assert.equal(kept!.count, 7);
    await eventually(
      async () =>
        (await ctx.db.sql`select 1 from waitlist_entries where id = ${entryId} and status = 'offered'`).length === 1,
      'the waiter offered the freed slot',
    );

    const told = await ctx.mailbox.waitFor(
      owner.email,
      (m) => (m.headers['x-bookit-idempotency-key'] ?? '').startsWith(`series:${created.id}:cancelled:`),
      30_000,
    );
    assert.match(told.subject, /^Series cancelled from .+: Seminar at Lab \w+$/);
    assert.match(told.text, /cancelled 5 dates of Seminar/);
    const invitation = await invitationOf(mailDevUrl, told);
    const calendar = occurrencesOf(invitation!.attachment.content);
    assert.equal(calendar.count, 7, 'the calendar event now ends before week 8');
    for (const id of ids) {
      await eventually(
        async () =>
          (await stack!.env.client.workflow.getHandle(bookingWorkflowId(id)).describe()).status.name === 'COMPLETED',
        `occurrence ${id} ended`,
      );
      assert.equal(await emailsUnder(`booking:${id}:cancelled`), 0, 'no per-date cancellation email');
    }
  });

  it("a weekly 10:00 in New York stays 10:00 on the venue's clock across the spring-forward change", async () => {
    const venueId = await venue('America/New_York');
    const owner = await ctx.createUser('member');
    // Tuesdays around 14 March 2027, when New York moves from EST (UTC−5) to EDT (UTC−4).
    const created = (await (
      await series(owner, {
        venue: venueId,
        date: '2027-03-02',
        start_time: '10:00',
        end_time: '11:00',
        event_name: 'Morning lab',
        rrule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=4',
      })
    ).json()) as Created;
    const rows = await ctx.db.sql<
      { starts_at: Date }[]
    >`select lower(during) as starts_at from bookings where series_id = ${created.id} order by lower(during)`;
    assert.deepEqual(
      rows.map((r) => r.starts_at.toISOString()),
      ['2027-03-02T15:00:00.000Z', '2027-03-09T15:00:00.000Z', '2027-03-16T14:00:00.000Z', '2027-03-23T14:00:00.000Z'],
    );
    const told: ReceivedEmail = await ctx.mailbox.waitFor(
      owner.email,
      (m) => m.headers['x-bookit-idempotency-key'] === `series:${created.id}:booked`,
      30_000,
    );
    const calendar = occurrencesOf((await invitationOf(mailDevUrl, told))!.attachment.content);
    assert.deepEqual(
      calendar.starts,
      rows.map((r) => r.starts_at.getTime()),
      'the calendar keeps 10:00 local too',
    );
  });

  it('refuses what it cannot book: a rule without an end, a skipped wall time, and with on_conflict "fail" a taken date books nothing; with "waitlist" it joins the wait for the taken date', async () => {
    const venueId = await venue('Asia/Kolkata');
    const [owner, other] = [await ctx.createUser('member'), await ctx.createUser('member')];
    const endless = await series(owner, {
      venue: venueId,
      date: tuesday(0),
      start_time: '09:00',
      end_time: '10:00',
      event_name: 'X',
      rrule: 'FREQ=WEEKLY',
    });
    assert.equal(endless.status, 400);
    assert.match(((await endless.json()) as { error: string }).error, /rrule.*must end, by COUNT or UNTIL/);
    const nyVenue = await venue('America/New_York');
    const gap = await series(owner, {
      venue: nyVenue,
      date: '2027-03-13',
      start_time: '02:30',
      end_time: '03:30',
      event_name: 'X',
      rrule: 'FREQ=DAILY;COUNT=3',
    });
    assert.equal(gap.status, 400);
    assert.match(
      ((await gap.json()) as { error: string }).error,
      /the occurrence on 2027-03-14: "start_time" does not exist on that date/,
    );
    assert.equal(
      (
        await book(other, {
          venue: venueId,
          date: tuesday(1),
          start_time: '09:00',
          end_time: '10:00',
          event_name: 'Held',
        })
      ).status,
      201,
    );
    const [before] = await ctx.db.sql<
      { count: number }[]
    >`select count(*)::int as count from bookings where user_id = ${owner.id}`;
    const strict = await series(owner, {
      venue: venueId,
      date: tuesday(0),
      start_time: '09:00',
      end_time: '10:00',
      event_name: 'Strict',
      rrule: 'FREQ=WEEKLY;COUNT=3',
      on_conflict: 'fail',
    });
    assert.equal(strict.status, 409);
    const answer = (await strict.json()) as { error: string; conflicts: Created['conflicts'] };
    assert.deepEqual(
      answer.conflicts.map((c) => c.date),
      [tuesday(1)],
    );
    const [afterCount] = await ctx.db.sql<
      { count: number }[]
    >`select count(*)::int as count from bookings where user_id = ${owner.id}`;
    assert.equal(afterCount!.count, before!.count, 'nothing booked');
    const waiting = await series(owner, {
      venue: venueId,
      date: tuesday(0),
      start_time: '09:00',
      end_time: '10:00',
      event_name: 'Patient',
      rrule: 'FREQ=WEEKLY;COUNT=3',
      on_conflict: 'waitlist',
    });
    assert.equal(waiting.status, 201);
    const withWait = (await waiting.json()) as Created;
    assert.equal(withWait.occurrences.length, 2);
    assert.ok(withWait.conflicts[0]!.waitlist_entry_id, 'joined the waitlist for the taken date');
  });

  const change = async (who: TestUser, id: number, body: Record<string, unknown>) =>
    ctx.request('PATCH', `/api/booking_series/${id}`, { token: who.token, body });
  const occurrenceRows = (id: number) =>
    ctx.db.sql<
      { id: number; date: string; status: string; starts_at: Date; ends_at: Date; schedule_version: number }[]
    >`
      select id, to_char(occurrence_date, 'YYYY-MM-DD') as date, status, lower(during) as starts_at, upper(during) as ends_at, schedule_version
      from bookings where series_id = ${id} order by occurrence_date`;
  /** Kolkata is UTC+5:30 all year: a local HH:MM on a date, as an instant. */
  const kolkata = (date: string, time: string) => new Date(`${date}T${time}:00+05:30`).getTime();

  it('"this and following" from week 3 moves those dates to 11:00–13:00, keeps the one whose new time is held at its old time, frees the old times for a waiter, and updates the one calendar event in place', async () => {
    const venueId = await venue('Asia/Kolkata');
    const [owner, other, waiter] = [
      await ctx.createUser('member', { fullName: 'Mo Mover' }),
      await ctx.createUser('member'),
      await ctx.createUser('member'),
    ];
    const created = (await (
      await series(owner, {
        venue: venueId,
        date: tuesday(0),
        start_time: '09:00',
        end_time: '10:00',
        event_name: 'Lab course',
        rrule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=6',
      })
    ).json()) as Created;
    assert.equal(created.occurrences.length, 6);
    assert.equal(
      (
        await book(other, {
          venue: venueId,
          date: tuesday(4),
          start_time: '12:00',
          end_time: '13:00',
          event_name: 'Held',
        })
      ).status,
      201,
    );
    const joined = await ctx.request('POST', '/api/waitlist', {
      token: waiter.token,
      body: { venue: venueId, date: tuesday(3), start_time: '09:00', end_time: '10:00' },
    });
    assert.equal(joined.status, 201, await joined.clone().text());
    const { id: entryId } = (await joined.json()) as { id: number };

    const response = await change(owner, created.id, { from: tuesday(2), start_time: '11:00', end_time: '13:00' });
    assert.equal(response.status, 200, await response.clone().text());
    const moved = (await response.json()) as { moved: Created['occurrences']; conflicts: Created['conflicts'] };
    assert.deepEqual(
      moved.moved.map((m) => m.date),
      [tuesday(2), tuesday(3), tuesday(5)],
    );
    assert.deepEqual(
      moved.conflicts.map((c) => [c.date, c.reason, c.held_by]),
      [
        [
          tuesday(4),
          'The venue is already booked for an overlapping time',
          [{ start_time: '12:00', end_time: '13:00' }],
        ],
      ],
    );
    const rows = await occurrenceRows(created.id);
    assert.deepEqual(
      rows.map((r) => [r.date, r.starts_at.getTime(), r.ends_at.getTime()]),
      [0, 1, 2, 3, 4, 5].map((week) => {
        const date = tuesday(week);
        const late = week === 2 || week === 3 || week === 5;
        return [date, kolkata(date, late ? '11:00' : '09:00'), kolkata(date, late ? '13:00' : '10:00')];
      }),
    );
    await eventually(
      async () =>
        (await ctx.db.sql`select 1 from waitlist_entries where id = ${entryId} and status = 'offered'`).length === 1,
      "the waiter offered week 3's old time",
    );
    // Each moved date's lifecycle re-armed for its new time.
    const movedWeek = rows.find((r) => r.date === tuesday(2))!;
    await eventually(async () => {
      const state = await stack!.env.client.workflow
        .getHandle(bookingWorkflowId(movedWeek.id))
        .query(bookingStateQuery);
      return state.scheduleVersion === 2 && state.startsAt === movedWeek.starts_at.toISOString();
    }, 'the moved occurrence asleep until its new reminder');

    // One email for the move, with the series' one event: week 4 and the first two at 09:00, the rest moved.
    const told = await ctx.mailbox.waitFor(
      owner.email,
      (m) => m.headers['x-bookit-idempotency-key'] === `series:${created.id}:changed:v1`,
      30_000,
    );
    assert.match(told.subject, /^Series moved: Lab course at Lab \w+, 3 dates$/);
    assert.match(
      told.text,
      /These dates keep their old time:\s+- .+: The venue is already booked for an overlapping time/,
    );
    const calendar = occurrencesOf((await invitationOf(mailDevUrl, told))!.attachment.content);
    assert.equal(calendar.uid, `series-${created.id}@${new URL(ctx.config.http.publicBaseUrl).hostname}`);
    assert.deepEqual(
      [...calendar.starts].sort((a, b) => a - b),
      rows.map((r) => r.starts_at.getTime()),
      'the calendar shows each date where it now is',
    );
    assert.equal(calendar.overrides, 3, 'the three moved dates are exceptions to the 09:00 series');
    for (const row of rows.filter((r) => r.schedule_version === 2))
      assert.equal(await emailsUnder(`booking:${row.id}:v2:rescheduled`), 0, 'no per-date "moved" email');
    const [inApp] = await ctx.db.sql<{ message: string }[]>`
      select message from notifications where user_id = ${owner.id} and title = 'Series moved'`;
    assert.match(inApp!.message, /^You moved 3 dates of "Lab course" at Lab \w+\. 1 kept their old time/);
  });

  it('"all" before anything started moves the series itself; a rename applies to every date; and what it cannot do is refused, with on_conflict "fail" changing nothing', async () => {
    const venueId = await venue('Asia/Kolkata');
    const [owner, other, stranger] = [
      await ctx.createUser('member'),
      await ctx.createUser('member'),
      await ctx.createUser('member'),
    ];
    const created = (await (
      await series(owner, {
        venue: venueId,
        date: tuesday(0),
        start_time: '09:00',
        end_time: '10:00',
        event_name: 'Reading group',
        rrule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=4',
      })
    ).json()) as Created;
    const all = await change(owner, created.id, { start_time: '15:00', end_time: '16:30' });
    assert.equal(all.status, 200, await all.clone().text());
    const view = (await (
      await ctx.request('GET', `/api/booking_series/${created.id}`, { token: owner.token })
    ).json()) as { start_time: string; end_time: string; occurrences: { moved: boolean; starts_at: string }[] };
    assert.deepEqual([view.start_time, view.end_time], ['15:00:00', '16:30:00']);
    assert.deepEqual(
      view.occurrences.map((o) => [o.starts_at, o.moved]),
      [0, 1, 2, 3].map((week) => [new Date(kolkata(tuesday(week), '15:00')).toISOString(), false]),
    );
    const told = await ctx.mailbox.waitFor(
      owner.email,
      (m) => m.headers['x-bookit-idempotency-key'] === `series:${created.id}:changed:v1`,
      30_000,
    );
    const calendar = occurrencesOf((await invitationOf(mailDevUrl, told))!.attachment.content);
    assert.equal(calendar.overrides, 0, 'the series itself moved: no exceptions');
    assert.deepEqual(
      calendar.starts,
      [0, 1, 2, 3].map((week) => kolkata(tuesday(week), '15:00')),
    );

    const renamed = await change(owner, created.id, { event_name: 'Journal club' });
    assert.equal(renamed.status, 200, await renamed.clone().text());
    const names = await ctx.db.sql`select distinct event_name from bookings where series_id = ${created.id}`;
    assert.deepEqual(
      names.map((r) => r.event_name),
      ['Journal club'],
    );
    const renamedMail = await ctx.mailbox.waitFor(
      owner.email,
      (m) => m.headers['x-bookit-idempotency-key'] === `series:${created.id}:changed:v2`,
      30_000,
    );
    assert.match(renamedMail.subject, /^Series renamed: Journal club at Lab \w+$/);
    assert.match(renamedMail.text, /\(until now called Reading group\)/);

    const errorOf = async (response: Response) => ((await response.json()) as { error: string }).error;
    const partRename = await change(owner, created.id, { from: tuesday(2), event_name: 'X' });
    assert.equal(partRename.status, 400);
    assert.match(await errorOf(partRename), /apply to the whole series/);
    const backwards = await change(owner, created.id, { start_time: '12:00', end_time: '11:00' });
    assert.equal(backwards.status, 400);
    assert.match(await errorOf(backwards), /"end_time" must be after start_time/);
    const nothing = await change(owner, created.id, { event_name: 'Journal club' });
    assert.equal(nothing.status, 400);
    assert.equal((await change(stranger, created.id, { start_time: '08:00', end_time: '09:00' })).status, 404);

    assert.equal(
      (
        await book(other, {
          venue: venueId,
          date: tuesday(3),
          start_time: '08:00',
          end_time: '09:00',
          event_name: 'Held',
        })
      ).status,
      201,
    );
    const before = await occurrenceRows(created.id);
    const strict = await change(owner, created.id, { start_time: '08:00', end_time: '09:00', on_conflict: 'fail' });
    assert.equal(strict.status, 409);
    const refused = (await strict.json()) as { error: string; conflicts: Created['conflicts'] };
    assert.match(refused.error, /1 of the series' dates cannot move; nothing was changed/);
    assert.deepEqual(
      refused.conflicts.map((c) => c.date),
      [tuesday(3)],
    );
    assert.deepEqual(await occurrenceRows(created.id), before, 'nothing moved');
  });

  it("one date cancelled or moved alone updates the series' one event (an EXDATE, an exception), never a stray event, and the feed shows the series the same way", async () => {
    const venueId = await venue('Asia/Kolkata');
    const owner = await ctx.createUser('member');
    const created = (await (
      await series(owner, {
        venue: venueId,
        date: tuesday(0),
        start_time: '09:00',
        end_time: '10:00',
        event_name: 'Tutorial',
        rrule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=4',
      })
    ).json()) as Created;
    const [first, second] = created.occurrences;
    const host = new URL(ctx.config.http.publicBaseUrl).hostname;

    const cancelled = await ctx.request('POST', `/api/bookings/${first!.booking_id}/cancel`, {
      token: owner.token,
      body: { reason: 'Holiday' },
    });
    assert.equal(cancelled.status, 200, await cancelled.clone().text());
    const cancelMail = await ctx.mailbox.waitFor(
      owner.email,
      (m) => m.headers['x-bookit-idempotency-key'] === `booking:${first!.booking_id}:cancelled`,
      30_000,
    );
    const afterCancel = occurrencesOf((await invitationOf(mailDevUrl, cancelMail))!.attachment.content);
    assert.equal(afterCancel.uid, `series-${created.id}@${host}`, "the series' event, not one of its own");
    assert.deepEqual(
      afterCancel.starts,
      [1, 2, 3].map((week) => kolkata(tuesday(week), '09:00')),
      'the cancelled date left out',
    );

    const movedOne = await ctx.request('PATCH', `/api/bookings/${second!.booking_id}`, {
      token: owner.token,
      body: { start_time: '16:00', end_time: '17:00' },
    });
    assert.equal(movedOne.status, 200, await movedOne.clone().text());
    const moveMail = await ctx.mailbox.waitFor(
      owner.email,
      (m) => m.headers['x-bookit-idempotency-key'] === `booking:${second!.booking_id}:v2:rescheduled`,
      30_000,
    );
    const afterMove = occurrencesOf((await invitationOf(mailDevUrl, moveMail))!.attachment.content);
    assert.equal(afterMove.uid, `series-${created.id}@${host}`);
    assert.ok(afterMove.sequence > afterCancel.sequence, 'a later revision of the same event');
    assert.equal(afterMove.overrides, 1);
    assert.deepEqual(
      [...afterMove.starts].sort((a, b) => a - b),
      [kolkata(tuesday(1), '16:00'), kolkata(tuesday(2), '09:00'), kolkata(tuesday(3), '09:00')],
    );

    const feedAnswer = await ctx.request('POST', '/api/calendar/feeds', { token: owner.token });
    assert.equal(feedAnswer.status, 201, await feedAnswer.clone().text());
    const { url } = (await feedAnswer.json()) as { url: string };
    const fetched = await ctx.app.request(new URL(url).pathname);
    assert.equal(fetched.status, 200);
    const text = await fetched.text();
    assert.doesNotMatch(text, /UID:booking-/, 'no occurrence as an event of its own');
    const inFeed = occurrencesOf(text);
    assert.equal(inFeed.uid, `series-${created.id}@${host}`);
    assert.deepEqual(inFeed.starts, afterMove.starts, 'the feed shows the series as its invitations do');
    assert.equal(inFeed.sequence, afterMove.sequence);
  });
});
