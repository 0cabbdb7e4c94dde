// Scenarios 1 and 2: creating bookings and reading the unread count over HTTP, each beside a
// baseline measured in the same run.
import type { Cluster } from '../src/dev/harness/cluster';
import { createUsers, createVenues, withTokens } from '../src/dev/harness/fixtures';
import { countUnread } from '../src/db/notifications';
import { bearer, runAutocannon, runLoops, summarize, type Row } from './measure';

const DAY = 86_400_000;
const STEP = 30 * 60_000;
const SLOT = 20 * 60_000;

/** Distinct, non-overlapping 20-minute slots: slot n of venue v starts n × 30 min after `from`. */
function slotOf(from: number, n: number): { startsAt: number; date: string; start_time: string; end_time: string } {
  const startsAt = from + n * STEP;
  const start = new Date(startsAt).toISOString();
  const end = new Date(startsAt + SLOT).toISOString();
  return { startsAt, date: start.slice(0, 10), start_time: start.slice(11, 16), end_time: end.slice(11, 16) };
}

export async function createBookingScenario(cluster: Cluster, { durationS, baselineS }: { durationS: number; baselineS: number }): Promise<Row[]> {
  const connections = 50;
  const venues = await createVenues(cluster.sql, connections, 'bench-create');
  const users = await withTokens(cluster.jwtSecret, await createUsers(cluster.sql, connections, 'member', 'bench-create'));
  const from = Math.ceil((Date.now() + 2 * DAY) / DAY) * DAY;

  // Baseline: the bare INSERT of a booking row through postgres.js, 50 at a time, no HTTP, no outbox.
  const [baselineVenue] = await createVenues(cluster.sql, 1, 'bench-baseline');
  const baseline = await runLoops(connections, baselineS * 1000, (n) => {
    const slot = slotOf(from, n);
    return cluster.sql`
      insert into bookings (venue_id, user_id, event_name, during)
      values (${baselineVenue!}, ${users[0]!.id}, 'Baseline', tstzrange(${new Date(slot.startsAt)}, ${new Date(slot.startsAt + SLOT)}, '[)'))`;
  });
  // Baseline rows have no workflow; they must not count as open bookings later.
  await cluster.sql`update bookings set status = 'cancelled' where venue_id = ${baselineVenue!}`;
  const base = summarize(baseline.samples);

  const api = cluster.apis[0]!.url!;
  const http = await runAutocannon({
    url: api,
    connections,
    durationS,
    request: (n) => {
      const venue = venues[n % venues.length]!;
      const slot = slotOf(from, Math.floor(n / venues.length));
      return {
        method: 'POST', path: '/api/bookings/', headers: bearer(users[n % users.length]!.token),
        body: JSON.stringify({ venue, date: slot.date, start_time: slot.start_time, end_time: slot.end_time, event_name: `Bench ${n}` }),
      };
    },
  });
  const ratio = http.p50 / base.p50;
  return [
    { scenario: '1 create booking: bare INSERT (baseline)', load: `${connections} loops × ${baselineS} s`, ...base, throughput: baseline.rps, unit: 'ms', target: '—', pass: null },
    {
      scenario: '1 create booking: POST /api/bookings', load: `${connections} conns × ${durationS} s`, p50: http.p50, p99: http.p99, max: http.max, throughput: http.rps, unit: 'ms',
      target: `p99 ≤ 50 ms; p50 ≤ 3× baseline (${ratio.toFixed(1)}×)`, pass: http.p99 <= 50 && ratio <= 3 && http.non2xx === 0 && http.errors === 0,
      note: `${http.total} requests, ${http.non2xx} non-2xx, ${http.errors} errors`,
    },
  ];
}

export async function unreadCountScenario(cluster: Cluster, { rows, users: userCount, durationS }: { rows: number; users: number; durationS: number }): Promise<{ rows: Row[]; explain: string }> {
  const users = await createUsers(cluster.sql, userCount, 'member', 'bench-unread');
  const ids = users.map((u) => u.id);
  // About a third unread, spread evenly; written in chunks so WAL and memory stay modest.
  for (let done = 0; done < rows; done += 200_000) {
    const size = Math.min(200_000, rows - done);
    await cluster.sql`
      insert into notifications (user_id, notification_type, title, message, is_read, created_at)
      select (${ids}::bigint[])[1 + (g % ${ids.length})], 'system', 'Bench', 'Seeded for the unread-count benchmark', (g % 3) <> 0, now() - (g || ' seconds')::interval
      from generate_series(${done}::int, ${done + size - 1}::int) as g`;
  }
  await cluster.sql`vacuum (analyze) notifications`;
  const sample = users[Math.floor(users.length / 2)]!;
  const plan = await cluster.sql.unsafe(`explain (analyze, buffers) select count(*) from notifications where user_id = ${Number(sample.id)} and not is_read`);
  const explain = plan.map((line) => String(Object.values(line)[0])).join('\n');

  const connections = 50;
  const clients = await withTokens(cluster.jwtSecret, users.slice(0, Math.min(users.length, 1000)));
  // Baseline: the same count through postgres.js, without HTTP or auth.
  const baseline = await runLoops(connections, Math.min(durationS, 10) * 1000, (n) => countUnread(cluster.sql, clients[n % clients.length]!.id));
  const base = summarize(baseline.samples);
  const health = await runAutocannon({ url: cluster.apis[0]!.url!, connections, durationS: Math.min(durationS, 10), request: () => ({ method: 'GET', path: '/healthz', headers: {} }) });
  const http = await runAutocannon({
    url: cluster.apis[0]!.url!, connections, durationS,
    request: (n) => ({ method: 'GET', path: '/api/notifications/unread_count/', headers: bearer(clients[n % clients.length]!.token) }),
  });
  const indexOnly = /Index Only Scan/.test(explain);
  return {
    explain,
    rows: [
      { scenario: '2 unread_count: count through postgres.js (baseline)', load: `${connections} loops`, ...base, throughput: baseline.rps, unit: 'ms', target: '—', pass: null },
      { scenario: '2 unread_count: GET /healthz (HTTP baseline)', load: `${connections} conns`, p50: health.p50, p99: health.p99, max: health.max, throughput: health.rps, unit: 'ms', target: '—', pass: null },
      {
        scenario: `2 unread_count: GET over ${rows.toLocaleString('en')} rows / ${userCount.toLocaleString('en')} users`, load: `${connections} conns × ${durationS} s`,
        p50: http.p50, p99: http.p99, max: http.max, throughput: http.rps, unit: 'ms', target: `p99 ≤ 5 ms; index-only scan (${indexOnly ? 'yes' : 'NO'})`,
        pass: http.p99 <= 5 && indexOnly && http.non2xx === 0, note: `${http.total} requests, ${http.non2xx} non-2xx`,
      },
    ],
  };
}
