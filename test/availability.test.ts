import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TZDate } from '@date-fns/tz';
import { assignVenueAdmin, insertVenues } from '../scripts/dev/harness/fixtures';
import { findAvailability, type FreeVenue } from '../src/availability/search';
import { NO_LIMITS } from '../src/contracts/venue-rules';
import { insertClosure, replaceListedBookers, replaceOpeningHours, updateRuleSettings } from '../src/rules/store';
import { createTestContext, given, slotOnDay, type TestContext, type TestUser } from './support';

const MINUTE = 60_000;
const DAY = 86_400_000;
const ZONES = ['Asia/Kolkata', 'America/New_York', 'Europe/London', 'Asia/Tokyo'];
const AMENITIES = ['Projector', 'Whiteboard', 'Hearing loop'];

/** A small seeded generator (mulberry32), so a failing case can be run again from its seed. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  const chance = (p: number) => next() < p;
  return { int, pick, chance };
}

const pad = (n: number) => String(n).padStart(2, '0');
const hhmm = (minutes: number) =>
  minutes === 1440 ? '24:00' : `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
/** The instant of a venue-local date and minute of the day (no DST change on the days used). */
const at = (date: string, minute: number, zone: string) => {
  const [y, m, d] = date.split('-').map(Number);
  return new TZDate(y!, m! - 1, d!, 0, minute, 0, zone).getTime();
};
const dateAfter = (from: number, days: number, zone: string) => {
  const local = new TZDate(from + days * DAY, zone);
  return `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}`;
};
/** No daylight-saving change on the day: its oracle reads minutes as 60 s each. */
const steadyDay = (date: string, zone: string) => at(date, 1440, zone) - at(date, 0, zone) === DAY;

interface World {
  venues: {
    id: number;
    zone: string;
    capacity: number | null;
    amenities: string[];
    hours: Map<number, [number, number]> | null;
    closed: Set<string>;
    setup: number;
    teardown: number;
    minNotice: number;
    minLength: number;
    roles: string[] | null;
    restricted: boolean;
    listed: Set<number>;
    admins: Set<number>;
    blocked: [number, number][];
  }[];
}

/**
 * The room finder against a brute-force oracle: random venues (zones, capacity, amenities, opening
 * hours, closures, buffers, notice, minimum length, who may book), random bookings (active, pending
 * and cancelled), and random questions from random people; for each, the oracle walks the asked
 * window minute by minute, asking whether a one-minute booking could start there, and its runs of
 * such minutes must be exactly the free intervals the query answers. Seeded (BOOKIT_PROPERTY_SEED
 * to replay one), 4 worlds × 75 questions.
 */
describe('room finder', () => {
  let ctx: TestContext;
  const defaults = { ...NO_LIMITS, bookingHorizonMs: 365 * DAY };

  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  it('agrees with a brute-force oracle on 300 seeded random cases', async () => {
    const seed = Number(process.env.BOOKIT_PROPERTY_SEED ?? 20261206);
    const rand = generator(seed);
    const now = Math.floor(Date.now() / MINUTE) * MINUTE;
    const people: TestUser[] = [
      await ctx.createUser('member'),
      await ctx.createUser('member'),
      await ctx.createUser('hall_admin'),
      await ctx.createUser('super_admin'),
    ];
    const booker = people[0]!;
    let cases = 0;
    for (let worldNo = 0; worldNo < 4; worldNo++) {
      const world: World = { venues: [] };
      const count = 6;
      const ids = await insertVenues(
        ctx.db.sql,
        Array.from({ length: count }, (_, i) => ({
          name: `Prop ${seed}-${worldNo}-${i}`,
          timeZone: rand.pick(ZONES),
          capacity: rand.chance(0.8) ? rand.pick([10, 30, 60, 120]) : undefined,
        })),
      );
      for (const id of ids) {
        const [row] = await ctx.db.sql<{ time_zone: string; capacity: number | null }[]>`
          select time_zone, capacity from venues where id = ${id}`;
        const venue: World['venues'][number] = {
          id,
          zone: row!.time_zone,
          capacity: row!.capacity,
          amenities: AMENITIES.filter(() => rand.chance(0.5)),
          hours: null,
          closed: new Set(),
          setup: rand.pick([0, 0, 10, 15, 30]),
          teardown: rand.pick([0, 0, 5, 15]),
          minNotice: rand.pick([0, 0, 60, 24 * 60]),
          minLength: rand.pick([0, 0, 30, 60]),
          roles: rand.chance(0.2) ? ['hall_admin', 'super_admin'] : null,
          restricted: rand.chance(0.2),
          listed: new Set(),
          admins: new Set(),
          blocked: [],
        };
        await ctx.db.sql`
          insert into venue_amenities (venue_id, amenity_id)
          select ${id}, id from amenities where name = any(${ctx.db.sql.array(venue.amenities)}::text[])`;
        if (rand.chance(0.6)) {
          venue.hours = new Map();
          for (let weekday = 0; weekday < 7; weekday++)
            if (rand.chance(0.75)) {
              const opens = rand.int(6, 10) * 60 + rand.pick([0, 30]);
              venue.hours.set(weekday, [opens, Math.min(1440, opens + rand.int(4, 14) * 60)]);
            }
          await replaceOpeningHours(
            ctx.db.sql,
            id,
            [...venue.hours].map(([weekday, [opens, closes]]) => ({
              weekday,
              opens: `${hhmm(opens)}:00`,
              closes: `${hhmm(closes)}:00`,
            })),
          );
        }
        if (rand.chance(0.3)) {
          const first = dateAfter(now, rand.int(0, 12), venue.zone);
          await insertClosure(ctx.db.sql, { venueId: id, first, last: first, reason: 'Random', createdBy: booker.id });
          venue.closed.add(first);
        }
        if (venue.restricted && rand.chance(0.5)) {
          await replaceListedBookers(ctx.db.sql, id, [people[1]!.id]);
          venue.listed.add(people[1]!.id);
        }
        if (rand.chance(0.5)) {
          await assignVenueAdmin(ctx.db.sql, id, people[2]!.id);
          venue.admins.add(people[2]!.id);
        }
        await updateRuleSettings(ctx.db.sql, id, {
          setupBufferMs: venue.setup * MINUTE,
          teardownBufferMs: venue.teardown * MINUTE,
          minNoticeMs: venue.minNotice * MINUTE,
          minDurationMs: venue.minLength * MINUTE,
          bookingRoles: venue.roles as never,
          restricted: venue.restricted,
        });
        // Bookings over the next two weeks, at minute boundaries; an overlap is refused by the
        // constraint (ON CONFLICT DO NOTHING), as the API would refuse it.
        for (let b = 0; b < 25; b++) {
          const date = dateAfter(now, rand.int(0, 12), venue.zone);
          const start = rand.int(0, 23 * 60);
          const end = Math.min(1440, start + rand.pick([15, 30, 60, 90, 120, 240]));
          const status = rand.chance(0.15) ? 'cancelled' : 'active';
          const pending = status === 'active' && rand.chance(0.2);
          const [made] = await ctx.db.sql<{ lo: Date; hi: Date }[]>`
            insert into bookings (venue_id, user_id, event_name, during, status, setup_buffer, teardown_buffer,
              approval_status, approval_requested_at, approval_deadline)
            values (${id}, ${booker.id}, 'Random', tstzrange(${new Date(at(date, start, venue.zone))}, ${new Date(at(date, end, venue.zone))}, '[)'),
              ${status}, make_interval(mins => ${venue.setup}), make_interval(mins => ${venue.teardown}),
              ${pending ? 'pending' : null}, ${pending ? new Date(now) : null}, ${pending ? new Date(now + DAY) : null})
            on conflict do nothing
            returning lower(blocked) as lo, upper(blocked) as hi`;
          if (made && status === 'active') venue.blocked.push([made.lo.getTime(), made.hi.getTime()]);
        }
        world.venues.push(venue);
      }

      for (let q = 0; q < 75; q++) {
        const who = rand.pick(people);
        const zoneOfDay = rand.pick(world.venues).zone;
        let date = dateAfter(now, rand.int(0, 12), zoneOfDay);
        if (!world.venues.every((v) => steadyDay(date, v.zone))) date = dateAfter(now, 1, zoneOfDay);
        const from = rand.int(0, 20) * 60 + rand.pick([0, 15, 30]);
        const to = Math.min(1440, from + rand.int(1, 12) * 60);
        const capacity = rand.chance(0.3) ? rand.pick([20, 50, 100]) : undefined;
        const wanted = rand.chance(0.3) ? [rand.pick(AMENITIES)] : [];
        const minLength = rand.chance(0.3) ? rand.pick([15, 45, 120]) : undefined;
        const answer = await findAvailability(
          ctx.db.sql,
          { id: who.id, role: who.role },
          {
            date,
            from: hhmm(from),
            to: hhmm(to),
            capacity,
            amenities: wanted,
            minLengthMinutes: minLength,
          },
          defaults,
          new Date(now),
        );
        const expected = oracle(world, {
          who,
          date,
          from,
          to,
          capacity,
          wanted,
          minLength: minLength ?? 1,
          now,
          horizon: defaults.bookingHorizonMs,
        });
        const mine = new Set(world.venues.map((v) => v.id));
        const got = answer
          .filter((v: FreeVenue) => mine.has(v.venue_id))
          .map((v) => ({
            id: v.venue_id,
            free: v.free.map((f) => [Date.parse(f.starts_at), Date.parse(f.ends_at)] as [number, number]),
          }))
          .sort((a, b) => a.id - b.id);
        assert.deepEqual(
          got,
          expected,
          `seed ${seed}, world ${worldNo}, question ${q}: ${JSON.stringify({ who: who.role, date, from: hhmm(from), to: hhmm(to), capacity, wanted, minLength })}`,
        );
        cases++;
      }
    }
    assert.equal(cases, 300);
  });

  it('over the API: a member asks which rooms seat 50 with a projector on a day, and gets the free times of those alone', async () => {
    const [staff, member] = [await ctx.createUser('hall_admin'), await ctx.createUser('member')];
    const make = given(ctx);
    const big = await make.venue({ name: 'Finder Big Hall', timeZone: 'Asia/Kolkata', capacity: 80, admins: [staff] });
    const small = await make.venue({
      name: 'Finder Small Room',
      timeZone: 'Asia/Kolkata',
      capacity: 12,
      admins: [staff],
    });
    for (const venue of [big, small])
      assert.equal(
        (
          await ctx.request('PATCH', `/api/venues/${venue.id}`, {
            token: staff.token,
            body: { amenities: ['Projector'] },
          })
        ).status,
        200,
      );
    const slot = slotOnDay(5, 10, 2, 'Asia/Kolkata');
    await make.booking(member, big, { slot });
    const answer = await ctx.request(
      'GET',
      `/api/availability?date=${slot.date}&from=09:00&to=13:00&capacity=50&amenities=projector`,
      { token: member.token },
    );
    assert.equal(answer.status, 200, await answer.clone().text());
    const venues = (await answer.json()) as FreeVenue[];
    const mine = venues.filter((v) => v.name.startsWith('Finder '));
    assert.deepEqual(
      mine.map((v) => [v.name, v.free.map((f) => `${f.start_time}–${f.end_time}`)]),
      [['Finder Big Hall', ['09:00–10:00', '12:00–13:00']]],
    );
    const bad = await ctx.request('GET', `/api/availability?date=${slot.date}&from=13:00&to=09:00`, {
      token: member.token,
    });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: string }).error, /"to" must be after "from"/);
  });
});

/** Free intervals by walking each minute of the window: could a one-minute booking start there? */
function oracle(
  world: World,
  q: {
    who: TestUser;
    date: string;
    from: number;
    to: number;
    capacity?: number;
    wanted: string[];
    minLength: number;
    now: number;
    horizon: number;
  },
): { id: number; free: [number, number][] }[] {
  const result: { id: number; free: [number, number][] }[] = [];
  for (const venue of world.venues) {
    if (q.capacity !== undefined && (venue.capacity === null || venue.capacity < q.capacity)) continue;
    if (!q.wanted.every((name) => venue.amenities.includes(name))) continue;
    if (venue.closed.has(q.date)) continue;
    const staff = q.who.role === 'super_admin' || (q.who.role === 'hall_admin' && venue.admins.has(q.who.id));
    if (!staff && venue.roles && !venue.roles.includes(q.who.role)) continue;
    if (!staff && venue.restricted && !venue.listed.has(q.who.id)) continue;
    const weekday = new Date(`${q.date}T12:00:00Z`).getUTCDay();
    const [opens, closes] = venue.hours === null ? [0, 1440] : (venue.hours.get(weekday) ?? [0, 0]);
    const lo = Math.max(q.from, opens);
    const hi = Math.min(q.to, closes);
    const runs: [number, number][] = [];
    let runStart: number | null = null;
    const close = (end: number) => {
      if (runStart !== null && end - runStart >= Math.max(q.minLength, venue.minLength, 1) * MINUTE)
        runs.push([runStart, end]);
      runStart = null;
    };
    for (let minute = lo; minute < hi; minute++) {
      const start = at(q.date, minute, venue.zone);
      const end = start + MINUTE;
      const ok =
        start >= q.now + venue.minNotice * MINUTE &&
        end <= q.now + q.horizon &&
        venue.blocked.every(([b0, b1]) => end + venue.teardown * MINUTE <= b0 || start - venue.setup * MINUTE >= b1);
      if (ok && runStart === null) runStart = start;
      if (!ok) close(start);
    }
    close(at(q.date, hi, venue.zone));
    if (runs.length > 0) result.push({ id: venue.id, free: runs });
  }
  return result.sort((a, b) => a.id - b.id);
}
