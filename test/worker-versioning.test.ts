import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../src/config/config';
import { workflowTypes } from '../src/contracts/workflow-types';
import { bookingWorkflowId, slotOfferWorkflowId } from '../src/temporal/workflow-ids';
import {
  describeDeployment,
  describeVersion,
  setCurrentVersion,
  versionOfRun,
  type DeploymentVersion,
} from '../src/temporal/worker-deployments';
import { buildIdOf, workflowCodeFor } from '../src/worker/deployment';
import * as registered from '../workflows/index';
import { VERSIONING_BEHAVIORS, type VersioningOptions } from '../workflows/versioning';
import {
  createTestContext,
  eventually,
  given,
  startedWorkflow,
  withWorker,
  type TestContext,
  type TestUser,
} from './support';

describe('each workflow type names how it moves between worker versions', () => {
  it('every registered workflow declares its own entry of workflows/versioning.ts', () => {
    const declared = Object.fromEntries(
      Object.entries(registered).map(([name, workflow]) => [
        name,
        (workflow as { workflowDefinitionOptions?: VersioningOptions }).workflowDefinitionOptions?.workflowType,
      ]),
    );
    assert.deepEqual(declared, Object.fromEntries(Object.keys(VERSIONING_BEHAVIORS).map((name) => [name, name])));
  });

  it('the long-lived booking upgrades (its changes go behind patches); everything short-lived is pinned', () => {
    for (const [name, behavior] of Object.entries(VERSIONING_BEHAVIORS))
      assert.equal(behavior, name === 'bookingLifecycleWorkflow' ? 'AUTO_UPGRADE' : 'PINNED', name);
  });
});

describe('a worker is versioned only when BOOKIT_DEPLOYMENT_NAME is set', () => {
  const bundlePath = process.env.TEMPORAL_WORKFLOW_BUNDLE!;

  it('unset: the workflow source as it is, no deployment version', async () => {
    const config = loadConfig({ ...process.env, BOOKIT_DEPLOYMENT_NAME: undefined, BOOKIT_BUILD_ID: undefined });
    const code = await workflowCodeFor({ workflowBundle: { codePath: bundlePath } }, config.temporal.deployment);
    assert.deepEqual(code, { source: { workflowBundle: { codePath: bundlePath } } });
  });

  it('set: the build id is derived from the workflow bundle, so every worker of one build agrees', async () => {
    const config = loadConfig({ ...process.env, BOOKIT_DEPLOYMENT_NAME: 'bookit', BOOKIT_BUILD_ID: undefined });
    const code = await workflowCodeFor({ workflowBundle: { codePath: bundlePath } }, config.temporal.deployment);
    const buildId = buildIdOf(await readFile(bundlePath, 'utf8'));
    assert.match(buildId, /^wf-[0-9a-f]{12}$/);
    assert.deepEqual(code.deployment, {
      version: { deploymentName: 'bookit', buildId },
      useWorkerVersioning: true,
      defaultVersioningBehavior: 'AUTO_UPGRADE',
    });
  });

  it('BOOKIT_BUILD_ID names the build instead (a release tag, a git sha)', async () => {
    const config = loadConfig({
      ...process.env,
      BOOKIT_DEPLOYMENT_NAME: 'bookit',
      BOOKIT_BUILD_ID: '2026-12-06-a1b2c3',
    });
    const code = await workflowCodeFor({ workflowBundle: { codePath: bundlePath } }, config.temporal.deployment);
    assert.equal(code.deployment?.version.buildId, '2026-12-06-a1b2c3');
  });

  for (const [env, message] of [
    [{ BOOKIT_DEPLOYMENT_NAME: 'bookit.prod' }, /BOOKIT_DEPLOYMENT_NAME must be letters, digits, - or _/],
    [{ BOOKIT_BUILD_ID: 'abc' }, /BOOKIT_BUILD_ID needs BOOKIT_DEPLOYMENT_NAME/],
    [{ BOOKIT_DEPLOYMENT_NAME: 'bookit', BOOKIT_BUILD_ID: 'v 2' }, /BOOKIT_BUILD_ID must be 1 to 64 letters/],
  ] as const)
    it(`refuses ${JSON.stringify(env)} with one line`, () => {
      assert.throws(
        () => loadConfig({ ...process.env, BOOKIT_DEPLOYMENT_NAME: undefined, BOOKIT_BUILD_ID: undefined, ...env }),
        (error: unknown) => error instanceof ConfigError && message.test(error.message),
      );
    });
});

describe('a versioned worker on the dev server, its version made current', () => {
  let ctx: TestContext;
  let member: TestUser;
  let version: DeploymentVersion;

  before(async () => {
    const deploymentName = `bookit-test-${Math.random().toString(36).slice(2, 8)}`;
    ctx = await createTestContext({ BOOKIT_DEPLOYMENT_NAME: deploymentName });
    const { worker } = await withWorker(ctx);
    const [, buildId] = worker.deploymentVersion!.split(':');
    version = { deploymentName, buildId: buildId! };
    const client = ctx.deps.temporal.client;
    // The version exists once its worker has polled both kinds of task; then it can take traffic.
    await eventually(
      async () => ((await describeVersion(client, version))?.taskQueues.length ?? 0) >= 2,
      'the version polling',
      30_000,
      200,
    );
    await setCurrentVersion(client, version, 'worker-versioning test');
    member = await ctx.createUser('member');
  });
  after(() => ctx.close());

  it('is the current version of its deployment', async () => {
    const deployment = await describeDeployment(ctx.deps.temporal.client, version.deploymentName);
    assert.equal(deployment?.current, version.buildId);
    assert.deepEqual(
      deployment?.versions.map((v) => [v.buildId, v.status]),
      [[version.buildId, 'current']],
    );
  });

  it("a booking's workflow starts on it, auto-upgrade; the offer of the slot its cancel frees is pinned to it", async () => {
    const venue = await given(ctx).venue({ name: 'Versioned hall', timeZone: 'UTC' });
    const { booking, slot } = await given(ctx).booking(member, venue, { aheadMs: 3 * 86_400_000 });
    const client = ctx.deps.temporal.client;
    const lifecycle = await startedWorkflow(client, bookingWorkflowId(booking.id));
    assert.deepEqual(
      await eventually(async () => {
        const run = await versionOfRun(lifecycle);
        return run.buildId ? run : false;
      }, 'the first workflow task'),
      { behavior: 'AUTO_UPGRADE', buildId: version.buildId },
    );

    const waiter = await ctx.createUser('member');
    const body = { venue: venue.id, date: slot.date, start_time: slot.start_time, end_time: slot.end_time };
    assert.equal((await ctx.request('POST', '/api/waitlist/', { token: waiter.token, body })).status, 201);
    assert.equal(
      (await ctx.request('POST', `/api/bookings/${booking.id}/cancel/`, { token: member.token })).status,
      200,
    );
    const [row] = await ctx.db.sql<
      { starts_at: Date; ends_at: Date }[]
    >`select lower(during) as starts_at, upper(during) as ends_at from bookings where id = ${booking.id}`;
    const offer = await startedWorkflow(client, slotOfferWorkflowId(venue.id, row!.starts_at, row!.ends_at));
    assert.deepEqual(
      await eventually(async () => {
        const run = await versionOfRun(offer);
        return run.buildId ? run : false;
      }, "the offer's first workflow task"),
      { behavior: 'PINNED', buildId: version.buildId },
    );
    await offer.terminate('the test is over');
  });
});

describe('an unversioned worker on the dev server (no BOOKIT_DEPLOYMENT_NAME)', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
    await withWorker(ctx);
  });
  after(() => ctx.close());

  it('runs a workflow to its end, declaring no versioning behaviour (the server would refuse one)', async () => {
    // Its own id: booking ids repeat between this file's two databases, and so would their workflow ids.
    const handle = await ctx.deps.temporal.client.workflow.start(workflowTypes.notificationRetentionWorkflow, {
      workflowId: `retention-unversioned-${Math.random().toString(36).slice(2)}`,
      taskQueue: ctx.config.temporal.taskQueue,
      args: [{ retentionMs: ctx.config.lifecycle.notificationRetentionMs }],
    });
    assert.equal(await handle.result(), 0);
    const events = (await handle.fetchHistory()).events ?? [];
    assert.equal(events.filter((e) => e.workflowTaskFailedEventAttributes).length, 0, 'no workflow task failed');
    assert.deepEqual(await versionOfRun(handle), { behavior: 'unspecified', buildId: null });
  });
});
