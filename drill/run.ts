// `npm run drill`: fault drills against two API processes and two workers sharing one PostgreSQL
// and one Temporal dev server. Without flags all five run at full size; `--ci` runs all five at a
// reduced size (9–10 minutes on 2 cores; with the tests, a third of CI's 90); `--only 3,4` picks
// drills (at the reduced size with `--ci`).
// Exits non-zero, naming what was lost or doubled, when any check fails, and when a drill could not
// measure what it is for (schemathesis not installed, a group of bookings left empty, no check run).
import { say } from '../scripts/dev/progress';
import { authorizationMatrix } from './authorization-matrix';
import { clusterFaultsDrill } from './cluster-faults';
import { startCluster, stopOnInterrupt, type Cluster } from '../scripts/dev/harness/cluster';
import { DrillReport } from './report';
import { postgresRestartDrill } from './postgres-restart';
import { rolloutDrill } from './rollout';
import { runSchemathesis } from './schemathesis';
import { signInBruteForce } from './sign-in-brute-force';
import { smtpDownDrill } from './smtp-down';
import { temporalDownDrill } from './temporal-down';
import { DRILL_LIFECYCLE_ENV, workerKilledDrill } from './worker-killed';

const ci = process.argv.includes('--ci');
const onlyArg = process.argv[process.argv.indexOf('--only') + 1];
const DRILLS = [1, 2, 3, 4, 5, 7];
// Drill 6 builds (once) and runs a production-shaped cluster of its own for about ten minutes: only when named.
const ON_REQUEST = [6];
const chosen = new Set(
  (process.argv.includes('--only') && onlyArg ? onlyArg : DRILLS.join(',')).split(',').map(Number),
);
const unknown = [...chosen].filter((drill) => ![...DRILLS, ...ON_REQUEST].includes(drill));
if (unknown.length || chosen.size === 0) {
  say(
    `drill: --only takes drill numbers ${[...DRILLS, ...ON_REQUEST].sort().join(', ')}, comma-separated (got ${onlyArg ?? 'nothing'})`,
  );
  process.exit(2);
}

const SIZES = ci
  ? {
      drill1: { bookings: 100, minutes: 2 },
      drill2: { bookings: 50, downMs: 30_000 },
      drill3: { bookings: 30, downMs: 60_000 },
      drill4: { bookings: 30, downMs: 20_000 },
      fuzz: { maxExamples: 10, maxSeconds: 90 },
      drill7: { bookings: 20 },
      drill6: { loadMinutes: 4, bookingsPerS: 0.5, downMs: 20_000 },
    }
  : {
      drill1: { bookings: 500, minutes: 5 },
      drill2: { bookings: 200, downMs: 60_000 },
      drill3: { bookings: 100, downMs: 300_000 },
      drill4: { bookings: 100, downMs: 30_000 },
      fuzz: { maxExamples: 50, maxSeconds: 300 },
      drill7: { bookings: 80 },
      drill6: { loadMinutes: 6, bookingsPerS: 1, downMs: 30_000 },
    };

async function badInputDrill(cluster: Cluster): Promise<DrillReport> {
  const report = new DrillReport('5 bad input');
  await authorizationMatrix(cluster, report);
  await signInBruteForce(cluster, report);
  await runSchemathesis(cluster, report, SIZES.fuzz);
  return report;
}

async function workersStillAlive(cluster: Cluster, report: DrillReport): Promise<void> {
  for (const worker of cluster.workers) {
    const alive =
      worker.pid !== undefined &&
      (await worker.rssBytes().then(
        (bytes) => bytes > 0,
        () => false,
      ));
    report.expect(alive, `${worker.name} is still running after the drill`);
    if (!alive) await worker.start();
  }
}

async function main(): Promise<number> {
  const started = Date.now();
  const reports: DrillReport[] = [];
  // On a cluster of its own (two Temporal server processes), before the shared one starts.
  if (chosen.has(6)) reports.push(await clusterFaultsDrill(SIZES.drill6));
  if (chosen.size === reports.length) return summarize(started, reports);
  const cluster = await startCluster({ apis: 2, workers: 2, env: DRILL_LIFECYCLE_ENV, label: 'drill' });
  stopOnInterrupt(cluster);
  try {
    if (chosen.has(5)) reports.push(await badInputDrill(cluster));
    if (chosen.has(1)) reports.push(await workerKilledDrill(cluster, SIZES.drill1));
    if (chosen.has(2)) {
      const report = await temporalDownDrill(cluster, SIZES.drill2);
      await workersStillAlive(cluster, report);
      reports.push(report);
    }
    if (chosen.has(3)) reports.push(await smtpDownDrill(cluster, SIZES.drill3));
    if (chosen.has(4)) {
      const report = await postgresRestartDrill(cluster, SIZES.drill4);
      await workersStillAlive(cluster, report);
      reports.push(report);
    }
    // Last: it hands the cluster's work from its unversioned workers to versioned ones for good.
    if (chosen.has(7)) reports.push(await rolloutDrill(cluster, SIZES.drill7));
  } catch (error) {
    const report = new DrillReport('harness');
    report.expect(
      false,
      `a drill could not run to the end: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    reports.push(report);
  } finally {
    await cluster.stop();
  }
  return summarize(started, reports);
}

function summarize(started: number, reports: DrillReport[]): number {
  process.stdout.write(
    `\nDrills (${ci ? 'CI size' : 'full size'}, ${((Date.now() - started) / 60_000).toFixed(1)} min)\n`,
  );
  for (const report of reports) {
    process.stdout.write(`\n${report.passed ? 'PASS' : 'FAIL'}  drill ${report.name}\n`);
    for (const line of report.lines) process.stdout.write(`      ${line}\n`);
  }
  const failed = reports.filter((report) => !report.passed);
  if (failed.length) {
    process.stdout.write(
      `\n!!! ${failed.length} drill(s) FAILED: ${failed.map((r) => `${r.name} (${r.failures.join('; ')})`).join(' | ')}\n`,
    );
    return 1;
  }
  // Every drill chosen must have reported; a run that ran none passed nothing.
  if (reports.length !== chosen.size) {
    process.stdout.write(`\n!!! ${chosen.size - reports.length} of ${chosen.size} chosen drill(s) never reported\n`);
    return 1;
  }
  process.stdout.write(`\nAll ${reports.length} drills passed: nothing lost, nothing doubled.\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    say(`drill failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
