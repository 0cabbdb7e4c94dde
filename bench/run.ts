// `npm run bench` (or `-- --quick`, `-- --only 3,4`): starts the real stack (embedded PostgreSQL, the Temporal dev
// server, MailDev, one worker process and one API process), runs the six scenarios of issue 7 with
// their baselines, prints one table and writes bench/results.json.
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startCluster, stopOnInterrupt, type Cluster } from '../src/dev/harness/cluster';
import { drainBackgroundWork } from './background-work';
import { sleep } from '../src/dev/harness/fixtures';
import { say } from '../src/dev/progress';
import { fanOutScenario } from './fanout-scenario';
import { createBookingScenario, unreadCountScenario } from './http-scenarios';
import type { Row } from './measure';
import { sleepingWorkScenario } from './sleeping-work-scenario';
import { cancelToOfferScenario, timerPrecisionScenario } from './timer-scenarios';

const quick = process.argv.includes('--quick');
const onlyArg = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const chosen = new Set((onlyArg ?? '1,2,3,4,5,6').split(',').map(Number));
const SIZES = quick
  ? { create: { durationS: 10, baselineS: 5 }, unread: { rows: 100_000, users: 1_000, durationS: 5 }, timers: { bookings: 200 }, offer: { slots: 20 }, fanout: { streams: 200, notifications: 100 }, sleeping: { target: 2_000, sample: 30 } }
  : { create: { durationS: 30, baselineS: 10 }, unread: { rows: 1_000_000, users: 10_000, durationS: 15 }, timers: { bookings: 1_000 }, offer: { slots: 100 }, fanout: { streams: 1_000, notifications: 300 }, sleeping: { target: 10_000, sample: 100 } };

/**
 * Waits until the previous scenario's background work is done. Without this, the thousands of
 * workflows that scenario 1 leaves starting run on the same 2 cores as the next scenario and are
 * measured as its latency.
 */
async function settle(cluster: Cluster): Promise<void> {
  const started = Date.now();
  const left = await drainBackgroundWork(cluster, 300_000);
  // The workflows' own follow-up (emails, history writes) lags their first row by a little.
  await sleep(3_000);
  say(`bench: settled in ${((Date.now() - started) / 1000).toFixed(0)} s (${left.outbox} outbox rows, ${left.starting} workflows still starting, ${left.emailing} created emails unsent)`);
}

async function scenario(cluster: Cluster, name: string, rows: Row[], run: () => Promise<Row[]>): Promise<void> {
  await settle(cluster);
  const started = Date.now();
  say(`bench: ${name}`);
  let produced: Row[];
  try {
    produced = await run();
  } catch (error) {
    say(`bench: ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    produced = [{ scenario: name, load: '—', p50: null, p99: null, max: null, throughput: null, unit: 'ms', target: '—', pass: false, note: `not measured: ${error instanceof Error ? error.message : String(error)}` }];
  }
  rows.push(...produced);
  // Each scenario's rows are printed the moment it ends, so a later hang still leaves figures.
  process.stdout.write(`\n${table(produced)}\n`);
  for (const row of produced.filter((r) => r.note)) process.stdout.write(`  ${row.scenario}: ${row.note}\n`);
  say(`bench: ${name} took ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

function format(value: number | null, unit: Row['unit']): string {
  if (value === null || Number.isNaN(value)) return '—';
  if (unit === 's') return `${value.toFixed(2)} s`;
  if (unit === 'MB') return `${value} MB`;
  return `${value < 10 ? value.toFixed(1) : value.toFixed(0)} ms`;
}

function table(rows: Row[]): string {
  const header = ['scenario', 'load', 'p50', 'p99', 'max', 'throughput', 'target', 'result'];
  const body = rows.map((r) => [
    r.scenario, r.load, format(r.p50, r.unit), format(r.p99, r.unit), format(r.max, r.unit),
    r.throughput === null ? '—' : `${r.throughput.toFixed(0)}/s`, r.target, r.pass === null ? 'baseline' : r.pass ? 'pass' : 'MISS',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

async function main(): Promise<number> {
  const started = Date.now();
  const cluster: Cluster = await startCluster({
    apis: 1,
    workers: 1,
    label: 'bench',
    env: { BOOKIT_REMINDER_LEAD: '60s', BOOKIT_CONFIRM_DEADLINE: '20s', BOOKIT_EMAIL_RETRY_INITIAL: '5s', DATABASE_POOL_SIZE: '20' },
  });
  stopOnInterrupt(cluster);
  const rows: Row[] = [];
  let explain = '';
  const resultsPath = path.resolve(import.meta.dirname, 'results.json');
  // Written after every scenario (complete: false until the end), so a run cut short keeps its figures.
  const save = (complete: boolean) => writeFile(resultsPath, `${JSON.stringify({ at: new Date().toISOString(), quick, complete, minutes: (Date.now() - started) / 60_000, machine: { cores: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version }, explain, rows }, null, 2)}\n`);
  try {
    // The scenarios that start no workflows run first, then the timers on a quiet Temporal; the
    // thousands of workflows scenario 1 leaves starting come last, where scenario 6 counts them.
    if (chosen.has(2)) await scenario(cluster, '2 unread_count', rows, async () => {
      const result = await unreadCountScenario(cluster, SIZES.unread);
      explain = result.explain;
      return result.rows;
    });
    await save(false);
    if (chosen.has(5)) await scenario(cluster, '5 SSE fan-out', rows, () => fanOutScenario(cluster, SIZES.fanout));
    await save(false);
    if (chosen.has(3)) await scenario(cluster, '3 timer precision', rows, () => timerPrecisionScenario(cluster, SIZES.timers));
    await save(false);
    if (chosen.has(4)) await scenario(cluster, '4 cancel → offer', rows, () => cancelToOfferScenario(cluster, SIZES.offer));
    await save(false);
    if (chosen.has(1)) await scenario(cluster, '1 create booking', rows, () => createBookingScenario(cluster, SIZES.create));
    await save(false);
    if (chosen.has(6)) await scenario(cluster, '6 sleeping work', rows, () => sleepingWorkScenario(cluster, SIZES.sleeping));
  } finally {
    await cluster.stop();
  }
  const minutes = (Date.now() - started) / 60_000;
  process.stdout.write(`\nEXPLAIN (ANALYZE, BUFFERS) of the unread-count query:\n${explain.replace(/^/gm, '  ')}\n`);
  process.stdout.write(`\nBookIT benchmarks (${quick ? 'quick' : 'full'}; ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB; ${minutes.toFixed(1)} min)\n\n${table(rows)}\n`);
  for (const row of rows.filter((r) => r.note)) process.stdout.write(`  ${row.scenario}: ${row.note}\n`);
  await save(true);
  const missed = rows.filter((r) => r.pass === false);
  process.stdout.write(`\n${missed.length ? `${missed.length} target(s) missed: ${missed.map((r) => r.scenario).join('; ')}` : 'Every target met.'}\nResults written to ${resultsPath}\n`);
  return missed.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    say(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
