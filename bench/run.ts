// `npm run bench` (or `-- --quick`, `-- --only 3,4`, `-- --profile`): starts the real stack (embedded
// PostgreSQL, the Temporal dev server, MailDev, one worker process and one API process), runs the
// scenarios, each beside a baseline measured in the same run, prints one table (figure, baseline,
// ratio, target, verdict) and writes bench/results.json; a full run of every scenario also keeps a
// copy under bench/results/, named by date and machine, so a regression shows in the diff.
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startCluster, stopOnInterrupt, type Cluster } from '../scripts/dev/harness/cluster';
import { sleep } from '../scripts/dev/harness/fixtures';
import { say } from '../scripts/dev/progress';
import { drainBackgroundWork } from './background-work';
import { cancelToOfferScenario } from './cancel-offer-scenario';
import { describeShares, startCpuMeter, type CpuShares } from './cpu-usage';
import { fanOutScenario } from './fanout-scenario';
import { createBookingScenario, unreadCountScenario } from './http-scenarios';
import { costRows, startCostedLifecycles } from './lifecycle-cost';
import { formatValue, type Row } from './measure';
import { summarizeProfiles } from './profile-summary';
import { seriesScenario } from './series-scenario';
import { availabilityScenario } from './availability-scenario';
import { sleepingWorkScenario } from './sleeping-work-scenario';
import { timerKneeScenario } from './timer-knee';
import { benchLifecycle } from './timer-trials';

const quick = process.argv.includes('--quick');
const profile = process.argv.includes('--profile');
const onlyArg = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const chosen = new Set((onlyArg ?? '1,2,3,4,5,6,7,8,9').split(',').map(Number));
const everything = [1, 2, 3, 4, 5, 6, 7, 8].every((n) => chosen.has(n));

/**
 * The worker's V8 heap limit (old space, per isolate: the main thread and the workflow thread each
 * get it). Measured by scenario 6: with 10 000 bookings asleep and the default cache of 250
 * workflows, the worker stays under 400 MB RSS with this limit; see README, "Load and fault drills".
 */
const WORKER_HEAP_MB = 256;

const SIZES = quick
  ? {
      create: { baselineS: 3, closedS: 3, openS: 3 },
      unread: { rows: 100_000, users: 1_000, baselineS: 3, closedS: 3, openS: 3 },
      knee: { windowS: 5, trials: 2, repeats: 1, bookitStart: 15, bareStart: 40 },
      offer: { slots: 20 },
      fanout: { streams: 1_000, notifications: 100 },
      sleeping: { target: 1_000, sample: 20 },
      finder: { venues: 200, bookings: 100_000, queries: 200 },
    }
  : {
      create: { baselineS: 10, closedS: 15, openS: 10 },
      unread: { rows: 1_000_000, users: 10_000, baselineS: 10, closedS: 15, openS: 10 },
      knee: { windowS: 20, trials: 5, repeats: 2, bookitStart: 15, bareStart: 40 },
      offer: { slots: 100 },
      fanout: { streams: 10_000, notifications: 300 },
      sleeping: { target: 10_000, sample: 100 },
      finder: { venues: 200, bookings: 100_000, queries: 1_000 },
    };

/**
 * Waits until the previous scenario's background work is done. Without this, the thousands of
 * workflows scenario 1 leaves starting run on the same 2 cores as the next scenario and are
 * measured as its latency.
 */
const LIFECYCLE = benchLifecycle(SIZES.knee.windowS);

async function settle(cluster: Cluster, boundMs = 300_000): Promise<void> {
  const started = Date.now();
  const left = await drainBackgroundWork(cluster, boundMs);
  // The workflows' own follow-up (emails, history writes) lags their first row by a little.
  await sleep(2_000);
  say(
    `bench: settled in ${((Date.now() - started) / 1000).toFixed(0)} s (${left.outbox} outbox rows, ${left.starting} workflows still starting, ${left.emailing} created emails unsent)`,
  );
}

interface ScenarioRecord {
  name: string;
  seconds: number;
  cores: CpuShares['cores'];
}

function table(rows: Row[]): string {
  const header = ['scenario', 'measure', 'figure', 'baseline', 'ratio', 'target', 'verdict'];
  const body = rows.map((r) => [
    r.scenario,
    r.measure,
    `${formatValue(r.figure, r.unit)}${r.detail ? ` (${r.detail})` : ''}`,
    r.baseline ? `${formatValue(r.baseline.value, r.baseline.unit)} ${r.baseline.what}` : '',
    r.ratio === undefined || r.ratio === null || Number.isNaN(r.ratio)
      ? ''
      : r.ratio >= 10
        ? `${r.ratio.toFixed(0)}×`
        : r.ratio >= 1
          ? `${r.ratio.toFixed(2)}×`
          : `${(r.ratio * 100).toFixed(0)} %`,
    r.target ?? '',
    r.pass === null ? (r.baseline || r.target ? 'info' : '—') : r.pass ? 'pass' : 'MISS',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

function printRows(rows: Row[]): void {
  process.stdout.write(`\n${table(rows)}\n`);
  for (const row of rows.filter((r) => r.note))
    process.stdout.write(`  ${row.scenario} · ${row.measure}: ${row.note}\n`);
}

async function main(): Promise<number> {
  const started = Date.now();
  const profileDir = profile
    ? path.join(os.tmpdir(), `bookit-bench-profiles-${new Date().toISOString().replace(/[:.]/g, '-')}`)
    : undefined;
  const profileArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const cluster: Cluster = await startCluster({
    apis: 1,
    workers: 1,
    label: 'bench',
    env: {
      BOOKIT_REMINDER_LEAD: `${LIFECYCLE.reminderLeadMs / 1000}s`,
      BOOKIT_CONFIRM_DEADLINE: `${LIFECYCLE.confirmDeadlineMs / 1000}s`,
      BOOKIT_EMAIL_RETRY_INITIAL: '5s',
      DATABASE_POOL_SIZE: '20',
      // Load, not quotas: the scenarios book far more per member than a venue's rules would let one.
      BOOKIT_RULE_MAX_UPCOMING_PER_VENUE: 'none',
      BOOKIT_RULE_MAX_UPCOMING: 'none',
    },
    nodeArgs: { api: profileArgs, worker: [`--max-old-space-size=${WORKER_HEAP_MB}`, ...profileArgs] },
  });
  stopOnInterrupt(cluster);
  const idleWorkerRss = await cluster.workers[0]!.rssBytes();
  const rows: Row[] = [];
  const scenarios: ScenarioRecord[] = [];
  let explain = '';
  const runMeter = startCpuMeter(cluster);
  const resultsPath = path.resolve(import.meta.dirname, 'results.json');
  const machine = {
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
  };
  let runCores: CpuShares['cores'] | undefined;
  const record = (complete: boolean) =>
    `${JSON.stringify(
      {
        at: new Date().toISOString(),
        quick,
        only: onlyArg ?? null,
        complete,
        minutes: Math.round(((Date.now() - started) / 60_000) * 10) / 10,
        machine,
        settings: { workerHeapMb: WORKER_HEAP_MB, lifecycle: LIFECYCLE, sizes: SIZES },
        coresOverTheRun: runCores ?? null,
        scenarios,
        explain,
        rows,
      },
      null,
      2,
    )}\n`;
  // Written after every scenario (complete: false until the end), so a run cut short keeps its figures.
  const save = (complete: boolean) => writeFile(resultsPath, record(complete));

  async function scenario(number: number, name: string, run: () => Promise<Row[]>): Promise<void> {
    if (!chosen.has(number)) return;
    await settle(cluster);
    const scenarioStarted = Date.now();
    say(`bench: ${name}`);
    const meter = startCpuMeter(cluster);
    let produced: Row[];
    try {
      produced = await run();
    } catch (error) {
      say(`bench: ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      produced = [
        {
          scenario: name,
          measure: 'not measured',
          figure: null,
          unit: '',
          pass: false,
          note: `failed: ${error instanceof Error ? error.message : String(error)}`,
        },
      ];
    }
    const shares = meter.stop();
    scenarios.push({ name, seconds: Math.round((Date.now() - scenarioStarted) / 1000), cores: shares.cores });
    rows.push(...produced);
    // Each scenario's rows are printed the moment it ends, so a later hang still leaves figures.
    printRows(produced);
    say(
      `bench: ${name} took ${((Date.now() - scenarioStarted) / 1000).toFixed(0)} s; cores on average: ${describeShares(shares)}`,
    );
    await save(false);
  }

  try {
    // Started first, so their compressed lifecycles are over by the time scenario 7 counts them.
    const lifecycles = chosen.has(7)
      ? await startCostedLifecycles(cluster, LIFECYCLE).catch((error: unknown) => ({
          collect: async () => ({ confirmed: null, autoCancelled: null, problems: [`not started: ${String(error)}`] }),
        }))
      : undefined;
    // The scenarios that start no workflows run first, then the timers on a quiet Temporal; the
    // thousands of workflows scenario 1 leaves starting come last, where scenario 6 counts them.
    await scenario(2, '2 unread_count', async () => {
      const result = await unreadCountScenario(cluster, SIZES.unread);
      explain = result.explain;
      return result.rows;
    });
    await scenario(5, '5 SSE fan-out', () => fanOutScenario(cluster, SIZES.fanout));
    await scenario(3, '3 timer knee', async () => (await timerKneeScenario(cluster, SIZES.knee, LIFECYCLE)).rows);
    await scenario(4, '4 cancel → offer', () => cancelToOfferScenario(cluster, SIZES.offer));
    await scenario(7, '7 cost per lifecycle', async () => costRows(await lifecycles!.collect()));
    await scenario(8, '8 series', () => seriesScenario(cluster));
    await scenario(9, '9 room finder', () => availabilityScenario(cluster, SIZES.finder));
    await scenario(1, '1 create booking', () =>
      createBookingScenario(cluster, { ...SIZES.create, lifecycle: LIFECYCLE, drain: () => settle(cluster, 600_000) }),
    );
    await scenario(6, '6 sleeping work', () =>
      sleepingWorkScenario(cluster, { ...SIZES.sleeping, workerHeapMb: WORKER_HEAP_MB, idleWorkerRss }),
    );
  } finally {
    runCores = runMeter.stop().cores;
    await cluster.stop();
  }
  const minutes = (Date.now() - started) / 60_000;
  if (explain)
    process.stdout.write(
      `\nEXPLAIN (ANALYZE, BUFFERS) of GET unread_count's one query (the caller's row and the count):\n${explain.replace(/^/gm, '  ')}\n`,
    );
  process.stdout.write(
    `\nBookIT benchmarks (${quick ? 'quick' : 'full'}; ${machine.cores} cores, ${machine.memoryGiB} GiB; ${minutes.toFixed(1)} min)\n`,
  );
  printRows(rows);
  const others = runCores?.['rest of the machine (not this run)'] ?? 0;
  process.stdout.write(
    `\nCores used on average over the run: ${describeShares({ wallS: 0, cores: runCores ?? {} })}${others >= 0.1 ? ' (other work on this machine ran meanwhile)' : ''}\n`,
  );
  await save(true);
  if (everything && !quick) {
    const label = `${machine.cores}cpu-${machine.memoryGiB}gib`;
    const kept = path.resolve(import.meta.dirname, 'results', `${new Date().toISOString().slice(0, 10)}-${label}.json`);
    await mkdir(path.dirname(kept), { recursive: true });
    await writeFile(kept, record(true));
    process.stdout.write(`Kept as ${path.relative(process.cwd(), kept)}\n`);
  }
  if (profileDir) process.stdout.write(`\n${await summarizeProfiles(profileDir)}\n`);
  const missed = rows.filter((r) => r.pass === false);
  process.stdout.write(
    `\n${missed.length ? `${missed.length} target(s) missed: ${missed.map((r) => `${r.scenario} · ${r.measure}`).join('; ')}` : 'Every target met.'}\nResults written to ${path.relative(process.cwd(), resultsPath)}\n`,
  );
  return missed.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    say(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
