// Drill 6: the production shape (`npm run cluster`: two Temporal server processes, two APIs behind
// the proxy, two workers) under an open loop of bookings, while kill -9 takes down one Temporal
// server, then one API, then one worker, each started again a while later. Every booking answered
// 2xx must have its workflow; every reminder, auto-cancel and waitlist offer must happen once; no
// email may arrive twice. Printed: error rate and p99 in each outage, time to recover, throughput
// before and after, and which processes served.
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config/config';
import { createSql, type Sql } from '../src/db/sql';
import { freePort } from '../scripts/dev/free-port';
import { createUsers, createVenues, sleep, withTokens } from '../scripts/dev/harness/fixtures';
import { startProductionStack, type ProductionStack } from '../scripts/dev/production-stack';
import { NUM_HISTORY_SHARDS } from '../scripts/dev/temporal-cluster';
import { checks, describeCounts, type Fault, figures, secondsInto } from './cluster-checks';
import { TrafficLog } from './cluster-load';
import { follow, type Story, tell } from './cluster-stories';
import { DrillReport } from './report';
import { CONFIRM_DEADLINE_MS, DRILL_LIFECYCLE_ENV, REMINDER_LEAD_MS } from './worker-killed';

export interface ClusterFaultsSize {
  /** How long the open loop runs. */
  loadMinutes: number;
  /** New bookings a second (each a lifecycle of one to four requests). */
  bookingsPerS: number;
  /** How long each killed process stays down. */
  downMs: number;
}

/** Never throws: a cluster that would not start, or a drill cut short, is a failed report. */
export async function clusterFaultsDrill(size: ClusterFaultsSize): Promise<DrillReport> {
  const report = new DrillReport('6 cluster faults');
  try {
    await drillOnItsOwnCluster(size, report);
  } catch (error) {
    report.expect(
      false,
      `could not run to the end: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  }
  return report;
}

async function drillOnItsOwnCluster(size: ClusterFaultsSize, report: DrillReport): Promise<void> {
  const rootDir = await mkdtemp(path.join(os.tmpdir(), 'bookit-drill6-'));
  // The postgres OS user must reach the cluster, which lives under it.
  await chmod(rootDir, 0o755);
  const jwtSecret = randomBytes(36).toString('base64url');
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: undefined,
    TEMPORAL_ADDRESS: undefined,
    SMTP_URL: undefined,
    BOOKIT_DATA_DIR: rootDir,
    JWT_SECRET: jwtSecret,
  });
  const started = Date.now();
  const stack = await startProductionStack({
    config,
    dataDir: rootDir,
    runDir: rootDir,
    ports: { http: await freePort(), temporal: await freePort(), smtp: await freePort(), mailWeb: await freePort() },
    apis: 2,
    workers: 2,
    temporalNodes: 2,
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_POOL_SIZE: '20',
      ...DRILL_LIFECYCLE_ENV,
      // Each waiter waits for one slot; the cap is for people, not for this.
      BOOKIT_WAITLIST_MAX_PER_DAY: '1000',
    },
  });
  const stopOnInterrupt = () => void stack.stop().finally(() => process.exit(130));
  process.once('SIGINT', stopOnInterrupt);
  report.did(
    `started the cluster in ${((Date.now() - started) / 1000).toFixed(0)} s: Temporal ${stack.temporal!.nodes.map((n) => n.name).join(' + ')} (${NUM_HISTORY_SHARDS} shards) behind ${stack.temporalAddress}, ${stack.apis.map((a) => a.name).join(' + ')} behind ${stack.url}, ${stack.workers.map((w) => w.name).join(' + ')}`,
  );
  const sql = createSql(stack.databaseUrl, { max: 10 });
  try {
    await runDrill(stack, sql, jwtSecret, size, report);
  } finally {
    process.removeListener('SIGINT', stopOnInterrupt);
    await sql.end({ timeout: 2 }).catch(() => {});
    await stack.stop();
    if (!process.env.BOOKIT_KEEP_RUN_DIR) await rm(rootDir, { recursive: true, force: true });
    else report.did(`kept ${rootDir}`);
  }
}

async function runDrill(
  stack: ProductionStack,
  sql: Sql,
  jwtSecret: string,
  size: ClusterFaultsSize,
  report: DrillReport,
): Promise<void> {
  const temporal = stack.temporal!;
  const loadMs = size.loadMinutes * 60_000;
  const total = Math.ceil((loadMs / 1000) * size.bookingsPerS);
  const perMinute = Math.ceil(size.bookingsPerS * 60) + 5;
  const venues = await createVenues(sql, perMinute, 'drill6');
  const owners = await withTokens(jwtSecret, await createUsers(sql, 30, 'member', 'drill6-owner'));
  const waiters = await withTokens(
    jwtSecret,
    await createUsers(sql, Math.ceil(total * 0.3) + 5, 'member', 'drill6-waiter'),
  );
  const traffic = new TrafficLog();
  const url = stack.url;
  const shardsAtStart = await temporal.shardOwners();
  report.did(`history shards at the start: ${describeCounts(shardsAtStart)}`);

  const loadStart = Date.now();
  // The server killed is the one owning the most shards just before: the larger half of the work moves.
  let node = temporal.nodes[0]!;
  const [api] = stack.apis;
  const [worker] = stack.workers;
  // Bookings start on whole minutes, so their reminders fall due at :30 of each minute: the Temporal
  // server and the worker die 3 s before such a moment, with timers and their work in flight.
  const beforeReminders = (at: number) => Math.ceil((at - 27_000) / 60_000) * 60_000 + 27_000;
  const faults: Fault[] = [
    {
      what: 'a Temporal server',
      at: beforeReminders(loadStart + 0.15 * loadMs),
      kill: async () => {
        const owners = await temporal.shardOwners();
        node = [...temporal.nodes].sort((a, b) => (owners.get(b.name) ?? 0) - (owners.get(a.name) ?? 0))[0]!;
        faults[0]!.what = `Temporal server ${node.name}`;
        await node.kill9();
      },
      restart: () => node.start(),
    },
    { what: `API ${api!.name}`, at: loadStart + 0.45 * loadMs, kill: () => api!.kill9(), restart: () => api!.start() },
    {
      what: worker!.name,
      at: beforeReminders(loadStart + 0.65 * loadMs),
      kill: () => worker!.kill9(),
      restart: () => worker!.start(),
    },
  ];
  let shardsInOutage = new Map<string, number>();
  const faulting = (async () => {
    for (const fault of faults) {
      await sleep(Math.max(0, fault.at - Date.now()));
      fault.at = Date.now();
      await fault.kill();
      report.did(`kill -9 ${fault.what} at ${secondsInto(fault.at, loadStart)}`);
      if (fault === faults[0]) {
        // Long enough for the membership to drop the dead node and its shards to move.
        await sleep(Math.min(size.downMs - 1_000, 25_000));
        shardsInOutage = await temporal.shardOwners();
        report.did(
          `history shards ${secondsInto(Date.now(), fault.at)} after the kill: ${describeCounts(shardsInOutage)}`,
        );
      }
      await sleep(Math.max(0, fault.at + size.downMs - Date.now()));
      await fault.restart();
      fault.backAt = Date.now();
      report.did(`${fault.what} serving again at ${secondsInto(fault.backAt, loadStart)}`);
    }
  })();

  // The open loop: a new booking every 1/rate seconds whatever the answers, each story run on its own.
  const stories: Story[] = [];
  // Confirms and claims follow what the people see (a reminder, an offer), checked every half second.
  let following = true;
  const follower = follow(stories, traffic, url, sql, () => following);
  const running: Array<Promise<void>> = [];
  const slotsTaken = new Map<number, number>();
  for (let i = 0; i < total; i++) {
    await sleep(Math.max(0, loadStart + (i * 1000) / size.bookingsPerS - Date.now()));
    // The reminder falls 60–120 s after the booking is made, the deadline 60 s after that.
    const startsAt = Math.ceil((Date.now() + REMINDER_LEAD_MS + 60_000) / 60_000) * 60_000;
    const taken = slotsTaken.get(startsAt) ?? 0;
    slotsTaken.set(startsAt, taken + 1);
    const story: Story = {
      i,
      kind: i % 10 < 4 ? 'confirm' : i % 10 < 7 ? 'ignore' : 'cancel',
      venue: venues[taken % venues.length]!,
      startsAt,
      owner: owners[i % owners.length]!,
      waiter: waiters[Math.floor(i / 10) * 3 + (i % 10) - 7] ?? waiters[0]!,
    };
    stories.push(story);
    running.push(
      tell(story, traffic, url, sql).catch((error: unknown) => {
        story.disturbed = String(error);
      }),
    );
  }
  const loadEnd = Date.now();
  await faulting;
  await Promise.all(running);
  const lastStart = Math.max(...stories.map((s) => s.startsAt));
  await sleep(Math.max(0, lastStart - CONFIRM_DEADLINE_MS + 5_000 - Date.now()));
  following = false;
  await follower;

  await figures(sql, traffic, faults, stories, { loadStart, loadEnd }, report);
  await checks(stack, sql, stories, report);
  report.expect(
    temporal.nodes.every((server) => (shardsAtStart.get(server.name) ?? 0) > 0),
    `both Temporal servers owned history shards at the start (${describeCounts(shardsAtStart)})`,
  );
  const survivor = temporal.nodes.find((other) => other !== node)!.name;
  report.expect(
    shardsInOutage.get(survivor) === NUM_HISTORY_SHARDS,
    `while ${node.name} was down, ${survivor} owned every shard (${describeCounts(shardsInOutage)})`,
  );
  const shardsAtEnd = await temporal.shardOwners();
  report.did(`history shards at the end: ${describeCounts(shardsAtEnd)}`);
  report.did(`TCP connections handed to each Temporal frontend: ${describeCounts(temporal.balancer.connections)}`);
  const servedBy = traffic.servedBy();
  report.expect(
    stack.apis.every((piece) => (servedBy.get(piece.name) ?? 0) > 0),
    `both APIs answered requests (by the proxy's ${'x-bookit-api'} header: ${describeCounts(servedBy)})`,
  );
}
