// Drill 7: a rollout of new workflow code with Worker Versioning (README, "Deploying new workflow
// code"). The cluster's unversioned workers hand over to version 1 (BookIT as it is); bookings with
// compressed lifecycles go to sleep on it and a slot offer starts on it; version 2 (the same code
// with one patched change to bookingLifecycleWorkflow, drill/rollout/v2-workflows.ts) is deployed
// beside it and made current. Then: every sleeping booking is reminded and confirmed or
// auto-cancelled exactly once, moving to version 2 at its next task (auto-upgrade), and its whole
// history replays on version 2's code; the pinned slot offer finishes on version 1; new workflows
// start on version 2; version 1 drains and its workers are stopped.
import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import type { Cluster } from '../scripts/dev/harness/cluster';
import type { Piece } from '../scripts/dev/harness/processes';
import {
  call,
  createUsers,
  createVenues,
  eventually,
  sleep,
  utcSlotToTheSecond,
  withTokens,
  type FixtureUser,
} from '../scripts/dev/harness/fixtures';
import { patchMarkersOf } from '../scripts/dev/patch-markers';
import { bookingWorkflowId, slotOfferWorkflowId } from '../src/temporal/workflow-ids';
import {
  countPinnedRuns,
  describeDeployment,
  describeVersion,
  setCurrentVersion,
  versionName,
  versionOfRun,
  type DeploymentVersion,
} from '../src/temporal/worker-deployments';
import { createLogger } from '../src/log/logger';
import { buildIdOf } from '../src/worker/deployment';
import { installTemporalLogging } from '../src/worker/logging';
import { WORKFLOWS_PATH } from '../src/worker/workflow-source';
import { DrillReport, mailCountsByKey } from './report';
import { ENDED_ON_V2_MEMO, ROLLOUT_DRILL_CHANGE } from './rollout/v2-change';
import { CONFIRM_DEADLINE_MS, REMINDER_LEAD_MS } from './worker-killed';

const DEPLOYMENT = 'bookit-drill';
const V2_WORKFLOWS = path.resolve(import.meta.dirname, 'rollout/v2-workflows.ts');
/** Each booking lasts this long: a confirmed one completes at its end, on version 2. */
const EVENT_MS = 20_000;
/** Version 1's and 2's workers hold an offer this long (the cluster's API never reads it). */
const OFFER_WINDOW = '30s';

const quietLogger = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

interface Made {
  id: number;
  group: 'begun unversioned' | 'reminded on v1' | 'asleep across';
  token: string;
  confirm: boolean;
}

export async function rolloutDrill(cluster: Cluster, { bookings }: { bookings: number }): Promise<DrillReport> {
  const report = new DrillReport('7 rollout');
  const connection = await Connection.connect({ address: cluster.temporalAddress });
  const client = new Client({ connection, namespace: cluster.temporalNamespace });
  let confirmer: ReturnType<typeof confirmOnReminder> | undefined;
  try {
    const [v1Bundle, v2Bundle] = await Promise.all([
      bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger }),
      bundleWorkflowCode({ workflowsPath: V2_WORKFLOWS, logger: quietLogger }),
    ]);
    const v1: DeploymentVersion = { deploymentName: DEPLOYMENT, buildId: buildIdOf(v1Bundle.code) };
    const v2: DeploymentVersion = { deploymentName: DEPLOYMENT, buildId: buildIdOf(v2Bundle.code) };
    report.expect(v1.buildId !== v2.buildId, `the two bundles name two builds: ${v1.buildId} and ${v2.buildId}`);

    /** Two workers of a version, which derive its build id from their bundle themselves (no BOOKIT_BUILD_ID). */
    const startVersion = async (label: string, code: string, version: DeploymentVersion): Promise<Piece[]> => {
      const bundlePath = path.join(cluster.rootDir, `rollout-${label}.js`);
      await writeFile(bundlePath, code);
      const env = {
        BOOKIT_DEPLOYMENT_NAME: DEPLOYMENT,
        TEMPORAL_WORKFLOW_BUNDLE: bundlePath,
        BOOKIT_OFFER_WINDOW: OFFER_WINDOW,
      };
      const pieces = [
        await cluster.addPiece('worker', `${label}-worker-1`, env),
        await cluster.addPiece('worker', `${label}-worker-2`, env),
      ];
      await Promise.all(pieces.map((piece) => piece.start()));
      // The version exists once its workers have polled; current needs both of its task queue kinds.
      await eventually(
        async () => ((await describeVersion(client, version))?.taskQueues.length ?? 0) >= 2,
        `${versionName(version)} polling workflow and activity tasks`,
        60_000,
        500,
      );
      return pieces;
    };

    const sql = cluster.sql;
    // One venue for each pair of bookings (a group's bookings share a start), so none clash.
    const venues = await createVenues(sql, Math.ceil(bookings / 2) + Math.ceil(bookings / 4), 'drill7');
    const [offerVenue] = await createVenues(sql, 1, 'drill7-offer');
    const members = await withTokens(cluster.jwtSecret, await createUsers(sql, 10, 'member', 'drill7-member'));
    const waiters = await withTokens(cluster.jwtSecret, await createUsers(sql, 2, 'member', 'drill7-waiter'));
    const api = (i: number) => cluster.apis[i % cluster.apis.length]!.url!;
    const book = async (who: FixtureUser, venue: number, startsAt: number, i: number): Promise<number> => {
      const answer = await call<{ id: number }>(api(i), 'POST', '/api/bookings/', {
        token: who.token,
        body: { venue, ...utcSlotToTheSecond(startsAt, EVENT_MS), event_name: `Drill 7 #${i}` },
      });
      if (answer.status !== 201) throw new Error(`booking answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      return answer.body.id;
    };

    // Timeline from t0, 30 s from now (the adoption of versioning comes first): group A is reminded
    // on version 1 and reaches its deadline on version 2; group B sleeps through the switch
    // entirely; group U, booked now on the unversioned workers, is timed as group A. The switch to
    // version 2 comes at t0 + 45 s.
    const t0 = Date.now() + 30_000;
    const startA = Math.ceil((t0 + 25_000 + REMINDER_LEAD_MS) / 1000) * 1000;
    const startB = startA + 35_000;
    const switchAt = t0 + 45_000;
    const made: Made[] = [];
    const unversioned = Math.ceil(bookings / 4);
    await Promise.all(
      Array.from({ length: unversioned }, async (_, i) => {
        const who = members[i % members.length]!;
        const id = await book(who, venues[Math.ceil(bookings / 2) + i]!, startA, 500 + i);
        made.push({ id, group: 'begun unversioned', token: who.token, confirm: i % 2 === 0 });
      }),
    );
    const begun = await Promise.all(made.map((b) => startedRun(client, b.id, false)));
    report.expect(
      begun.every((run) => run.buildId === null && run.behavior === 'unspecified'),
      `${made.length} bookings started on the cluster's unversioned workers, declaring no versioning behaviour`,
    );

    // Adopting Worker Versioning is itself a rollout: unversioned workers to version 1.
    const v1Workers = await startVersion('v1', v1Bundle.code, v1);
    await setCurrentVersion(client, v1, 'drill-7');
    for (const worker of cluster.workers) await worker.stop();
    report.did(
      `${versionName(v1)} (BookIT as it is, 2 workers) made current; the cluster's ${cluster.workers.length} unversioned workers stopped`,
    );
    report.expect(
      Date.now() <= t0,
      `versioning adopted within its 30 s (${((t0 - Date.now()) / 1000).toFixed(0)} s to spare)`,
    );
    await sleep(Math.max(0, t0 - Date.now()));
    await Promise.all(
      Array.from({ length: bookings }, async (_, i) => {
        const group = i % 2 === 0 ? 'reminded on v1' : 'asleep across';
        const who = members[i % members.length]!;
        const id = await book(who, venues[i >> 1]!, group === 'reminded on v1' ? startA : startB, i);
        made.push({ id, group, token: who.token, confirm: i % 4 < 2 });
      }),
    );
    // A freed slot with two waiters: its offer workflow starts on version 1, pinned there.
    const offerStart = Math.ceil((t0 + 30 * 60_000) / 1000) * 1000;
    const offerSlot = utcSlotToTheSecond(offerStart, EVENT_MS);
    const freed = await book(members[0]!, offerVenue!, offerStart, 999);
    const entries: number[] = [];
    for (const waiter of waiters) {
      const joined = await call<{ id: number }>(api(0), 'POST', '/api/waitlist/', {
        token: waiter.token,
        body: { venue: offerVenue, ...offerSlot },
      });
      if (joined.status !== 201) throw new Error(`waitlist answered ${joined.status}: ${JSON.stringify(joined.body)}`);
      entries.push(joined.body.id);
    }
    const cancelled = await call(api(0), 'POST', `/api/bookings/${freed}/cancel/`, { token: members[0]!.token });
    if (cancelled.status !== 200) throw new Error(`cancel answered ${cancelled.status}`);
    const offerHandle = client.workflow.getHandle(
      slotOfferWorkflowId(offerVenue!, new Date(offerStart), new Date(offerStart + EVENT_MS)),
    );
    const groupA = made.filter((b) => b.group === 'reminded on v1');
    const groupB = made.filter((b) => b.group === 'asleep across');
    report.did(
      `${unversioned} + ${groupA.length} bookings reminded at ${iso(startA - REMINDER_LEAD_MS)} (on version 1), deadline ${iso(startA - CONFIRM_DEADLINE_MS)}; ${groupB.length} reminded at ${iso(startB - REMINDER_LEAD_MS)}, deadline ${iso(startB - CONFIRM_DEADLINE_MS)}; half of each to be confirmed after the reminder; a freed slot offered to 2 waiters, ${OFFER_WINDOW} each`,
    );

    confirmer = confirmOnReminder(cluster, made);
    await startVersion('v2', v2Bundle.code, v2);
    report.expect(
      Date.now() < switchAt,
      `version 2's workers polling before the switch (${((Date.now() - t0) / 1000).toFixed(0)} s after t0)`,
    );
    await sleep(Math.max(0, switchAt - Date.now()));

    const asleepAtSwitch = await Promise.all(
      made.map((b) => versionOfRun(client.workflow.getHandle(bookingWorkflowId(b.id)))),
    );
    report.expect(
      asleepAtSwitch.every((run) => run.behavior === 'AUTO_UPGRADE' && run.buildId === v1.buildId),
      `every booking asleep on version 1 (auto-upgrade) at the switch: ${asleepAtSwitch.filter((run) => run.buildId === v1.buildId).length} of ${made.length}`,
    );
    const offerAtSwitch = await versionOfRun(offerHandle);
    report.expect(
      offerAtSwitch.behavior === 'PINNED' && offerAtSwitch.buildId === v1.buildId,
      `the slot offer pinned to version 1 at the switch (${offerAtSwitch.behavior} on ${offerAtSwitch.buildId})`,
    );
    const switched = Date.now();
    await setCurrentVersion(client, v2, 'drill-7');
    const afterSwitch = await describeDeployment(client, DEPLOYMENT);
    report.did(
      `set ${versionName(v2)} current at t0 + ${((switched - t0) / 1000).toFixed(0)} s; versions: ${afterSwitch?.versions.map((v) => `${v.buildId} ${v.status}`).join(', ')}`,
    );

    // The second waiter claims after the switch: the claim's booking is a new workflow (version 2),
    // while the offer that made it runs on, pinned to version 1.
    const secondOffered = await eventually(
      async () =>
        (await sql`select 1 from waitlist_entries where id = ${entries[1]!} and status = 'offered'`).length === 1,
      'the second waiter offered the slot',
      90_000,
      500,
    ).catch(() => false);
    report.expect(secondOffered, 'the first offer lapsed and the second waiter was offered the slot');
    const claim = await call<{ booking_id: number }>(api(1), 'POST', `/api/waitlist/${entries[1]}/claim/`, {
      token: waiters[1]!.token,
    });
    report.expect(claim.status === 201, `the second waiter claimed the slot after the switch (${claim.status})`);
    const offerEnd = await offerHandle.result().catch((error: unknown) => `failed: ${String(error)}`);
    const offerClosedAt = (await offerHandle.describe()).closeTime?.getTime() ?? Date.now();
    const offerRun = await versionOfRun(offerHandle);
    const offerTasks = await taskVersions(offerHandle);
    report.expect(
      offerEnd === 'taken' && offerRun.behavior === 'PINNED' && offerRun.buildId === v1.buildId,
      `the slot offer ended ${offerEnd}, still pinned to version 1 (${offerRun.behavior} on ${offerRun.buildId})`,
    );
    const offerTasksAfter = offerTasks.filter((task) => task.at >= switched);
    report.expect(
      offerTasksAfter.length > 0 && offerTasks.every((task) => task.buildId === v1.buildId),
      `all ${offerTasks.length} of its workflow tasks completed by version 1, ${offerTasksAfter.length} of them after the switch`,
    );

    // New work lands on version 2: the claim's booking, two new bookings, and the offer of a slot one frees.
    const claimRun = claim.status === 201 ? await startedRun(client, claim.body.booking_id) : null;
    const freshAt = Math.ceil((t0 + 20 * 60_000) / 1000) * 1000;
    const fresh = [
      await book(members[1]!, venues[0]!, freshAt, 1001),
      await book(members[2]!, venues[0]!, freshAt + 5 * 60_000, 1002),
    ];
    const freshRuns = await Promise.all(fresh.map((id) => startedRun(client, id)));
    const freshOk = [...(claimRun ? [claimRun] : []), ...freshRuns].every(
      (run) => run.behavior === 'AUTO_UPGRADE' && run.buildId === v2.buildId,
    );
    report.expect(
      Boolean(claimRun) && freshOk,
      `new bookings start on version 2, auto-upgrade (the claim's and ${fresh.length} new: ${[claimRun, ...freshRuns].map((r) => `${r?.behavior} on ${r?.buildId}`).join(', ')})`,
    );

    const settled = await eventually(
      async () => {
        const [row] = await sql<{ open: number }[]>`
          select count(*)::int as open from bookings
          where id = any(${made.map((b) => b.id)}) and not (reminder_sent and (status = 'completed' or auto_cancelled))`;
        return row!.open === 0;
      },
      'every booking reminded and then completed or auto-cancelled',
      startB + EVENT_MS + 60_000 - Date.now(),
      1_000,
    ).catch(() => false);
    report.expect(settled, 'every booking reminded, then completed (confirmed) or auto-cancelled');
    const confirmAnswers = await confirmer.stop();
    await countOnce(cluster, report, made, confirmAnswers);

    // Each booking moved to version 2 and ended there; its history (begun on version 1) replays on version 2's code.
    const handles = made.map((b) => client.workflow.getHandle(bookingWorkflowId(b.id)));
    const ended = await Promise.all(
      made.map(async ({ group }, i) => {
        const handle = handles[i]!;
        const [run, tasks, memo] = await Promise.all([
          versionOfRun(handle),
          taskVersions(handle),
          handle.describe().then((d) => d.memo),
        ]);
        return { group, run, tasks, memo };
      }),
    );
    const movedAndEnded = ended.filter(
      (e) =>
        e.run.behavior === 'AUTO_UPGRADE' &&
        e.run.buildId === v2.buildId &&
        e.tasks[0]?.buildId === (e.group === 'begun unversioned' ? null : v1.buildId) &&
        e.tasks.some((t) => t.buildId === v1.buildId) &&
        e.tasks.at(-1)?.buildId === v2.buildId,
    );
    report.expect(
      movedAndEnded.length === made.length,
      `bookings whose first workflow task ran on version 1 (group U: unversioned), then on version 1, last on version 2: ${movedAndEnded.length} of ${made.length} (tasks on v1/v2: ${sum(ended, (e) => e.tasks.filter((t) => t.buildId === v1.buildId).length)}/${sum(ended, (e) => e.tasks.filter((t) => t.buildId === v2.buildId).length)})`,
    );
    const withMemo = ended.filter((e) => e.memo?.rolloutDrill === ENDED_ON_V2_MEMO.rolloutDrill).length;
    report.expect(
      withMemo === made.length,
      `version 2's patched change ran once in each booking that ended on it: ${withMemo} of ${made.length}`,
    );
    const histories = await Promise.all(
      handles.map(async (handle) => ({ workflowId: handle.workflowId, history: await handle.fetchHistory() })),
    );
    const marked = histories.filter(
      (h) => patchMarkersOf(h.history).filter((m) => m.id === ROLLOUT_DRILL_CHANGE).length === 1,
    ).length;
    report.expect(
      marked === made.length,
      `its marker (${ROLLOUT_DRILL_CHANGE}) once in each history: ${marked} of ${made.length}`,
    );
    installTemporalLogging(createLogger('warn'));
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: { code: v2Bundle.code } }, histories))
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    report.expect(
      failures.length === 0,
      `${histories.length} finished histories replayed on version 2's code${failures.length ? `; failed: ${failures.slice(0, 3).join('; ')}` : ' without a nondeterminism error'}`,
    );

    // A pinned workflow of version 2: the offer of a slot freed after the switch (nobody waits for it).
    const cancelFresh = await call(api(0), 'POST', `/api/bookings/${fresh[0]}/cancel/`, { token: members[1]!.token });
    report.expect(cancelFresh.status === 200, `a new booking cancelled (${cancelFresh.status})`);

    // Version 1 drains once its last pinned run (the slot offer) has closed; then its workers go.
    const drained = await eventually(
      async () => {
        const state = await describeVersion(client, v1);
        return state?.drainage === 'drained' && (await countPinnedRuns(client, v1)) === 0 ? state : false;
      },
      `${versionName(v1)} drained`,
      120_000,
      1_000,
    ).catch(() => null);
    report.expect(
      drained !== null,
      `${versionName(v1)} ${drained ? `reported drained ${((Date.parse(drained.drainageChangedAt ?? '') - offerClosedAt) / 1000).toFixed(1)} s after its last pinned run (the slot offer) closed` : 'never reported drained'}`,
    );
    for (const worker of v1Workers) await worker.stop();
    report.did(`stopped ${v1Workers.map((w) => w.name).join(' and ')}`);

    // With version 1 gone, what is left still runs: the claim's and the other new booking close on version 2.
    const leftovers = [
      ...(claim.status === 201 ? [{ id: claim.body.booking_id, token: waiters[1]!.token }] : []),
      { id: fresh[1]!, token: members[2]!.token },
    ];
    for (const { id, token } of leftovers) await call(api(0), 'POST', `/api/bookings/${id}/cancel/`, { token });
    const closed = await Promise.all(
      [...leftovers.map((l) => l.id), fresh[0]!].map((id) =>
        client.workflow
          .getHandle(bookingWorkflowId(id))
          .result()
          .then(
            (phase) => phase,
            (error: unknown) => `failed: ${String(error)}`,
          ),
      ),
    );
    report.expect(
      closed.every((phase) => phase === 'cancelled'),
      `the new bookings closed on version 2 after version 1 stopped: ${closed.join(', ')}`,
    );
    const status = await describeDeployment(client, DEPLOYMENT);
    report.did(
      `deployment ${DEPLOYMENT}: current ${status?.current}; ${status?.versions.map((v) => `${v.buildId} ${v.status} (drainage ${v.drainage})`).join(', ')}`,
    );
    return report;
  } finally {
    // A failure mid-way must not leave the confirmer querying a cluster that is being stopped.
    await confirmer?.stop();
    await connection.close();
  }
}

/** The owner confirms every booking marked `confirm` once its reminder's notification and email are there. */
function confirmOnReminder(cluster: Cluster, made: Made[]): { stop(): Promise<Map<number, string>> } {
  let running = true;
  const answers = new Map<number, string>();
  const loop = (async () => {
    while (running) {
      const reminded = await cluster.sql<{ id: number }[]>`
        select b.id from bookings b
        where b.id = any(${made.filter((b) => b.confirm).map((b) => b.id)}) and not b.confirmed and b.status = 'active'
          and exists (select 1 from notifications n where n.event_key = 'booking:' || b.id || ':v1:reminder')
          and exists (select 1 from email_log e where e.idempotency_key = 'booking:' || b.id || ':v1:reminder' and e.status = 'sent')`;
      for (const { id } of reminded) {
        if (answers.has(id)) continue;
        const booking = made.find((b) => b.id === id)!;
        const answer = await call(
          cluster.apis[id % cluster.apis.length]!.url!,
          'POST',
          `/api/bookings/${id}/confirm/`,
          {
            token: booking.token,
          },
        ).catch((error: unknown) => ({ status: 0, body: String(error), ms: 0 }));
        answers.set(id, answer.status === 200 ? 'ok' : `${answer.status}`);
      }
      await sleep(500);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return answers;
    },
  };
}

/** Reminder and auto-cancel exactly once per booking, in the inbox, the email log and MailDev. */
async function countOnce(
  cluster: Cluster,
  report: DrillReport,
  made: Made[],
  confirmed: Map<number, string>,
): Promise<void> {
  const notOk = [...confirmed].filter(([, answer]) => answer !== 'ok');
  report.expect(
    confirmed.size === made.filter((b) => b.confirm).length && notOk.length === 0,
    `confirms sent after the reminder and answered 200: ${confirmed.size - notOk.length} of ${made.filter((b) => b.confirm).length}`,
  );
  const reminderKeys = made.map((b) => `booking:${b.id}:v1:reminder`);
  const cancelKeys = made.filter((b) => !confirmed.has(b.id)).map((b) => `booking:${b.id}:auto-cancelled`);
  const noCancelKeys = made.filter((b) => confirmed.has(b.id)).map((b) => `booking:${b.id}:auto-cancelled`);
  await eventually(
    async () => {
      const counts = await mailCountsByKey(cluster.mailWebUrl);
      return [...reminderKeys, ...cancelKeys].every((key) => counts.has(key));
    },
    'every reminder and auto-cancel email in MailDev',
    60_000,
    1_000,
  ).catch(() => undefined);
  await sleep(2_000);
  const mail = await mailCountsByKey(cluster.mailWebUrl);
  const keys = [...reminderKeys, ...cancelKeys, ...noCancelKeys];
  const inbox = new Map(
    (
      await cluster.sql<{ event_key: string; n: number }[]>`
        select event_key, count(*)::int as n from notifications where event_key = any(${keys}) group by event_key`
    ).map((row) => [row.event_key, row.n]),
  );
  const log = new Map(
    (
      await cluster.sql<{ idempotency_key: string; n: number }[]>`
        select idempotency_key, count(*)::int as n from email_log where status = 'sent' and idempotency_key = any(${keys}) group by idempotency_key`
    ).map((row) => [row.idempotency_key, row.n]),
  );
  report.expectPerKey('reminder notifications', reminderKeys, inbox, 1);
  report.expectPerKey('reminder emails in the email log', reminderKeys, log, 1);
  report.expectPerKey('reminder emails received by MailDev', reminderKeys, mail, 1);
  report.expectPerKey('auto-cancel notifications (never confirmed)', cancelKeys, inbox, 1);
  report.expectPerKey('auto-cancel emails received by MailDev (never confirmed)', cancelKeys, mail, 1);
  report.expectPerKey('auto-cancel notifications (confirmed)', noCancelKeys, inbox, 0);
}

/** The booking's workflow once the outbox relay has started it, and where it runs. */
async function startedRun(client: Client, bookingId: number, versioned = true) {
  const handle = client.workflow.getHandle(bookingWorkflowId(bookingId));
  await eventually(
    () =>
      handle.describe().then(
        () => true,
        () => false,
      ),
    `booking ${bookingId}'s workflow`,
    30_000,
    200,
  );
  // Its behaviour and version are set by the first workflow task a (versioned) worker completes.
  return eventually(
    async () => {
      const run = await versionOfRun(handle);
      if (versioned) return run.buildId ? run : false;
      const { events } = await handle.fetchHistory();
      return events?.some((e) => e.workflowTaskCompletedEventAttributes) ? run : false;
    },
    `booking ${bookingId}'s first workflow task`,
    30_000,
    200,
  );
}

/** Which build completed each workflow task of a run, in order, with the task's time. */
async function taskVersions(handle: WorkflowHandle): Promise<{ buildId: string | null; at: number }[]> {
  const history = await handle.fetchHistory();
  return (history.events ?? []).flatMap((event) => {
    const done = event.workflowTaskCompletedEventAttributes;
    if (!done) return [];
    return [
      {
        // An unversioned worker stamps its default build id, without a deployment name.
        buildId: done.deploymentVersion?.deploymentName ? done.deploymentVersion.buildId || null : null,
        at: Number(event.eventTime?.seconds ?? 0) * 1000 + Math.floor((event.eventTime?.nanos ?? 0) / 1e6),
      },
    ];
  });
}

const iso = (ms: number) => new Date(ms).toISOString().slice(11, 19);
const sum = <T>(items: T[], f: (item: T) => number) => items.reduce((total, item) => total + f(item), 0);
