import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestContext, given, slotOnDay, type TestContext, type TestUser } from './support';

const HOUR = 3_600_000;
const ZONE = 'Asia/Kolkata';

describe('bookings API: validation, conflicts and visibility', () => {
  let ctx: TestContext;
  let member: TestUser;
  let other: TestUser;
  let hallAdmin: TestUser;
  let outsiderAdmin: TestUser;
  let superAdmin: TestUser;
  let venueId: number;
  let otherVenueId: number;

  before(async () => {
    ctx = await createTestContext();
    [venueId, otherVenueId] = [
      (await given(ctx).venue({ name: 'LRDC Hall', timeZone: ZONE })).id,
      (await given(ctx).venue({ name: 'Annex', timeZone: ZONE })).id,
    ];
    [member, other, hallAdmin, outsiderAdmin, superAdmin] = await Promise.all([
      given(ctx).member(),
      given(ctx).member(),
      given(ctx).hallAdmin(venueId),
      given(ctx).hallAdmin(otherVenueId),
      given(ctx).superAdmin(),
    ]);
  });
  after(() => ctx.close());

  /** Two hours on a whole local day `aheadMs` away (yesterday when negative), so no slot crosses midnight. */
  const body = (aheadMs: number, overrides: Record<string, unknown> = {}) => {
    const days = aheadMs < 0 ? -1 : Math.floor(aheadMs / (24 * HOUR)) + 1;
    const slot = slotOnDay(days, 8 + (Math.abs(aheadMs / HOUR) % 12), 2, ZONE);
    return { venue: venueId, ...slot, event_name: 'Seminar', ...overrides };
  };
  const post = (who: TestUser, payload: unknown) =>
    ctx.request('POST', '/api/bookings/', { token: who.token, body: payload });
  const errorOf = async (response: Response) => ((await response.json()) as { error: string }).error;

  it('answers 400 naming the field for each bad input, and writes nothing', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [body(50 * HOUR, { end_time: '00:00' }), /end_time/],
      [body(-5 * HOUR), /start_time.*past/],
      [body(50 * HOUR, { venue: 999_999 }), /venue/],
      [body(50 * HOUR, { date: '2031-02-30' }), /date/],
      [body(50 * HOUR, { start_time: '25:00' }), /start_time/],
      [body(50 * HOUR, { event_name: 'x'.repeat(201) }), /event_name.*200/],
      [body(50 * HOUR, { event_name: undefined }), /event_name/],
      [{ ...body(50 * HOUR), venue: 'one' }, /venue/],
      // PostgreSQL text cannot hold U+0000: refused by name before any statement runs.
      [body(50 * HOUR, { event_details: 'Room\u0000B' }), /body field "event_details" contains a NUL/],
    ];
    const [before] = await ctx.db.sql<{ count: number }[]>`select count(*)::int as count from bookings`;
    for (const [payload, message] of cases) {
      const response = await post(member, payload);
      assert.equal(response.status, 400, JSON.stringify(payload));
      assert.match(await errorOf(response), message);
    }
    const [afterCount] = await ctx.db.sql<{ count: number }[]>`select count(*)::int as count from bookings`;
    assert.equal(afterCount!.count, before!.count);
    const malformed = await ctx.request('POST', '/api/bookings/', { token: member.token, body: '{"venue": 1,' });
    assert.equal(malformed.status, 400);
    const nulInQuery = await ctx.request('GET', '/api/bookings/?date=2031-01-0%00', { token: member.token });
    assert.equal(nulInQuery.status, 400);
    assert.match(await errorOf(nulInQuery), /query parameter "date" contains a NUL/);
  });

  it('20 concurrent conflicting bookings: exactly one 201 and nineteen 409, one row, one workflow start', async () => {
    const payload = body(80 * HOUR);
    const responses = await Promise.all(Array.from({ length: 20 }, () => post(member, payload)));
    const statuses = responses.map((r) => r.status).sort();
    assert.deepEqual(statuses, [201, ...Array(19).fill(409)]);
    const conflict = responses.find((r) => r.status === 409)!;
    assert.match(await errorOf(conflict), /overlapping/);
    const rows = await ctx.db.sql`
      select id from bookings b where venue_id = ${venueId} and status = 'active'
        and to_char(lower(during) at time zone ${ZONE}, 'YYYY-MM-DD HH24:MI') = ${`${payload.date} ${payload.start_time}`}`;
    assert.equal(rows.length, 1);
    const starts = await ctx.db
      .sql`select 1 from outbox where kind = 'start' and workflow_id = ${`booking-${rows[0]!.id}`}`;
    assert.equal(starts.length, 1);
  });

  it('accepts a booking that touches another, and lets anyone book', async () => {
    const first = body(100 * HOUR);
    assert.equal((await post(member, first)).status, 201);
    const touching = {
      ...first,
      start_time: first.end_time,
      end_time: `${String(Number(first.end_time.slice(0, 2)) + 1).padStart(2, '0')}:00`,
    };
    assert.equal((await post(other, touching)).status, 201);
  });

  it("shows members their own bookings, hall admins theirs and their venues', super admins all; others get 404", async () => {
    const mine = (await (await post(member, body(120 * HOUR))).json()) as { id: number };
    const elsewhere = (await (await post(other, body(120 * HOUR, { venue: otherVenueId }))).json()) as { id: number };
    const ids = async (who: TestUser, query = '') =>
      (
        (await (await ctx.request('GET', `/api/bookings/${query}`, { token: who.token })).json()) as Array<{
          id: number;
        }>
      ).map((b) => b.id);

    assert.ok((await ids(member)).includes(mine.id));
    assert.ok(!(await ids(member)).includes(elsewhere.id));
    assert.ok((await ids(hallAdmin)).includes(mine.id));
    assert.ok(!(await ids(hallAdmin)).includes(elsewhere.id));
    assert.ok((await ids(outsiderAdmin)).includes(elsewhere.id));
    assert.ok((await ids(superAdmin)).includes(mine.id) && (await ids(superAdmin)).includes(elsewhere.id));
    assert.deepEqual(await ids(superAdmin, `?venue=${otherVenueId}&status=active`), [elsewhere.id]);

    assert.equal((await ctx.request('GET', `/api/bookings/${mine.id}/`, { token: other.token })).status, 404);
    assert.equal((await ctx.request('GET', `/api/bookings/${mine.id}/`, { token: outsiderAdmin.token })).status, 404);
    assert.equal((await ctx.request('POST', `/api/bookings/${mine.id}/cancel/`, { token: other.token })).status, 404);
    assert.equal(
      (await ctx.request('POST', `/api/bookings/${mine.id}/override_autocancel/`, { token: outsiderAdmin.token }))
        .status,
      404,
    );
    const shown = (await (
      await ctx.request('GET', `/api/bookings/${mine.id}`, { token: hallAdmin.token })
    ).json()) as Record<string, unknown>;
    assert.deepEqual(
      Object.keys(shown).sort(),
      [
        'approval_deadline',
        'approval_decided_at',
        'approval_decided_by',
        'approval_reason',
        'approval_status',
        'auto_cancel_reason',
        'auto_cancelled',
        'auto_cancelled_at',
        'cancel_reason',
        'cancelled_at',
        'cancelled_by',
        'check_in_closes_at',
        'check_in_opens_at',
        'checked_in_at',
        'confirm_by',
        'confirmed',
        'confirmed_at',
        'created_at',
        'date',
        'end_time',
        'ends_at',
        'event_details',
        'event_name',
        'id',
        'no_show',
        'no_show_at',
        'reminder_email_bounced_at',
        'reminder_sent',
        'reminder_sent_at',
        'rule_override_reason',
        'series_id',
        'start_time',
        'starts_at',
        'state',
        'status',
        'time_zone',
        'user',
        'user_name',
        'venue',
        'venue_name',
      ].sort(),
    );
  });

  it("writes each booking's instants, its venue's zone and when it must be confirmed by, and splits upcoming from past", async () => {
    const created = (await (
      await post(member, { venue: venueId, ...slotOnDay(13, 10, 2, ZONE), event_name: 'Seminar' })
    ).json()) as {
      id: number;
      starts_at: string;
      ends_at: string;
      time_zone: string;
      confirm_by: string | null;
      user_name: string;
      date: string;
      start_time: string;
    };
    assert.equal(created.time_zone, ZONE);
    assert.equal(created.user_name, 'Test member');
    const localStart = new Intl.DateTimeFormat('en-CA', {
      timeZone: ZONE,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .format(new Date(created.starts_at))
      .replace(',', '');
    assert.equal(
      localStart,
      `${created.date} ${created.start_time}`,
      "starts_at is the local start in the venue's zone",
    );
    assert.equal(new Date(created.ends_at).getTime() - new Date(created.starts_at).getTime(), 2 * HOUR);
    assert.equal(
      new Date(created.starts_at).getTime() - new Date(created.confirm_by!).getTime(),
      ctx.config.lifecycle.confirmDeadlineMs,
    );

    await ctx.request('POST', `/api/bookings/${created.id}/confirm`, { token: member.token });
    const confirmed = (await (
      await ctx.request('GET', `/api/bookings/${created.id}`, { token: member.token })
    ).json()) as { confirm_by: string | null };
    assert.equal(confirmed.confirm_by, null, 'nothing to confirm once confirmed');

    const [past] = await ctx.db.sql<{ id: number }[]>`
      insert into bookings (venue_id, user_id, during, event_name, status)
      values (${venueId}, ${member.id}, tstzrange(now() - interval '3 days', now() - interval '3 days' + interval '1 hour'), 'Last week', 'completed') returning id`;
    const ids = async (when: string) =>
      (
        (await (await ctx.request('GET', `/api/bookings/?when=${when}`, { token: member.token })).json()) as Array<{
          id: number;
        }>
      ).map((b) => b.id);
    assert.ok((await ids('upcoming')).includes(created.id) && !(await ids('upcoming')).includes(past!.id));
    assert.ok((await ids('past')).includes(past!.id) && !(await ids('past')).includes(created.id));
    assert.equal((await ctx.request('GET', '/api/bookings/?when=soon', { token: member.token })).status, 400);
  });

  it("shows anyone a venue's day so free time is visible, naming only the bookings they may see", async () => {
    const slot = { venue: venueId, ...slotOnDay(11, 9, 2, ZONE), event_name: 'Seminar' };
    const own = (await (await post(member, slot)).json()) as { id: number; start_time: string; end_time: string };
    const later = { ...slot, ...slotOnDay(11, 14, 1, ZONE) };
    const others = (await (await post(other, { ...later, event_name: 'Private board meeting' })).json()) as {
      id: number;
    };
    const schedule = async (who: TestUser, date = slot.date) =>
      ctx.request('GET', `/api/venues/${venueId}/schedule?date=${date}`, { token: who.token });

    const seen = (await (await schedule(member)).json()) as {
      time_zone: string;
      bookings: Array<{ id: number | null; event_name: string | null; mine: boolean; start_time: string }>;
    };
    assert.equal(seen.time_zone, ZONE);
    const mine = seen.bookings.find((b) => b.mine);
    assert.deepEqual([mine?.id, mine?.event_name, mine?.start_time], [own.id, 'Seminar', own.start_time]);
    const theirs = seen.bookings.find((b) => !b.mine);
    assert.ok(theirs, "the other member's booking shows as taken");
    assert.deepEqual([theirs.id, theirs.event_name], [null, null], 'without saying whose or what');
    const starts = seen.bookings.map((b) => b.start_time);
    assert.deepEqual(starts, [...starts].sort(), 'in start order');

    const adminView = (await (await schedule(hallAdmin)).json()) as {
      bookings: Array<{ id: number | null; event_name: string | null }>;
    };
    assert.ok(
      adminView.bookings.some((b) => b.id === others.id && b.event_name === 'Private board meeting'),
      "the venue's admin sees every booking",
    );

    await ctx.request('POST', `/api/bookings/${others.id}/cancel`, { token: other.token, body: { reason: 'moved' } });
    const afterCancel = (await (await schedule(member)).json()) as { bookings: unknown[] };
    assert.equal(afterCancel.bookings.length, seen.bookings.length - 1, 'a cancelled booking frees its time');

    assert.equal((await schedule(member, '2031-02-30')).status, 400);
    assert.equal(
      (await ctx.request('GET', `/api/venues/999999999/schedule?date=${slot.date}`, { token: member.token })).status,
      404,
    );
  });

  it('pages the list with a Link header and filters by date', async () => {
    const slot = body(150 * HOUR);
    for (const hour of [8, 11, 14]) {
      await post(member, { ...slot, ...slotOnDay(9, hour, 2, ZONE), date: slot.date });
    }
    const first = await ctx.request('GET', '/api/bookings/?limit=1', { token: member.token });
    assert.match(first.headers.get('link') ?? '', /rel="next"/);
    const byDate = (await (
      await ctx.request('GET', `/api/bookings/?date=${slot.date}`, { token: member.token })
    ).json()) as Array<{ date: string }>;
    assert.ok(byDate.length >= 1 && byDate.every((b) => b.date === slot.date));
  });

  it('lists upcoming bookings soonest first, paged after the last start, whatever order they were made in', async () => {
    const booker = await given(ctx).member();
    // Made latest-first: the list must not follow creation order.
    const made: number[] = [];
    for (const days of [30, 20, 10]) {
      const response = await post(booker, {
        venue: otherVenueId,
        ...slotOnDay(days, 9, 1, ZONE),
        event_name: 'Agenda',
      });
      assert.equal(response.status, 201, await response.clone().text());
      made.push(((await response.json()) as { id: number }).id);
    }
    const first = await ctx.request('GET', '/api/bookings/?when=upcoming&mine=true&limit=2', { token: booker.token });
    const firstIds = ((await first.json()) as { id: number }[]).map((b) => b.id);
    assert.deepEqual(firstIds, [made[2], made[1]], 'day 10, then day 20');
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '')?.[1];
    assert.ok(next && /after=\d+_\d+/.test(next) && !/before=/.test(next), `a cursor after the last start (${next})`);
    const rest = ((await (await ctx.request('GET', next, { token: booker.token })).json()) as { id: number }[]).map(
      (b) => b.id,
    );
    assert.deepEqual(rest, [made[0]]);
    const bad = await ctx.request('GET', '/api/bookings/?when=upcoming&after=soon', { token: booker.token });
    assert.equal(bad.status, 400);
  });

  it('refuses to reschedule onto another active booking (409) and keeps the original', async () => {
    const a = (await (await post(member, body(200 * HOUR))).json()) as { id: number; start_time: string };
    const bSlot = body(205 * HOUR);
    const b = (await (await post(member, bSlot)).json()) as { id: number; start_time: string };
    const clash = await ctx.request('PATCH', `/api/bookings/${a.id}/`, {
      token: member.token,
      body: { date: bSlot.date, start_time: bSlot.start_time, end_time: bSlot.end_time },
    });
    assert.equal(clash.status, 409);
    const still = (await (await ctx.request('GET', `/api/bookings/${a.id}/`, { token: member.token })).json()) as {
      start_time: string;
    };
    assert.equal(still.start_time, a.start_time);
    assert.ok(b.id);
  });

  it('refuses a start beyond the booking horizon (365 days), in year 9999 or on day 367, for a new booking and a reschedule, naming "date"', async () => {
    assert.equal(ctx.config.lifecycle.bookingHorizonMs, 365 * 24 * HOUR);
    const beyond = [
      { ...body(50 * HOUR), date: '9999-12-31' },
      { ...body(50 * HOUR), ...slotOnDay(367, 10, 2, ZONE) },
    ];
    for (const payload of beyond) {
      const response = await post(member, payload);
      assert.equal(response.status, 400, JSON.stringify(payload));
      assert.equal(
        await errorOf(response),
        'body field "date" is too far ahead: a slot may start at most 365 days from now',
      );
    }
    const within = await post(member, { ...body(50 * HOUR), ...slotOnDay(363, 10, 2, ZONE) });
    assert.equal(within.status, 201, await within.clone().text());

    const booking = (await (await post(member, body(300 * HOUR))).json()) as { id: number; date: string };
    const moved = await ctx.request('PATCH', `/api/bookings/${booking.id}/`, {
      token: member.token,
      body: { date: '9999-12-31' },
    });
    assert.equal(moved.status, 400);
    assert.match(await errorOf(moved), /^body field "date" is too far ahead/);
    const still = (await (
      await ctx.request('GET', `/api/bookings/${booking.id}/`, { token: member.token })
    ).json()) as { date: string };
    assert.equal(still.date, booking.date);
  });
});
