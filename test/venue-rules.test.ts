import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createSql } from '../src/db/sql';
import {
  createTestContext,
  eventually,
  given,
  localParts,
  slotOnDay,
  type TestContext,
  type TestUser,
} from './support';

const ZONE = 'Asia/Kolkata';
const DAY = 86_400_000;

/** The venue-local date `days` from today. */
const dayAhead = (days: number) => localParts(new Date(Date.now() + days * DAY), ZONE).date;
/** The first venue-local date at least `days` ahead that falls on `weekday` (0 = Sunday). */
function nextWeekday(weekday: number, days = 3): string {
  for (let d = days; d < days + 7; d++) {
    const date = dayAhead(d);
    if (new Date(`${date}T12:00:00Z`).getUTCDay() === weekday) return date;
  }
  throw new Error('unreachable');
}

type Refusal = { error: string; rule: string; limit: string };

/**
 * The rules a venue lives by, over the API and PostgreSQL: each refusal is a 422 naming the rule
 * and its limit; buffers are held by the exclusion constraint; quotas hold under a race; the
 * venue's staff may book past a rule with a reason; a closure lists, then cancels, what it covers.
 */
describe('venue rules', () => {
  let ctx: TestContext;
  let staff: TestUser;

  before(async () => {
    ctx = await createTestContext();
    staff = await ctx.createUser('hall_admin', { fullName: 'Rita Rules' });
  });
  after(() => ctx.close());

  async function venueWith(rules: Record<string, unknown>) {
    const venue = await given(ctx).venue({ timeZone: ZONE, admins: [staff] });
    if (Object.keys(rules).length > 0) {
      const set = await ctx.request('PATCH', `/api/venues/${venue.id}/rules`, { token: staff.token, body: rules });
      assert.equal(set.status, 200, await set.clone().text());
    }
    return venue;
  }
  const book = (
    who: TestUser,
    venueId: number,
    slot: { date: string; start_time: string; end_time: string },
    extra = {},
  ) =>
    ctx.request('POST', '/api/bookings/', {
      token: who.token,
      body: { venue: venueId, ...slot, event_name: 'Rules test', ...extra },
    });
  async function refused(response: Response, rule: string, limit: string, words?: RegExp) {
    assert.equal(response.status, 422, await response.clone().text());
    const body = (await response.json()) as Refusal;
    assert.equal(body.rule, rule);
    assert.equal(body.limit, limit);
    if (words) assert.match(body.error, words);
  }

  it('notice, advance and length: each refused with its rule and limit, and a slot inside them booked', async () => {
    const venue = await venueWith({
      min_notice_minutes: 48 * 60,
      max_advance_minutes: 14 * 24 * 60,
      min_duration_minutes: 30,
      max_duration_minutes: 240,
    });
    const member = await ctx.createUser('member');
    await refused(
      await book(member, venue.id, slotOnDay(1, 10, 1, ZONE)),
      'min_notice',
      'P2D',
      /at least 2 days ahead/,
    );
    await refused(await book(member, venue.id, slotOnDay(20, 10, 1, ZONE)), 'max_advance', 'P14D');
    await refused(
      await book(member, venue.id, { date: dayAhead(5), start_time: '10:00', end_time: '10:15' }),
      'min_duration',
      'PT30M',
    );
    await refused(await book(member, venue.id, slotOnDay(5, 8, 5, ZONE)), 'max_duration', 'PT4H', /at most 4 hours/);
    assert.equal((await book(member, venue.id, slotOnDay(5, 10, 4, ZONE))).status, 201);
    const rules = (await (
      await ctx.request('GET', `/api/venues/${venue.id}/rules`, { token: member.token })
    ).json()) as {
      in_force: Record<string, unknown>;
    };
    assert.equal(rules.in_force.max_duration, 'PT4H');
    assert.equal(rules.in_force.max_upcoming, 50, "the deployment's default where the venue sets none");
  });

  it('opening hours and closures: outside the hours or on a closed day is refused; a closure lists the bookings it covers, then cancels them and tells their waiters nothing is coming', async () => {
    const weekdays = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '08:00', closes: '18:00' }));
    const venue = await venueWith({ hours: weekdays });
    const [member, waiter] = [await ctx.createUser('member'), await ctx.createUser('member')];
    const saturday = nextWeekday(6);
    const monday = nextWeekday(1);
    await refused(
      await book(member, venue.id, { date: saturday, start_time: '10:00', end_time: '11:00' }),
      'opening_hours',
      'Saturday: closed',
      /is closed on Saturdays/,
    );
    await refused(
      await book(member, venue.id, { date: monday, start_time: '07:00', end_time: '09:00' }),
      'opening_hours',
      'Monday 08:00–18:00',
    );
    const made = await book(member, venue.id, { date: monday, start_time: '09:00', end_time: '10:00' });
    assert.equal(made.status, 201, await made.clone().text());
    const { id: bookingId } = (await made.json()) as { id: number };
    const joined = await ctx.request('POST', '/api/waitlist', {
      token: waiter.token,
      body: { venue: venue.id, date: monday, start_time: '09:00', end_time: '10:00' },
    });
    assert.equal(joined.status, 201, await joined.clone().text());
    const { id: entryId } = (await joined.json()) as { id: number };

    // The closure first lists what it would cancel, and changes nothing.
    const asked = await ctx.request('POST', `/api/venues/${venue.id}/closures`, {
      token: staff.token,
      body: { first: monday, last: monday, reason: 'Floor polishing' },
    });
    assert.equal(asked.status, 409);
    const listed = (await asked.json()) as { error: string; bookings: { id: number; start_time: string }[] };
    assert.deepEqual(
      listed.bookings.map((b) => [b.id, b.start_time]),
      [[bookingId, '09:00']],
    );
    assert.match(listed.error, /would cancel 1 booking/);
    assert.equal((await ctx.db.sql`select 1 from venue_closures where venue_id = ${venue.id}`).length, 0);

    const closed = await ctx.request('POST', `/api/venues/${venue.id}/closures`, {
      token: staff.token,
      body: { first: monday, last: monday, reason: 'Floor polishing', cancel_bookings: true },
    });
    assert.equal(closed.status, 201, await closed.clone().text());
    const answer = (await closed.json()) as { cancelled: number[]; waits_closed: number[] };
    assert.deepEqual(answer.cancelled, [bookingId]);
    assert.deepEqual(answer.waits_closed, [entryId]);
    const [row] = await ctx.db.sql<{ status: string; cancel_reason: string }[]>`
      select status, cancel_reason from bookings where id = ${bookingId}`;
    assert.deepEqual(row, { status: 'cancelled', cancel_reason: `${venue.name} is closed: Floor polishing` });
    const [entry] = await ctx.db.sql<{ status: string }[]>`select status from waitlist_entries where id = ${entryId}`;
    assert.equal(entry!.status, 'closed', 'no offer is coming');
    await refused(
      await book(member, venue.id, { date: monday, start_time: '11:00', end_time: '12:00' }),
      'closed',
      monday,
      /is closed on .*: Floor polishing/,
    );
  });

  it('setup and teardown buffers are held by the exclusion constraint: the next booking starts once both have passed', async () => {
    const venue = await venueWith({ setup_buffer_minutes: 15, teardown_buffer_minutes: 15 });
    const [a, b] = [await ctx.createUser('member'), await ctx.createUser('member')];
    const date = dayAhead(6);
    assert.equal((await book(a, venue.id, { date, start_time: '10:00', end_time: '11:00' })).status, 201);
    const tooSoon = await book(b, venue.id, { date, start_time: '11:15', end_time: '12:00' });
    assert.equal(tooSoon.status, 409, 'its setup overlaps the teardown before it');
    const [blocked] = await ctx.db.sql<{ blocked: string }[]>`
      select blocked::text from bookings where venue_id = ${venue.id} and status = 'active'`;
    assert.match(blocked!.blocked, /04:15:00\+00",".+05:45:00\+00"\)/, 'the row blocks 09:45–11:15 local');
    assert.equal((await book(b, venue.id, { date, start_time: '11:30', end_time: '12:00' })).status, 201);
  });

  it('who may book: by role, or only the members listed (and the venue staff)', async () => {
    const byRole = await venueWith({ booking_roles: ['hall_admin', 'super_admin'] });
    const [listed, other] = [await ctx.createUser('member'), await ctx.createUser('member')];
    await refused(await book(listed, byRole.id, slotOnDay(4, 10, 1, ZONE)), 'who_may_book', 'hall_admin,super_admin');
    const lab = await venueWith({ restricted: true, bookers: [listed.id] });
    assert.equal((await book(listed, lab.id, slotOnDay(4, 10, 1, ZONE))).status, 201);
    await refused(await book(other, lab.id, slotOnDay(4, 12, 1, ZONE)), 'who_may_book', 'listed members');
    assert.equal((await book(staff, lab.id, slotOnDay(4, 14, 1, ZONE))).status, 201, 'its staff always may');
  });

  it("the venue's staff book past a rule with a reason, recorded on the booking; a member cannot", async () => {
    const venue = await venueWith({ max_duration_minutes: 120 });
    const member = await ctx.createUser('member');
    const long = slotOnDay(7, 8, 6, ZONE);
    await refused(await book(staff, venue.id, long), 'max_duration', 'PT2H');
    const overridden = await book(staff, venue.id, long, { override_reason: 'Annual exam, six hours' });
    assert.equal(overridden.status, 201, await overridden.clone().text());
    assert.equal(
      ((await overridden.json()) as { rule_override_reason: string }).rule_override_reason,
      'Annual exam, six hours',
    );
    const [row] = await ctx.db.sql<{ rule_override_by: number }[]>`
      select rule_override_by from bookings where venue_id = ${venue.id}`;
    assert.equal(row!.rule_override_by, staff.id);
    assert.equal((await book(member, venue.id, slotOnDay(8, 8, 6, ZONE), { override_reason: 'Please' })).status, 403);
  });

  it('upcoming bookings per venue: 20 racing requests for the last allowance, exactly one booked', async () => {
    const venue = await venueWith({ max_upcoming: 3 });
    const member = await ctx.createUser('member');
    for (const hour of [8, 9]) assert.equal((await book(member, venue.id, slotOnDay(3, hour, 1, ZONE))).status, 201);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        book(member, venue.id, slotOnDay(4 + Math.floor(i / 10), 8 + (i % 10), 1, ZONE)),
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    assert.deepEqual(statuses, [201, ...Array(19).fill(422)]);
    for (const answer of answers.filter((a) => a.status === 422)) await refused(answer, 'max_upcoming', '3');
    const [count] = await ctx.db.sql<{ n: number }[]>`
      select count(*)::int as n from bookings where venue_id = ${venue.id} and status = 'active'`;
    assert.equal(count!.n, 3);
  });

  it('hours per week: a week over the limit is refused, the next week is not', async () => {
    const venue = await venueWith({ max_hours_per_week: 4 });
    const member = await ctx.createUser('member');
    const monday = nextWeekday(1, 7);
    const tuesday = new Date(Date.parse(`${monday}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
    const nextMonday = new Date(Date.parse(`${monday}T00:00:00Z`) + 7 * DAY).toISOString().slice(0, 10);
    assert.equal((await book(member, venue.id, { date: monday, start_time: '09:00', end_time: '12:00' })).status, 201);
    await refused(
      await book(member, venue.id, { date: tuesday, start_time: '09:00', end_time: '11:00' }),
      'max_hours_per_week',
      '4',
      /at most 4 hours a week/,
    );
    assert.equal(
      (await book(member, venue.id, { date: nextMonday, start_time: '09:00', end_time: '11:00' })).status,
      201,
    );
  });

  it('a member holding whole days of one venue is refused by the default quota after its 50th', async () => {
    const venue = await venueWith({});
    const member = await ctx.createUser('member');
    const statuses: number[] = [];
    for (let day = 2; day < 62; day++)
      statuses.push(
        (await book(member, venue.id, { date: dayAhead(day), start_time: '00:00', end_time: '23:59' })).status,
      );
    assert.deepEqual(statuses, [...Array(50).fill(201), ...Array(10).fill(422)]);
    await refused(
      await book(member, venue.id, { date: dayAhead(70), start_time: '00:00', end_time: '23:59' }),
      'max_upcoming',
      '50',
    );
  });

  it('a series meets the rules on every date: a date on a closed weekday refuses it, naming the date; an archived venue takes nothing', async () => {
    const venue = await venueWith({
      hours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '08:00', closes: '18:00' })),
    });
    const member = await ctx.createUser('member');
    const friday = nextWeekday(5);
    const series = await ctx.request('POST', '/api/booking_series', {
      token: member.token,
      body: {
        venue: venue.id,
        date: friday,
        start_time: '09:00',
        end_time: '10:00',
        event_name: 'Daily',
        rrule: 'FREQ=DAILY;COUNT=3',
      },
    });
    const saturday = new Date(Date.parse(`${friday}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
    await refused(series, 'opening_hours', 'Saturday: closed', new RegExp(`\\(the date ${saturday}\\)`));
    assert.equal((await ctx.db.sql`select 1 from bookings where venue_id = ${venue.id}`).length, 0, 'nothing booked');

    const superAdmin = await ctx.createUser('super_admin');
    assert.equal(
      (await ctx.request('PATCH', `/api/venues/${venue.id}`, { token: staff.token, body: { archived: true } })).status,
      403,
      'only a super admin archives',
    );
    const archived = await ctx.request('PATCH', `/api/venues/${venue.id}`, {
      token: superAdmin.token,
      body: { archived: true },
    });
    assert.equal(archived.status, 200);
    assert.equal(((await archived.json()) as { archived: boolean }).archived, true);
    await refused(
      await book(member, venue.id, { date: friday, start_time: '09:00', end_time: '10:00' }),
      'archived',
      'none',
    );
  });
});

describe('venue rules: the deployment-wide quota', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext({ BOOKIT_RULE_MAX_UPCOMING: '3' });
  });
  after(() => ctx.close());

  it('upcoming bookings in all venues together are capped by BOOKIT_RULE_MAX_UPCOMING, even when 20 requests at 20 venues race for the last one', async () => {
    const member = await ctx.createUser('member');
    const venues = await Promise.all(Array.from({ length: 22 }, () => given(ctx).venue({ timeZone: ZONE })));
    const book = (venueId: number, hour: number) =>
      ctx.request('POST', '/api/bookings/', {
        token: member.token,
        body: { venue: venueId, ...slotOnDay(3, hour, 1, ZONE), event_name: 'Quota' },
      });
    assert.equal((await book(venues[0]!.id, 8)).status, 201);
    assert.equal((await book(venues[1]!.id, 9)).status, 201);
    // Each request at a venue of its own, so only the per-member lock can line them up. To make
    // them truly race, the member's row is held (FOR UPDATE) while they start: each one stops at
    // its insert (the foreign key's check) or, with the lock, before it, until all the pool's
    // connections wait; then all go at once.
    const holder = createSql(ctx.db.url, { max: 1 });
    let racing: Promise<Response[]> | undefined;
    try {
      await holder.begin(async (tx) => {
        await tx`select 1 from users where id = ${member.id} for update`;
        racing = Promise.all(venues.slice(2).map((venue) => book(venue.id, 10)));
        await eventually(async () => {
          await tx`select pg_stat_clear_snapshot()`;
          const [waiting] = await tx<{ n: number }[]>`
            select count(*)::int as n from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`;
          return waiting!.n >= 10;
        }, "the pool's 10 connections waiting on the member");
      });
    } finally {
      await holder.end();
    }
    const answers = await racing!;
    assert.deepEqual(answers.map((a) => a.status).sort(), [201, ...Array(19).fill(422)]);
    const body = (await answers.find((a) => a.status === 422)!.json()) as Refusal;
    assert.deepEqual([body.rule, body.limit], ['max_upcoming_in_all', '3']);
    const [count] = await ctx.db.sql<{ n: number }[]>`
      select count(*)::int as n from bookings where user_id = ${member.id} and status = 'active'`;
    assert.equal(count!.n, 3);
  });
});
