// Scenario 6: thousands of open booking workflows, each asleep until its reminder. The worker's RSS
// must stay bounded (its workflow cache is), and a booking made when 10 000 are open must start its
// workflow as fast as one made when few were.
import type { Cluster } from '../src/dev/harness/cluster';
import { call, createUsers, createVenues, sleep, waitFor, withTokens, type FixtureUser } from '../src/dev/harness/fixtures';
import { drainBackgroundWork } from './background-work';
import { summarize, type Row } from './measure';

const DAY = 86_400_000;

async function openWorkflows(cluster: Cluster): Promise<number> {
  const [row] = await cluster.sql<{ n: number }[]>`
    select count(*)::int as n from bookings b
    where status = 'active' and lower(during) > now() + interval '1 hour'
      and exists (select 1 from notifications n where n.event_key = 'booking:' || b.id || ':created')`;
  return row!.n;
}

export async function sleepingWorkScenario(cluster: Cluster, { target, sample }: { target: number; sample: number }): Promise<Row[]> {
  const venues = await createVenues(cluster.sql, 100, 'bench-sleep');
  let users = await withTokens(cluster.jwtSecret, await createUsers(cluster.sql, 100, 'member', 'bench-sleep'));
  const api = cluster.apis[0]!.url!;
  const worker = cluster.workers[0]!;
  let peakRss = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peakRss = Math.max(peakRss, await worker.rssBytes().catch(() => 0));
      await sleep(1_000);
    }
  })();

  const from = Math.ceil((Date.now() + 5 * DAY) / DAY) * DAY;
  let n = 0;
  const create = async (user: FixtureUser) => {
    const i = n++;
    const startsAt = from + Math.floor(i / venues.length) * 30 * 60_000;
    const start = new Date(startsAt).toISOString();
    const end = new Date(startsAt + 20 * 60_000).toISOString();
    return call<{ id: number }>(api, 'POST', '/api/bookings/', { token: user.token, body: { venue: venues[i % venues.length], date: start.slice(0, 10), start_time: start.slice(11, 16), end_time: end.slice(11, 16), event_name: `Sleeper ${i}` } });
  };
  /** One booking at a time: the API's answer, and 201 → the workflow's first notification row. */
  const measure = async () => {
    const api: number[] = [];
    const start: number[] = [];
    for (let i = 0; i < sample; i++) {
      const answer = await create(users[i % users.length]!);
      const answeredAt = Date.now();
      if (answer.status !== 201) throw new Error(`sleeper booking answered ${answer.status}`);
      api.push(answer.ms);
      const row = await waitFor(async () => (await cluster.sql<{ created_at: Date }[]>`select created_at from notifications where event_key = ${`booking:${answer.body.id}:created`}`)[0], 'the workflow start', 30_000, 10);
      start.push(Math.max(0, row.created_at.getTime() - answeredAt));
    }
    return { api: summarize(api), start: summarize(start) };
  };

  // Scenario 1 leaves thousands of workflows starting; "the first" is measured on a quiet server,
  // and so is "the last", once the bulk's workflows and their emails are done.
  const drained = async (what: string) => {
    const left = await drainBackgroundWork(cluster, 1_200_000);
    if (left.outbox + left.starting + left.emailing > 0) throw new Error(`${what} still running after 20 min: ${JSON.stringify(left)}`);
  };
  await drained('the earlier scenarios\' workflows');
  const openAtFirst = await openWorkflows(cluster);
  const first = await measure();
  // Up to `target` open, so the last sample's bookings are made while that many sleep.
  const bulk = Math.max(0, target - (await openWorkflows(cluster)));
  const bulkStarted = Date.now();
  let next = 0;
  let failures = 0;
  await Promise.all(Array.from({ length: 10 }, async (_, lane) => {
    while (next < bulk) {
      next++;
      const answer = await create(users[lane * 10 % users.length]!);
      if (answer.status !== 201) failures++;
    }
  }));
  const bulkCreatedS = (Date.now() - bulkStarted) / 1000;
  await drained('the bulk bookings\' workflows');
  const bulkDrainedS = (Date.now() - bulkStarted) / 1000;
  const openAtLast = await openWorkflows(cluster);
  // Access tokens last 15 minutes; the bulk takes longer than that.
  users = await withTokens(cluster.jwtSecret, users);
  const last = await measure();
  sampling = false;
  await sampler;
  const finalRss = await worker.rssBytes();
  const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
  const ratio = last.start.p50 / Math.max(1, first.start.p50);
  return [
    { scenario: `6 sleeping work: first bookings (${openAtFirst} open)`, load: `${sample} sequential`, ...first.start, throughput: null, unit: 'ms', target: '—', pass: null, note: `API p50 ${first.api.p50.toFixed(1)} ms` },
    {
      scenario: `6 sleeping work: bookings at ${openAtLast.toLocaleString('en')} open`, load: `${sample} sequential`, ...last.start, throughput: null, unit: 'ms',
      target: `201 → workflow start p50 ≤ 1.5× first (${ratio.toFixed(2)}×)`, pass: ratio <= 1.5 && openAtLast >= target && failures === 0,
      note: `API p50 ${last.api.p50.toFixed(1)} ms; bulk of ${bulk}: answered at ${(bulk / bulkCreatedS).toFixed(0)}/s, ${failures} failed; workflows and created emails done at ${(bulk / bulkDrainedS).toFixed(1)}/s`,
    },
    { scenario: '6 sleeping work: worker RSS', load: `${openAtLast.toLocaleString('en')} open workflows`, p50: mb(finalRss), p99: null, max: mb(peakRss), throughput: null, unit: 'MB', target: 'max ≤ 500 MB', pass: peakRss <= 500 * 1024 * 1024, note: 'p50 column: RSS at the end' },
  ];
}
