// Scenario 9: the room finder. 200 venues (opening hours, buffers, amenities on some) and 100 000
// bookings over the next nine weeks, then GET /api/availability's one statement asked for random
// days, windows, sizes and amenities: its p99 beside a baseline on the same data, the plain read of
// the window's bookings at every venue through the exclusion constraint's index (what any room
// finder must at least read).
import { findAvailability } from '../src/availability/search';
import { NO_LIMITS } from '../src/contracts/venue-rules';
import type { Cluster } from '../scripts/dev/harness/cluster';
import { createUsers, createVenues } from '../scripts/dev/harness/fixtures';
import { percentile, type Row } from './measure';

const DAY = 86_400_000;
const RULES = { ...NO_LIMITS, bookingHorizonMs: 365 * DAY };

export async function availabilityScenario(
  cluster: Cluster,
  sizes: { venues: number; bookings: number; queries: number },
): Promise<Row[]> {
  const sql = cluster.sql;
  const venues = await createVenues(sql, sizes.venues, 'bench-finder', 'Asia/Kolkata');
  const [owner] = await createUsers(sql, 1, 'member', 'bench-finder');
  const [asker] = await createUsers(sql, 1, 'member', 'bench-finder-asker');
  // A third of the venues keep weekday hours and 10-minute buffers; half have a projector.
  await sql`
    insert into venue_hours (venue_id, weekday, opens, closes)
    select v, d, '08:00', '20:00' from unnest(${sql.array(venues)}::bigint[]) v, generate_series(1, 5) d where v % 3 = 0`;
  await sql`
    insert into venue_rules (venue_id, setup_buffer, teardown_buffer)
    select v, interval '10 minutes', interval '10 minutes' from unnest(${sql.array(venues)}::bigint[]) v where v % 3 = 0`;
  await sql`
    insert into venue_amenities (venue_id, amenity_id)
    select v, (select id from amenities where name = 'Projector') from unnest(${sql.array(venues)}::bigint[]) v where v % 2 = 0`;
  // Hour-long bookings from 08:00 on each of the next days, 8 a day per venue, until the count is reached.
  const perDay = 8;
  const days = Math.ceil(sizes.bookings / (sizes.venues * perDay));
  await sql`
    insert into bookings (venue_id, user_id, event_name, during, confirmed)
    select v, ${owner!.id}, 'Bench', tstzrange(t, t + interval '1 hour', '[)'), true
    from unnest(${sql.array(venues)}::bigint[]) v, generate_series(1, ${days}) d, generate_series(0, ${perDay - 1}) k,
      lateral (select ((current_date + d) + make_interval(hours => 8 + k + (case when k >= 4 then 1 else 0 end))) at time zone 'Asia/Kolkata' as t) s
    limit ${sizes.bookings}`;
  await sql`analyze bookings`;
  const [count] = await sql<{ n: number }[]>`select count(*)::int as n from bookings where event_name = 'Bench'`;
  const booked = count!.n;

  const random = (n: number) => Math.floor(Math.random() * n);
  const dateIn = (d: number) => new Date(Date.now() + d * DAY).toISOString().slice(0, 10);
  const questions = Array.from({ length: sizes.queries }, () => {
    const from = 7 + random(8);
    return {
      date: dateIn(1 + random(days)),
      from: `${String(from).padStart(2, '0')}:00`,
      to: `${String(Math.min(24, from + 2 + random(8))).padStart(2, '0')}:00`,
      capacity: random(2) === 0 ? 50 : undefined,
      amenities: random(3) === 0 ? ['Projector'] : [],
    };
  });
  const time = async (run: () => Promise<unknown>) => {
    const started = performance.now();
    await run();
    return performance.now() - started;
  };
  // Warm both, then alternate them so neither gets a cache the other lacks.
  for (const q of questions.slice(0, 20)) {
    await findAvailability(sql, { id: asker!.id, role: 'member' }, q, RULES);
    await sql`select count(*) from bookings where status = 'active' and blocked && tstzrange(${q.date}::date::timestamp at time zone 'Asia/Kolkata', (${q.date}::date + 1)::timestamp at time zone 'Asia/Kolkata')`;
  }
  const search: number[] = [];
  const baseline: number[] = [];
  for (const q of questions) {
    search.push(await time(() => findAvailability(sql, { id: asker!.id, role: 'member' }, q, RULES)));
    baseline.push(
      await time(
        () =>
          sql`select venue_id, lower(during), upper(during) from bookings
              where status = 'active'
                and blocked && tstzrange((${q.date}::date + ${q.from}::time) at time zone 'Asia/Kolkata', (${q.date}::date + ${q.to}::time) at time zone 'Asia/Kolkata', '[)')
              order by venue_id, lower(during)`,
      ),
    );
  }
  search.sort((a, b) => a - b);
  baseline.sort((a, b) => a - b);
  const p99 = percentile(search, 99);
  const base99 = percentile(baseline, 99);
  return [
    {
      scenario: '9 room finder',
      measure: `p99 of GET /api/availability's statement (${sizes.venues} venues, ${booked} bookings)`,
      figure: Math.round(p99 * 10) / 10,
      unit: 'ms',
      detail: `p50 ${percentile(search, 50).toFixed(1)} ms over ${sizes.queries} random questions`,
      baseline: {
        what: "the window's bookings at every venue, read through the constraint's index (p99)",
        value: Math.round(base99 * 10) / 10,
        unit: 'ms',
      },
      ratio: p99 / base99,
      target: 'p99 ≤ 50 ms',
      pass: p99 <= 50,
    },
  ];
}
