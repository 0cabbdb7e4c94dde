// Scenarios 1 and 2: creating bookings and reading the unread count over HTTP. Each finds its
// maximum throughput, then its latency at 25, 50 and 75 % of it, beside a baseline measured in the
// same run: the least work the same result takes without BookIT (a bare transaction, a bare count).
import type { Cluster } from '../scripts/dev/harness/cluster';
import { createUsers, createVenues, withTokens } from '../scripts/dev/harness/fixtures';
import { countUnread } from '../src/notifications/store';
import { bookingSummary, bookingWorkflowInput } from '../src/bookings/workflow-start';
import { describeShares, startCpuMeter } from './cpu-usage';
import { bearer, formatValue, runAutocannon, runLoops, summarize, type Row } from './measure';
import { apiCpuPerRequest, closedThenOpen, seriesRows } from './open-loop';
import type { BenchLifecycle } from './timer-trials';

const DAY = 86_400_000;
const STEP = 30 * 60_000;
const SLOT = 20 * 60_000;
const CONNECTIONS = 50;

/** Distinct, non-overlapping 20-minute slots: slot n of a venue starts n × 30 min after `from`. */
function slotOf(from: number, n: number): { startsAt: number; date: string; start_time: string; end_time: string } {
  const startsAt = from + n * STEP;
  const start = new Date(startsAt).toISOString();
  const end = new Date(startsAt + SLOT).toISOString();
  return { startsAt, date: start.slice(0, 10), start_time: start.slice(11, 16), end_time: end.slice(11, 16) };
}

export interface CreateSizes {
  baselineS: number;
  closedS: number;
  openS: number;
}

/**
 * The baseline is what the API's create must at least do: one transaction inserting the booking
 * row and its outbox row. Its outbox rows are due at 'infinity', so they sit in the pending index as
 * a real start does without the relay ever taking them, and are deleted afterwards.
 */
export async function createBookingScenario(
  cluster: Cluster,
  sizes: CreateSizes & { lifecycle: BenchLifecycle; drain: () => Promise<void> },
): Promise<Row[]> {
  const venues = await createVenues(cluster.sql, CONNECTIONS, 'bench-create');
  const users = await withTokens(
    cluster.jwtSecret,
    await createUsers(cluster.sql, CONNECTIONS, 'member', 'bench-create'),
  );
  const from = Math.ceil((Date.now() + 2 * DAY) / DAY) * DAY;

  const [baselineVenue] = await createVenues(cluster.sql, 1, 'bench-baseline');
  const lifecycle = { ...sizes.lifecycle, emailRetryInitialMs: 5_000 };
  const meter = startCpuMeter(cluster);
  const baseline = await runLoops(CONNECTIONS, sizes.baselineS * 1000, (n) => {
    const slot = slotOf(from, n);
    return cluster.sql.begin(async (tx) => {
      const [row] = await tx<{ id: number }[]>`
        insert into bookings (venue_id, user_id, event_name, during)
        values (${baselineVenue!}, ${users[0]!.id}, 'Baseline', tstzrange(${new Date(slot.startsAt)}, ${new Date(slot.startsAt + SLOT)}, '[)'))
        returning id`;
      const payload = {
        workflowType: 'bookingLifecycleWorkflow',
        args: [bookingWorkflowInput(row!.id, lifecycle)],
        staticSummary: bookingSummary(
          'bench-baseline hall 1',
          { date: slot.date, startTime: slot.start_time, endTime: slot.end_time },
          row!.id,
        ),
      };
      await tx`insert into outbox (kind, workflow_id, payload, next_attempt_at) values ('start', ${`bench-baseline-${row!.id}`}, ${tx.json(payload as never)}, 'infinity')`;
    });
  });
  const baselineCpu = meter.stop();
  // Baseline rows have no workflow: they must not count as open bookings or pending starts later.
  await cluster.sql`update bookings set status = 'cancelled' where venue_id = ${baselineVenue!}`;
  await cluster.sql`delete from outbox where workflow_id like 'bench-baseline-%'`;
  const base = summarize(baseline.samples);

  const series = await closedThenOpen(cluster, {
    url: cluster.apis[0]!.url!,
    connections: CONNECTIONS,
    closedS: sizes.closedS,
    openS: sizes.openS,
    between: sizes.drain,
    request: (n) => {
      const slot = slotOf(from, Math.floor(n / venues.length));
      return {
        method: 'POST',
        path: '/api/bookings/',
        headers: bearer(users[n % users.length]!.token),
        body: JSON.stringify({
          venue: venues[n % venues.length]!,
          date: slot.date,
          start_time: slot.start_time,
          end_time: slot.end_time,
          event_name: `Bench ${n}`,
        }),
      };
    },
  });
  const rows = seriesRows('1 create booking', series, {
    connections: CONNECTIONS,
    closedS: sizes.closedS,
    openS: sizes.openS,
    p99TargetMsAtHalf: 50,
  });
  const ratio = series.max.rps / baseline.rps;
  rows[0] = {
    ...rows[0]!,
    measure: `POST /api/bookings ${rows[0]!.measure}`,
    baseline: { what: 'bare transaction: booking row + outbox row', value: baseline.rps, unit: '/s' },
    ratio,
    target: '≥ 50 % of baseline',
    pass: ratio >= 0.5 && series.max.non2xx === 0 && series.max.errors === 0,
  };
  return [
    {
      scenario: '1 create booking',
      measure: `baseline: bare transaction, booking row + outbox row (postgres.js, ${CONNECTIONS} loops × ${sizes.baselineS} s)`,
      figure: baseline.rps,
      unit: '/s',
      detail: `p50 ${formatValue(base.p50, 'ms')}, p99 ${formatValue(base.p99, 'ms')}`,
      pass: null,
      note: `cores: ${describeShares(baselineCpu)}`,
    },
    ...rows,
  ];
}

export interface UnreadSizes {
  rows: number;
  users: number;
  baselineS: number;
  closedS: number;
  openS: number;
}

export async function unreadCountScenario(
  cluster: Cluster,
  sizes: UnreadSizes,
): Promise<{ rows: Row[]; explain: string }> {
  const users = await createUsers(cluster.sql, sizes.users, 'member', 'bench-unread');
  const ids = users.map((u) => u.id);
  // About a third unread, spread evenly; written in chunks so WAL and memory stay modest.
  for (let done = 0; done < sizes.rows; done += 200_000) {
    const size = Math.min(200_000, sizes.rows - done);
    await cluster.sql`
      insert into notifications (user_id, notification_type, title, message, is_read, created_at)
      select (${ids}::bigint[])[1 + (g % ${ids.length})], 'system', 'Bench', 'Seeded for the unread-count benchmark', (g % 3) <> 0, now() - (g || ' seconds')::interval
      from generate_series(${done}::int, ${done + size - 1}::int) as g`;
  }
  await cluster.sql`vacuum (analyze) notifications`;
  const sample = users[Math.floor(users.length / 2)]!;
  // The plan of the query GET unread_count runs (findActiveUserWithUnreadCount: the caller's row and the count).
  const plan = await cluster.sql.unsafe(`explain (analyze, buffers)
    select u.id, u.email, u.full_name, u.role, u.token_version, u.must_change_password,
      (select count(*) from notifications n where n.user_id = u.id and not n.is_read) as unread_count
    from users u where u.id = ${Number(sample.id)} and u.is_active`);
  const explain = plan.map((line) => String(Object.values(line)[0])).join('\n');

  const clients = await withTokens(cluster.jwtSecret, users.slice(0, Math.min(users.length, 1000)));
  const url = cluster.apis[0]!.url!;
  let meter = startCpuMeter(cluster);
  const baseline = await runLoops(CONNECTIONS, sizes.baselineS * 1000, (n) =>
    countUnread(cluster.sql, clients[n % clients.length]!.id),
  );
  const baselineCpu = meter.stop();
  const base = summarize(baseline.samples);
  meter = startCpuMeter(cluster);
  const health = await runAutocannon({
    url,
    connections: CONNECTIONS,
    durationS: sizes.baselineS,
    request: () => ({ method: 'GET', path: '/healthz', headers: {} }),
  });
  const healthCpu = meter.stop();
  const series = await closedThenOpen(cluster, {
    url,
    connections: CONNECTIONS,
    closedS: sizes.closedS,
    openS: sizes.openS,
    request: (n) => ({
      method: 'GET',
      path: '/api/notifications/unread_count/',
      headers: bearer(clients[n % clients.length]!.token),
    }),
  });
  const rows = seriesRows('2 unread_count', series, {
    connections: CONNECTIONS,
    closedS: sizes.closedS,
    openS: sizes.openS,
  });
  const ratio = series.max.rps / baseline.rps;
  const indexOnly = /Index Only Scan/.test(explain);
  rows[0] = {
    ...rows[0]!,
    measure: `GET /api/notifications/unread_count over ${sizes.rows.toLocaleString('en')} rows, ${sizes.users.toLocaleString('en')} users: ${rows[0]!.measure}`,
    baseline: { what: 'the count through postgres.js', value: baseline.rps, unit: '/s' },
    ratio,
    target: '≥ 40 % of baseline; one round trip, index-only scan',
    pass: ratio >= 0.4 && indexOnly && series.max.non2xx === 0,
    note: `${rows[0]!.note}; index-only scan: ${indexOnly ? 'yes' : 'NO'}`,
  };
  return {
    explain,
    rows: [
      {
        scenario: '2 unread_count',
        measure: `baseline: the count through postgres.js (${CONNECTIONS} loops × ${sizes.baselineS} s)`,
        figure: baseline.rps,
        unit: '/s',
        detail: `p50 ${formatValue(base.p50, 'ms')}, p99 ${formatValue(base.p99, 'ms')}`,
        pass: null,
        note: `cores: ${describeShares(baselineCpu)}`,
      },
      {
        scenario: '2 unread_count',
        measure: `GET /healthz, the API's HTTP floor (${CONNECTIONS} conns × ${sizes.baselineS} s)`,
        figure: health.rps,
        unit: '/s',
        detail: `p50 ${formatValue(health.p50, 'ms')}, p99 ${formatValue(health.p99, 'ms')}`,
        pass: null,
        note: `${apiCpuPerRequest(healthCpu, health.rps)}cores: ${describeShares(healthCpu)}`,
      },
      ...rows,
    ],
  };
}
