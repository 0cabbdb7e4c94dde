// `npm run deploy -- <command>` (compiled: `node dist/src/main/deploy.js <command>`): the operator's
// side of Worker Versioning and of retiring old workflow code (README, "Deploying new workflow
// code"). Reads the same environment as the worker (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TLS or API
// key, BOOKIT_DEPLOYMENT_NAME; DATABASE_URL for restart-retired-bookings).
import os from 'node:os';
import { loadConfig, type Config } from '../config/config';
import { createSql } from '../db/sql';
import { createTemporalGateway, type TemporalGateway } from '../temporal/client';
import { temporalConnectionOptions } from '../temporal/connection-options';
import { restartAsCurrentType, runningBookingsOfType } from '../temporal/retired-runs';
import {
  countOpenRuns,
  countPinnedRuns,
  describeDeployment,
  describeVersion,
  setCurrentVersion,
  setRampingVersion,
  versionName,
} from '../temporal/worker-deployments';
import { workflowCodeFor } from '../worker/deployment';
import { workflowSource } from '../worker/workflow-source';

const USAGE = `npm run deploy -- <command>

  build-id                         the build id this checkout's workflow code gets (unless BOOKIT_BUILD_ID is set)
  status                           the deployment: current and ramping version, each version's status and drainage
  describe <buildId>               one version: status, drainage, task queues, open pinned runs
  set-current <buildId>            new workflows, and auto-upgrade runs at their next task, go to this version
  ramp <buildId> <percent>         also send this share of new work to <buildId>; "ramp none" ends a ramp
  wait-drained <buildId> [minutes] waits until no open run is pinned to the version (then stop its workers)
  open-runs <Type,...> [--started-before <ISO instant>]
                                   counts open runs of those workflow types: the gate of each retirement step
  restart-retired-bookings <Type> [--yes]
                                   lists running booking workflows of a retired type; with --yes terminates each
                                   and starts it again as the current type from its row

The deployment is BOOKIT_DEPLOYMENT_NAME (or --deployment <name>).`;

const identity = `bookit-deploy@${os.hostname()}`;

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  if (at === -1) return undefined;
  const value = args[at + 1];
  args.splice(at, 2);
  return value;
}

function deploymentName(config: Config, given: string | undefined): string {
  const name = given ?? config.temporal.deployment?.name;
  if (!name) throw new UsageError('set BOOKIT_DEPLOYMENT_NAME (or pass --deployment <name>)');
  return name;
}

class UsageError extends Error {}

const print = (line = '') => process.stdout.write(`${line}\n`);

async function status(temporal: TemporalGateway, name: string): Promise<void> {
  const deployment = await describeDeployment(temporal.client, name);
  if (!deployment) {
    print(`deployment ${name}: no versioned worker has polled yet`);
    return;
  }
  print(`deployment ${name}`);
  print(`  current: ${deployment.current ?? 'unversioned workers'}`);
  print(
    `  ramping: ${deployment.ramping ? `${deployment.ramping.buildId ?? 'unversioned'} at ${deployment.ramping.percentage}%` : 'none'}`,
  );
  for (const v of deployment.versions)
    print(
      `  ${v.buildId.padEnd(20)} ${v.status.padEnd(9)} drainage ${v.drainage.padEnd(11)} since ${v.created ?? '?'}`,
    );
}

async function describe(temporal: TemporalGateway, name: string, buildId: string): Promise<void> {
  const version = { deploymentName: name, buildId };
  const state = await describeVersion(temporal.client, version);
  if (!state) throw new UsageError(`no worker of ${versionName(version)} has polled`);
  print(
    `${versionName(version)}: ${state.status}; drainage ${state.drainage} (checked ${state.drainageCheckedAt ?? 'never'})`,
  );
  print(`  current since ${state.currentSince ?? 'never'}; task queues ${state.taskQueues.join(', ') || 'none'}`);
  print(`  open runs pinned to it now: ${await countPinnedRuns(temporal.client, version)}`);
}

async function waitDrained(temporal: TemporalGateway, name: string, buildId: string, minutes: number): Promise<void> {
  const version = { deploymentName: name, buildId };
  const deadline = Date.now() + minutes * 60_000;
  for (;;) {
    const state = await describeVersion(temporal.client, version);
    if (!state) throw new UsageError(`no worker of ${versionName(version)} has polled`);
    const pinned = await countPinnedRuns(temporal.client, version);
    print(
      `${new Date().toISOString()} ${versionName(version)}: ${state.status}, drainage ${state.drainage}, ${pinned} pinned runs open`,
    );
    if (state.status === 'current' || state.status === 'ramping')
      throw new UsageError(`${versionName(version)} is ${state.status}: move traffic off it first (set-current)`);
    if (state.drainage === 'drained' && pinned === 0) {
      print(`drained: its workers can be stopped`);
      return;
    }
    if (Date.now() > deadline) throw new Error(`still draining after ${minutes} minutes`);
    await new Promise((resolve) => setTimeout(resolve, 10_000));
  }
}

async function main(argv: string[]): Promise<void> {
  const args = [...argv];
  const config = loadConfig();
  const given = option(args, '--deployment');
  const startedBefore = option(args, '--started-before');
  const yes = args.includes('--yes');
  const [command, ...rest] = args.filter((arg) => arg !== '--yes');
  if (!command || command === 'help' || command === '--help') {
    print(USAGE);
    return;
  }
  if (command === 'build-id') {
    const code = await workflowCodeFor(workflowSource(config.temporal.workflowBundlePath), {
      name: config.temporal.deployment?.name ?? 'bookit',
      buildId: config.temporal.deployment?.buildId,
    });
    print(code.deployment!.version.buildId);
    return;
  }
  const temporal = createTemporalGateway({
    ...temporalConnectionOptions(config.temporal),
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
  });
  try {
    switch (command) {
      case 'status':
        return await status(temporal, deploymentName(config, given));
      case 'describe':
        return await describe(temporal, deploymentName(config, given), required(rest[0], 'a build id'));
      case 'set-current': {
        const version = { deploymentName: deploymentName(config, given), buildId: required(rest[0], 'a build id') };
        await setCurrentVersion(temporal.client, version, identity);
        print(`${versionName(version)} is current`);
        return await status(temporal, version.deploymentName);
      }
      case 'ramp': {
        const name = deploymentName(config, given);
        const buildId = required(rest[0], 'a build id, or none');
        const percent = buildId === 'none' ? 0 : Number(required(rest[1], 'a percentage'));
        if (!(percent >= 0 && percent <= 100)) throw new UsageError('the percentage is from 0 to 100');
        await setRampingVersion(temporal.client, name, buildId === 'none' ? null : buildId, percent, identity);
        return await status(temporal, name);
      }
      case 'wait-drained':
        return await waitDrained(
          temporal,
          deploymentName(config, given),
          required(rest[0], 'a build id'),
          Number(rest[1] ?? 60),
        );
      case 'open-runs': {
        const types = required(rest[0], 'workflow types, comma-separated').split(',');
        const before = startedBefore ? new Date(startedBefore) : undefined;
        if (before && Number.isNaN(before.getTime())) throw new UsageError('--started-before takes an ISO instant');
        const open = await countOpenRuns(temporal.client, { types, startedBefore: before });
        print(`${open} open run(s) of ${types.join(', ')}${before ? ` started before ${before.toISOString()}` : ''}`);
        process.exitCode = open === 0 ? 0 : 3;
        return;
      }
      case 'restart-retired-bookings': {
        const type = required(rest[0], 'the retired workflow type, e.g. bookingWorkflow');
        const ids = await runningBookingsOfType(temporal, type);
        print(`${ids.length} running ${type} run(s)${ids.length ? `: bookings ${ids.join(', ')}` : ''}`);
        if (!ids.length || !yes) {
          if (ids.length) print('run again with --yes to restart them as the current type');
          return;
        }
        if (!config.database.url) throw new UsageError('set DATABASE_URL: each run restarts from its booking row');
        const sql = createSql(config.database.url, { max: 2, applicationName: 'bookit-deploy' });
        try {
          const restarted = await restartAsCurrentType({ sql, temporal, config }, type, ids, identity);
          print(`restarted ${restarted.length}: ${restarted.join(', ') || 'none'}`);
        } finally {
          await sql.end({ timeout: 5 });
        }
        return;
      }
      default:
        throw new UsageError(`unknown command ${command}`);
    }
  } finally {
    await temporal.close();
  }
}

function required(value: string | undefined, what: string): string {
  if (!value) throw new UsageError(`expected ${what}`);
  return value;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) process.stderr.write(`deploy: ${error.message}\n\n${USAGE}\n`);
  // The server's refusal (no such version, pollers missing a task queue…) is its own sentence.
  else if (typeof error === 'object' && error !== null && 'details' in error && typeof error.details === 'string')
    process.stderr.write(`deploy: the server refused: ${error.details}\n`);
  else process.stderr.write(`deploy: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
