// Scenario 6: thousands of open booking workflows, each asleep until its reminder. The worker's RSS
// must stay bounded (its workflow cache and heap are), and a booking made when 10 000 are open must
// start its workflow as fast as one made when few were.
import { readFile } from 'node:fs/promises';
import type { Cluster } from '../scripts/dev/harness/cluster';
import {
  call,
  createUsers,
  createVenues,
  eventually,
  sleep,
  withTokens,
  type FixtureUser,
} from '../scripts/dev/harness/fixtures';
import { drainBackgroundWork } from './background-work';
import { formatValue, spreadDetail, summarize, type Row } from './measure';

const DAY = 86_400_000;

/** Anonymous (heaps, the Rust core's allocations) and file-backed (the node binary, native addons) resident memory, in MB. */
async function rssParts(pid: number | undefined): Promise<string> {
  if (pid === undefined) return '';
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const mb = (field: string) => Math.round(Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024);
  return `${mb('RssAnon')} MB anonymous, ${mb('RssFile')} MB file-backed`;
}

async function openWorkflows(cluster: Cluster): Promise<number> {
  const [row] = await cluster.sql<{ n: number }[]>`
    select count(*)::int as n from bookings b
    where status = 'active' and lower(during) > now() + interval '1 hour'
      and exists (select 1 from notifications n where n.event_key = 'booking:' || b.id || ':created')`;
  return row!.n;
}

export interface SleepingSizes {
  target: number;
  sample: number;
  /** The worker's --max-old-space-size, as the cluster was started with (documented beside the figure). */
  workerHeapMb: number;
  /** The worker's RSS just after start-up, before any scenario ran. */
  idleWorkerRss: number;
}

export async function sleepingWorkScenario(
  cluster: Cluster,
  { target, sample, workerHeapMb, idleWorkerRss }: SleepingSizes,
): Promise<Row[]> {
  const venues = await createVenues(cluster.sql, 100, 'bench-sleep');
  let users = await withTokens(cluster.jwtSecret, await createUsers(cluster.sql, 100, 'member', 'bench-sleep'));
  const api = cluster.apis[0]!.url!;
  const worker = cluster.workers[0]!;
  const now: { phase: 'creating' | 'asleep' | 'done' } = { phase: 'creating' };
  let peakCreating = 0;
  let peakAsleep = 0;
  const sampler = (async () => {
    while (now.phase !== 'done') {
      const rss = await worker.rssBytes().catch(() => 0);
      if (now.phase === 'creating') peakCreating = Math.max(peakCreating, rss);
      else peakAsleep = Math.max(peakAsleep, rss);
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
    return call<{ id: number }>(api, 'POST', '/api/bookings/', {
      token: user.token,
      body: {
        venue: venues[i % venues.length],
        date: start.slice(0, 10),
        start_time: start.slice(11, 16),
        end_time: end.slice(11, 16),
        event_name: `Sleeper ${i}`,
      },
    });
  };
  /** One booking at a time: the API's answer, and 201 → the workflow's first notification row. */
  const measure = async () => {
    const answers: number[] = [];
    const starts: number[] = [];
    for (let i = 0; i < sample; i++) {
      const answer = await create(users[i % users.length]!);
      const answeredAt = Date.now();
      if (answer.status !== 201) throw new Error(`sleeper booking answered ${answer.status}`);
      answers.push(answer.ms);
      const row = await eventually(
        async () =>
          (
            await cluster.sql<
              { created_at: Date }[]
            >`select created_at from notifications where event_key = ${`booking:${answer.body.id}:created`}`
          )[0],
        'the workflow start',
        30_000,
        10,
      );
      starts.push(Math.max(0, row.created_at.getTime() - answeredAt));
    }
    return { api: summarize(answers), start: summarize(starts) };
  };

  // Earlier scenarios leave thousands of workflows starting; "the first" is measured on a quiet
  // server, and so is "the last", once the bulk's workflows and their emails are done.
  const drained = async (what: string) => {
    const left = await drainBackgroundWork(cluster, 1_200_000);
    if (left.outbox + left.starting + left.emailing > 0)
      throw new Error(`${what} still running after 20 min: ${JSON.stringify(left)}`);
  };
  await drained("the earlier scenarios' workflows");
  const openAtFirst = await openWorkflows(cluster);
  const first = await measure();
  // Up to `target` open, so the last sample's bookings are made while that many sleep.
  const bulk = Math.max(0, target - (await openWorkflows(cluster)));
  const bulkStarted = Date.now();
  let next = 0;
  let failures = 0;
  await Promise.all(
    Array.from({ length: 10 }, async (_, lane) => {
      while (next < bulk) {
        next++;
        const answer = await create(users[(lane * 10) % users.length]!);
        if (answer.status !== 201) failures++;
      }
    }),
  );
  const bulkCreatedS = (Date.now() - bulkStarted) / 1000;
  await drained("the bulk bookings' workflows");
  const bulkDrainedS = (Date.now() - bulkStarted) / 1000;
  now.phase = 'asleep';
  const openAtLast = await openWorkflows(cluster);
  // Access tokens last 15 minutes; the bulk can take longer than that.
  users = await withTokens(cluster.jwtSecret, users);
  const last = await measure();
  await sleep(5_000);
  const finalRss = await worker.rssBytes();
  const finalParts = await rssParts(worker.pid);
  now.phase = 'done';
  await sampler;
  const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
  const ratio = last.start.p50 / Math.max(1, first.start.p50);
  const asleep = Math.max(peakAsleep, finalRss);
  const heap = `worker started with --max-old-space-size=${workerHeapMb}`;
  return [
    {
      scenario: '6 sleeping work',
      measure: `201 → workflow's first row, ${openAtFirst.toLocaleString('en')} open (baseline)`,
      figure: first.start.p50,
      unit: 'ms',
      detail: `p99 ${formatValue(first.start.p99, 'ms')}, ${spreadDetail(first.start, 'ms')}`,
      pass: null,
      note: `API p50 ${first.api.p50.toFixed(1)} ms`,
    },
    {
      scenario: '6 sleeping work',
      measure: `201 → workflow's first row p50, ${openAtLast.toLocaleString('en')} open`,
      figure: last.start.p50,
      unit: 'ms',
      detail: `p99 ${formatValue(last.start.p99, 'ms')}, ${spreadDetail(last.start, 'ms')}`,
      baseline: { what: `p50 with ${openAtFirst.toLocaleString('en')} open`, value: first.start.p50, unit: 'ms' },
      ratio,
      target: '≤ 1.5× baseline',
      pass: ratio <= 1.5 && openAtLast >= target && failures === 0,
      note: `API p50 ${last.api.p50.toFixed(1)} ms; bulk of ${bulk}: answered at ${(bulk / bulkCreatedS).toFixed(0)}/s, ${failures} failed; their workflows and created emails done at ${(bulk / bulkDrainedS).toFixed(1)}/s`,
    },
    {
      scenario: '6 sleeping work',
      measure: `worker RSS, highest while ${openAtLast.toLocaleString('en')} bookings asleep (${heap})`,
      figure: mb(asleep),
      unit: 'MB',
      detail: `${mb(finalRss)} MB at the end (${finalParts}); ${mb(idleWorkerRss)} MB just after start-up`,
      target: `≤ 400 MB with ≥ ${target.toLocaleString('en')} asleep`,
      pass: asleep <= 400 * 1024 * 1024 && openAtLast >= target,
    },
    {
      scenario: '6 sleeping work',
      measure: `worker RSS, highest while the bulk's ${bulk.toLocaleString('en')} workflows started and emailed (${heap})`,
      figure: mb(peakCreating),
      unit: 'MB',
      pass: null,
    },
  ];
}
