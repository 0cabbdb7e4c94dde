// Scenario 5: open SSE streams (one per user) read with fetch; a notification inserted for a user
// must reach that user's stream. The baseline is PostgreSQL's own LISTEN/NOTIFY round trip.
import type { Cluster } from '../src/dev/harness/cluster';
import { call, createUsers, sleep, waitFor, withTokens, type FixtureUser } from '../src/dev/harness/fixtures';
import { insertNotification } from '../src/db/notifications';
import { summarize, type Row } from './measure';

interface OpenStream {
  user: FixtureUser;
  /** Notification id → when its event arrived (performance.now()). */
  arrivals: Map<number, number>;
  close(): void;
}

async function openStream(api: string, user: FixtureUser): Promise<OpenStream> {
  const ticket = await call<{ ticket: string }>(api, 'POST', '/api/notifications/stream_ticket/', { token: user.token });
  if (ticket.status !== 201) throw new Error(`stream_ticket answered ${ticket.status}`);
  const controller = new AbortController();
  const response = await fetch(`${api}/api/notifications/stream?ticket=${encodeURIComponent(ticket.body.ticket)}`, { signal: controller.signal });
  if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
  const arrivals = new Map<number, number>();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let connected!: () => void;
  const ready = new Promise<void>((resolve) => { connected = resolve; });
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (/^event: unread_count/m.test(event)) connected();
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
  return { user, arrivals, close: () => controller.abort() };
}

export async function fanOutScenario(cluster: Cluster, { streams, notifications }: { streams: number; notifications: number }): Promise<Row[]> {
  const users = await withTokens(cluster.jwtSecret, await createUsers(cluster.sql, streams, 'member', 'bench-sse'));
  const api = cluster.apis[0]!.url!;
  const open: OpenStream[] = [];
  for (let i = 0; i < users.length; i += 50) {
    open.push(...(await Promise.all(users.slice(i, i + 50).map((user) => openStream(api, user)))));
  }

  // Baseline: NOTIFY to a LISTEN on another connection, through postgres.js.
  const heard = new Map<string, number>();
  const listening = await cluster.sql.listen('bench_baseline', (payload) => heard.set(payload, performance.now()));
  const baseline: number[] = [];
  for (let i = 0; i < notifications; i++) {
    const sent = performance.now();
    await cluster.sql`select pg_notify('bench_baseline', ${String(i)})`;
    await waitFor(async () => heard.has(String(i)), 'the baseline NOTIFY', 5_000, 1);
    baseline.push(heard.get(String(i))! - sent);
  }
  await listening.unlisten();

  // One notification every 20 ms to a random open stream.
  const latencies: number[] = [];
  const sent: Array<{ stream: OpenStream; id: number; at: number }> = [];
  for (let i = 0; i < notifications; i++) {
    const stream = open[Math.floor(Math.random() * open.length)]!;
    const at = performance.now();
    const id = await insertNotification(cluster.sql, { userId: stream.user.id, type: 'system', title: 'Bench', message: `Fan-out ${i}`, eventKey: `bench:sse:${i}:${Date.now()}` });
    sent.push({ stream, id: id!, at });
    await sleep(20);
  }
  await sleep(3_000);
  let lost = 0;
  for (const { stream, id, at } of sent) {
    const arrived = stream.arrivals.get(id);
    if (arrived === undefined) lost++;
    else latencies.push(arrived - at);
  }
  for (const stream of open) stream.close();
  const result = summarize(latencies);
  const base = summarize(baseline);
  return [
    { scenario: '5 fan-out: LISTEN/NOTIFY round trip (baseline)', load: `${notifications} notifies`, ...base, throughput: null, unit: 'ms', target: '—', pass: null },
    {
      scenario: '5 fan-out: insert → event on the user\'s SSE stream', load: `${streams} open streams, ${notifications} notifications`, ...result, throughput: null, unit: 'ms',
      target: 'p99 ≤ 1000 ms', pass: result.p99 <= 1000 && lost === 0, note: `${lost} of ${notifications} never arrived`,
    },
  ];
}
