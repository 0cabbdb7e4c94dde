// Scenario 5: thousands of open SSE streams (one per user) read with fetch. A notification inserted
// for a user must reach that user's stream, and a super admin's broadcast must reach every open
// stream; the API's memory per open stream is read from its RSS. The baseline is PostgreSQL's own
// LISTEN/NOTIFY round trip.
import type { Cluster } from '../scripts/dev/harness/cluster';
import {
  call,
  createUsers,
  eventually,
  sleep,
  tokenFor,
  withTokens,
  type FixtureUser,
} from '../scripts/dev/harness/fixtures';
import { insertNotification } from '../src/notices/inbox';
import { describeShares, startCpuMeter } from './cpu-usage';
import { formatValue, spreadDetail, summarize, type Row } from './measure';

interface OpenStream {
  user: FixtureUser;
  /** Notification id → when its event arrived (performance.now()). */
  arrivals: Map<number, number>;
  /** When each `: heartbeat` comment arrived (the API writes one to every open stream at once). */
  heartbeats: number[];
  close(): void;
}

async function openStream(api: string, user: FixtureUser): Promise<OpenStream> {
  const ticket = await call<{ ticket: string }>(api, 'POST', '/api/notifications/stream_ticket/', {
    token: user.token,
  });
  if (ticket.status !== 201) throw new Error(`stream_ticket answered ${ticket.status}`);
  const controller = new AbortController();
  const response = await fetch(`${api}/api/notifications/stream?ticket=${encodeURIComponent(ticket.body.ticket)}`, {
    signal: controller.signal,
  });
  if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
  const arrivals = new Map<number, number>();
  const heartbeats: number[] = [];
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let connected!: () => void;
  const ready = new Promise<void>((resolve) => {
    connected = resolve;
  });
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (/^event: unread_count/m.test(event)) connected();
          if (/^: heartbeat/m.test(event)) heartbeats.push(performance.now());
          if (/^event: notification/m.test(event)) {
            const id = /^id: (\d+)/m.exec(event)?.[1];
            if (id) arrivals.set(Number(id), performance.now());
          }
        }
      }
    } catch {
      // Aborted at the end of the scenario.
    }
  })();
  await ready;
  return { user, arrivals, heartbeats, close: () => controller.abort() };
}

export async function fanOutScenario(
  cluster: Cluster,
  { streams, notifications }: { streams: number; notifications: number },
): Promise<Row[]> {
  const users = await withTokens(cluster.jwtSecret, await createUsers(cluster.sql, streams, 'member', 'bench-sse'));
  const api = cluster.apis[0]!.url!;
  const apiPiece = cluster.apis[0]!;
  const mb = (bytes: number) => bytes / 1024 / 1024;

  // The API's resident memory with no stream open, then with all of them open: the difference per stream.
  await sleep(2_000);
  const rssBefore = await apiPiece.rssBytes();
  const open: OpenStream[] = [];
  const openStarted = performance.now();
  for (let i = 0; i < users.length; i += 100) {
    open.push(...(await Promise.all(users.slice(i, i + 100).map((user) => openStream(api, user)))));
  }
  const openS = (performance.now() - openStarted) / 1000;
  await sleep(3_000);
  const rssOpen = await apiPiece.rssBytes();
  const perStreamKiB = (rssOpen - rssBefore) / 1024 / streams;

  // Baseline: NOTIFY to a LISTEN on another connection, through postgres.js.
  const heard = new Map<string, number>();
  const listening = await cluster.sql.listen('bench_baseline', (payload) => heard.set(payload, performance.now()));
  const baseline: number[] = [];
  for (let i = 0; i < notifications; i++) {
    const sent = performance.now();
    await cluster.sql`select pg_notify('bench_baseline', ${String(i)})`;
    await eventually(async () => heard.has(String(i)), 'the baseline NOTIFY', 5_000, 1);
    baseline.push(heard.get(String(i))! - sent);
  }
  await listening.unlisten();

  // One notification every 20 ms to a random open stream.
  let meter = startCpuMeter(cluster);
  const latencies: number[] = [];
  const sent: Array<{ stream: OpenStream; id: number; at: number }> = [];
  for (let i = 0; i < notifications; i++) {
    const stream = open[Math.floor(Math.random() * open.length)]!;
    const at = performance.now();
    const id = await insertNotification(cluster.sql, {
      userId: stream.user.id,
      type: 'system',
      title: 'Bench',
      message: `Fan-out ${i}`,
      eventKey: `bench:sse:${i}:${Date.now()}`,
    });
    sent.push({ stream, id: id!, at });
    await sleep(20);
  }
  await sleep(3_000);
  const trickleCpu = meter.stop();
  let lost = 0;
  const late: number[] = [];
  for (const { stream, id, at } of sent) {
    const arrived = stream.arrivals.get(id);
    if (arrived === undefined) lost++;
    else {
      latencies.push(arrived - at);
      if (arrived - at > 250) late.push(at);
    }
  }
  // Were the slow deliveries sent just before the API wrote a heartbeat to every open stream?
  const beats = open[0]!.heartbeats;
  const nearBeat = late.filter((at) => beats.some((beat) => beat >= at - 250 && beat - at <= 3_000)).length;

  // A super admin's broadcast: every active user gets a notification, every open stream an event.
  const [admin] = await cluster.sql<
    { id: number; token_version: number }[]
  >`select id, token_version from users where email = ${cluster.admin.email}`;
  const adminToken = await tokenFor(cluster.jwtSecret, {
    id: admin!.id,
    role: 'super_admin',
    tokenVersion: admin!.token_version,
  });
  const [{ audience } = { audience: 0 }] = await cluster.sql<
    { audience: number }[]
  >`select count(*)::int as audience from users where is_active`;
  meter = startCpuMeter(cluster);
  const broadcastAt = performance.now();
  const accepted = await call<{ count: number }>(api, 'POST', '/api/notifications/broadcast', {
    token: adminToken,
    body: { title: 'Bench broadcast', message: 'Fan-out to every open stream' },
  });
  if (accepted.status !== 201)
    throw new Error(`broadcast answered ${accepted.status}: ${JSON.stringify(accepted.body)}`);
  const [broadcast] = await cluster.sql<{ id: number }[]>`select id from broadcasts order by id desc limit 1`;
  const delivered = async () => {
    const [row] = await cluster.sql<
      { completed: boolean }[]
    >`select completed_at is not null as completed from broadcasts where id = ${broadcast!.id}`;
    return row?.completed;
  };
  await eventually(delivered, 'the broadcast to be written', 300_000, 200).catch(() => undefined);
  const writtenS = (performance.now() - broadcastAt) / 1000;
  await sleep(5_000);
  const broadcastCpu = meter.stop();
  const rows = await cluster.sql<
    { user_id: number; id: number }[]
  >`select user_id, id from notifications where event_key like ${`broadcast:${broadcast!.id}:%`} and user_id = any(${open.map((s) => s.user.id)})`;
  const idOf = new Map(rows.map((row) => [row.user_id, row.id]));
  const broadcastLatencies: number[] = [];
  let broadcastLost = 0;
  for (const stream of open) {
    const id = idOf.get(stream.user.id);
    const arrived = id === undefined ? undefined : stream.arrivals.get(id);
    if (arrived === undefined) broadcastLost++;
    else broadcastLatencies.push(arrived - broadcastAt);
  }
  for (const stream of open) stream.close();

  const trickle = summarize(latencies);
  const wide = summarize(broadcastLatencies);
  const base = summarize(baseline);
  return [
    {
      scenario: '5 SSE fan-out',
      measure: `API memory per open stream (RSS ${formatValue(mb(rssBefore), 'MB')} → ${formatValue(mb(rssOpen), 'MB')} with ${streams.toLocaleString('en')} open)`,
      figure: perStreamKiB,
      unit: 'KiB',
      pass: null,
      note: `${streams.toLocaleString('en')} streams opened in ${openS.toFixed(1)} s (${(streams / openS).toFixed(0)}/s: ticket, then stream)`,
    },
    {
      scenario: '5 SSE fan-out',
      measure: `baseline: LISTEN/NOTIFY round trip through postgres.js (${notifications} notifies)`,
      figure: base.p99,
      unit: 'ms',
      detail: spreadDetail(base, 'ms'),
      pass: null,
    },
    {
      scenario: '5 SSE fan-out',
      measure: `p99 insert → event on the user's stream, ${streams.toLocaleString('en')} open (1 every 20 ms to a random one)`,
      figure: trickle.p99,
      unit: 'ms',
      detail: spreadDetail(trickle, 'ms'),
      baseline: { what: 'LISTEN/NOTIFY p99', value: base.p99, unit: 'ms' },
      ratio: trickle.p99 / base.p99,
      target: 'p99 ≤ 1 000 ms, none lost',
      pass: trickle.p99 <= 1000 && lost === 0,
      note: `${lost} of ${notifications} never arrived; ${late.length} took over 250 ms, ${nearBeat} of them sent within 3 s before a heartbeat reached the streams; cores: ${describeShares(trickleCpu)}`,
    },
    {
      scenario: '5 SSE fan-out',
      measure: `p99 broadcast POST → event on each of ${streams.toLocaleString('en')} open streams (audience ${audience.toLocaleString('en')} active users)`,
      figure: wide.p99,
      unit: 'ms',
      detail: spreadDetail(wide, 'ms'),
      target: 'p99 ≤ 1 000 ms, none lost',
      pass: wide.p99 <= 1000 && broadcastLost === 0,
      note: `${broadcastLost} of ${streams} streams never got it; all ${audience.toLocaleString('en')} rows written ${writtenS.toFixed(1)} s after the POST; cores: ${describeShares(broadcastCpu)}`,
    },
  ];
}
