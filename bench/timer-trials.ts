// One trial of the timer knee: timers falling due at a fixed rate, measured by how late the row
// that shows each one fired was written. The same schedule runs for BookIT's booking workflow (a
// reminder and an auto-cancel per booking, made through the API) and for the bare workflow (sleep,
// write one row), so the two differ only in what a workflow does once its timer fires.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { Cluster } from '../scripts/dev/harness/cluster';
import {
  call,
  createUsers,
  createVenues,
  eventually,
  inParallel,
  sleep,
  utcSlotToTheSecond,
  withTokens,
  type FixtureUser,
} from '../scripts/dev/harness/fixtures';
import { workflowCost, type WorkflowCost } from '../scripts/dev/workflow-cost';
import { bookingWorkflowId } from '../src/temporal/workflow-ids';
import { createBareTimerTable } from './bare-timer/activities';
import type { bareTimerWorkflow } from './bare-timer/workflows';
import { startCpuMeter, type CpuShares } from './cpu-usage';
import { summarize, type Spread } from './measure';

export interface BenchLifecycle {
  reminderLeadMs: number;
  confirmDeadlineMs: number;
}

/**
 * The bench cluster's compressed lifecycle: auto-cancel 20 s before the start, the reminder one
 * timer window earlier, so a trial's reminders and auto-cancels fall in two windows back to back
 * (one window of twice the length at the same rate).
 */
export function benchLifecycle(windowS: number): BenchLifecycle {
  return { reminderLeadMs: 20_000 + windowS * 1000, confirmDeadlineMs: 20_000 };
}
const BARE_TASK_QUEUE = 'bench-bare-timers';

export interface TrialResult {
  ratePerS: number;
  timers: number;
  /** Seconds from each timer's instant to its row. */
  lateness: Spread;
  missed: number;
  pass: boolean;
  /** Set-up (creating and starting the workflows) did not finish before the first timer was due. */
  overran: boolean;
  setUpS: number;
  /** Timers a second the system got through in the first window, when it fell behind; null when it kept up. */
  capacity: number | null;
  cpu: CpuShares;
}

/**
 * Whole-second offsets (ms) of `ratePerS × windowS` timers, `ratePerS` in each second: booking
 * times have a resolution of one second, so both systems get timers in bursts at each second.
 */
export function dueOffsets(ratePerS: number, windowS: number): number[] {
  return Array.from({ length: Math.max(1, Math.round(ratePerS * windowS)) }, (_, i) => Math.floor(i / ratePerS) * 1000);
}

/** A verdict for one trial: p99 ≤ 1 s and every timer seen. */
function judge(late: number[], expected: number): Pick<TrialResult, 'lateness' | 'missed' | 'pass'> {
  const lateness = summarize(late);
  const missed = expected - late.length;
  return { lateness, missed, pass: missed === 0 && lateness.p99 <= 1 };
}

/** From the first window's fire times: the rate the system really kept, when it fell behind. */
function capacityOf(firstDue: number, windowS: number, fired: number[]): number | null {
  if (fired.length === 0) return null;
  const spanS = (Math.max(...fired) - firstDue) / 1000;
  return spanS > windowS + 1 ? fired.length / spanS : null;
}

const ceilToSecond = (ms: number) => Math.ceil(ms / 1000) * 1000;

const DAY_MS = 86_400_000;

export interface TimerSystems {
  bookit(ratePerS: number, windowS: number): Promise<TrialResult>;
  bare(ratePerS: number, windowS: number): Promise<TrialResult>;
  /** The Temporal work of one closed lifecycle of each (from its history): what a timer costs the server. */
  lifecycleCosts(): Promise<{ bookit: WorkflowCost | null; bare: WorkflowCost | null }>;
  stop(): Promise<void>;
}

/** Both systems on the cluster: BookIT's own worker, and a bare worker started beside it. */
export async function timerSystems(cluster: Cluster, lifecycle: BenchLifecycle): Promise<TimerSystems> {
  const GAP_MS = lifecycle.reminderLeadMs - lifecycle.confirmDeadlineMs;
  const users = await withTokens(cluster.jwtSecret, await createUsers(cluster.sql, 50, 'member', 'bench-timer'));
  const venues: number[] = [];
  const api = cluster.apis[0]!.url!;
  /** Bookings (and their first workflow tasks) a second, as last seen; the first guess is low on purpose. */
  let bookingSetUpRate = 15;
  let bareSetUpRate = 100;
  let trialNo = 0;
  let lastBookingId: number | undefined;
  let lastBareId: string | undefined;

  await createBareTimerTable(cluster.sql);
  const bundle = await bundleWorkflowCode({
    workflowsPath: path.resolve(import.meta.dirname, 'bare-timer/workflows.ts'),
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
  });
  const bundlePath = path.join(cluster.rootDir, 'bare-timer-bundle.js');
  await writeFile(bundlePath, bundle.code);
  const bareWorker = await cluster.addPiece(
    'worker',
    'bare-timer-worker',
    { TEMPORAL_TASK_QUEUE: BARE_TASK_QUEUE, TEMPORAL_WORKFLOW_BUNDLE: bundlePath },
    { entry: 'bench/bare-timer/worker.ts' },
  );
  await bareWorker.start();
  const connection = await Connection.connect({ address: cluster.temporalAddress });
  const client = new Client({ connection, namespace: cluster.temporalNamespace });

  async function bookit(ratePerS: number, windowS: number): Promise<TrialResult> {
    const offsets = dueOffsets(ratePerS, windowS);
    const n = offsets.length;
    if (venues.length < n)
      venues.push(...(await createVenues(cluster.sql, n - venues.length, `bench-timer-${venues.length}`)));
    const setUpStarted = Date.now();
    let firstDue = ceilToSecond(setUpStarted + 3_000 + (n / bookingSetUpRate) * 1000);
    // A booking must start and end on one UTC day (utcSlot): near midnight, the bookings start just after it.
    const midnight = Math.ceil((firstDue + lifecycle.reminderLeadMs) / DAY_MS) * DAY_MS;
    if (firstDue + lifecycle.reminderLeadMs + offsets.at(-1)! + 60_000 >= midnight)
      firstDue = midnight + 1_000 - lifecycle.reminderLeadMs;
    const ids: number[] = [];
    await inParallel(offsets, 20, async (offset, i) => {
      const startsAt = firstDue + lifecycle.reminderLeadMs + offset;
      const user: FixtureUser = users[i % users.length]!;
      const answer = await call<{ id: number }>(api, 'POST', '/api/bookings/', {
        token: user.token,
        body: { venue: venues[i], ...utcSlotToTheSecond(startsAt, 60_000), event_name: `Timer ${i}` },
      });
      if (answer.status !== 201)
        throw new Error(`timer booking answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      ids.push(answer.body.id);
    });
    // Due instants from the rows as stored, not as asked for.
    const made = (
      await cluster.sql<
        { id: number; starts_at: Date }[]
      >`select id, lower(during) as starts_at from bookings where id = any(${ids})`
    ).map((row) => ({ id: row.id, startsAt: row.starts_at.getTime() }));
    const createdKeys = made.map((b) => `booking:${b.id}:created`);
    // Started and past their first notice (its notification and its email), so none of that work
    // competes with the timers.
    const ready = await eventually(
      async () => {
        const [row] = await cluster.sql<
          { n: number }[]
        >`select count(*)::int as n from email_log where idempotency_key = any(${createdKeys}) and status = 'sent'`;
        return row!.n === n;
      },
      "the timer bookings' workflows to start",
      Math.max(1_000, firstDue - 1_000 - Date.now()),
      250,
    ).then(
      () => true,
      () => false,
    );
    const setUpS = (Date.now() - setUpStarted) / 1000;
    if (ready) bookingSetUpRate = Math.max(5, (0.8 * n) / setUpS);
    else bookingSetUpRate = Math.max(2, bookingSetUpRate / 2);

    await sleep(Math.max(0, firstDue - Date.now()));
    const meter = startCpuMeter(cluster);
    const due = new Map<string, number>();
    for (const b of made) {
      due.set(`booking:${b.id}:v1:reminder`, b.startsAt - lifecycle.reminderLeadMs);
      due.set(`booking:${b.id}:auto-cancelled`, b.startsAt - lifecycle.confirmDeadlineMs);
    }
    const keys = [...due.keys()];
    const lastDue = firstDue + GAP_MS + offsets.at(-1)!;
    const fired = async () =>
      cluster.sql<
        { event_key: string; created_at: Date }[]
      >`select event_key, created_at from notifications where event_key = any(${keys})`;
    await eventually(
      async () => (await fired()).length === keys.length,
      'every reminder and auto-cancel',
      Math.max(0, lastDue - Date.now()) + Math.max(15_000, windowS * 4_000),
      500,
    ).catch(() => undefined);
    const cpu = meter.stop();
    const rows = await fired();
    lastBookingId = made[0]?.id;
    const late = rows.map((row) => (row.created_at.getTime() - due.get(row.event_key)!) / 1000);
    const firstWindow = rows
      .filter((row) => row.event_key.endsWith(':reminder'))
      .map((row) => row.created_at.getTime());
    return {
      ratePerS,
      timers: keys.length,
      ...judge(late, keys.length),
      overran: !ready,
      setUpS,
      capacity: capacityOf(firstDue, windowS, firstWindow),
      cpu,
    };
  }

  async function bare(ratePerS: number, windowS: number): Promise<TrialResult> {
    const offsets = dueOffsets(ratePerS, windowS);
    const trial = ++trialNo;
    const setUpStarted = Date.now();
    const count = offsets.length * 2;
    const firstDue = ceilToSecond(setUpStarted + 3_000 + (count / bareSetUpRate) * 1000);
    // The same two windows as a booking's reminder and auto-cancel.
    const dues = [...offsets.map((o) => firstDue + o), ...offsets.map((o) => firstDue + GAP_MS + o)];
    const prefix = `bench-bare-${trial}-`;
    await inParallel(dues, 50, async (dueAt, i) => {
      await client.workflow.start<typeof bareTimerWorkflow>('bareTimerWorkflow', {
        taskQueue: BARE_TASK_QUEUE,
        workflowId: `${prefix}${i}`,
        args: [dueAt],
      });
    });
    const setUpS = (Date.now() - setUpStarted) / 1000;
    const overran = Date.now() > firstDue - 1_000;
    bareSetUpRate = overran ? Math.max(10, bareSetUpRate / 2) : Math.max(20, (0.8 * count) / setUpS);

    await sleep(Math.max(0, firstDue - Date.now()));
    const meter = startCpuMeter(cluster);
    const fired = async () =>
      cluster.sql<
        { due_at: Date; written_at: Date }[]
      >`select due_at, written_at from bench_bare_timer_fired where workflow_id like ${`${prefix}%`}`;
    const lastDue = dues.at(-1)!;
    await eventually(
      async () => (await fired()).length === count,
      'every bare timer',
      Math.max(0, lastDue - Date.now()) + Math.max(15_000, windowS * 4_000),
      500,
    ).catch(() => undefined);
    const cpu = meter.stop();
    const rows = await fired();
    lastBareId = `${prefix}0`;
    const late = rows.map((row) => (row.written_at.getTime() - row.due_at.getTime()) / 1000);
    const firstWindow = rows
      .filter((row) => row.due_at.getTime() < firstDue + GAP_MS)
      .map((row) => row.written_at.getTime());
    return {
      ratePerS,
      timers: count,
      ...judge(late, count),
      overran,
      setUpS,
      capacity: capacityOf(firstDue, windowS, firstWindow),
      cpu,
    };
  }

  return {
    bookit,
    bare,
    async lifecycleCosts() {
      const costOf = (id: string | undefined) =>
        id === undefined ? Promise.resolve(null) : workflowCost(client, id).catch(() => null);
      return {
        bookit: await costOf(lastBookingId === undefined ? undefined : bookingWorkflowId(lastBookingId)),
        bare: await costOf(lastBareId),
      };
    },
    async stop() {
      await connection.close();
      await bareWorker.stop();
    },
  };
}
