import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Activities } from '../activities';
import type { Config } from '../src/config/config';
import { ensureRetentionSchedule } from '../src/worker/schedules';
import { NOTIFICATION_RETENTION_SCHEDULE_ID } from '../src/temporal/workflow-ids';
import { resolveTemporalCli } from '../scripts/dev/temporal-cli';
import type { notificationRetentionWorkflow } from '../workflows/notification-retention';
import { workflowTypes } from '../src/contracts/workflow-types';
import { createTestContext, withWorker, type TestContext } from './support';

const DAY = 86_400_000;

describe('notification retention (Temporal dev server)', () => {
  let ctx: TestContext;

  before(async () => {
    ctx = await createTestContext();
    await withWorker(ctx);
  });
  after(() => ctx?.close());

  const withRetention = (retentionMs: number): Config => ({
    ...ctx.config,
    lifecycle: { ...ctx.config.lifecycle, notificationRetentionMs: retentionMs },
  });

  /** A throwaway dev server whose continue-as-new suggestion comes after 120 history events. */
  async function createContinueAsNewEagerServer(): Promise<TestWorkflowEnvironment> {
    const cli = await resolveTemporalCli({ explicitPath: ctx.config.temporal.cliPath, cacheDir: ctx.config.cacheDir });
    return TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'existing-path', path: cli },
        extraArgs: ['--dynamic-config-value', 'limit.historyCount.suggestContinueAsNew=120'],
      },
    });
  }

  it('deletes notifications older than the retention period, 5 000 per batch until none are left, and keeps the rest', async () => {
    const user = await ctx.createUser('member');
    const insertAged = (count: number, ageDays: number, label: string) => ctx.db.sql`
      insert into notifications (user_id, notification_type, title, message, created_at, event_key)
      select ${user.id}, 'system', ${label}, 'x', now() - make_interval(days => ${ageDays}), ${label} || ':' || g
      from generate_series(1, ${count}) g`;
    await insertAged(12_000, 100, 'old');
    await insertAged(40, 89, 'inside');
    await insertAged(60, 0, 'fresh');
    assert.equal(ctx.config.lifecycle.notificationRetentionMs, 90 * DAY, 'the default retention is 90 days');

    const workflowId = `retention-test-${randomUUID()}`;
    const deleted = await ctx.deps.temporal.client.workflow.execute<typeof notificationRetentionWorkflow>(
      workflowTypes.notificationRetentionWorkflow,
      {
        workflowId,
        taskQueue: ctx.config.temporal.taskQueue,
        args: [{ retentionMs: ctx.config.lifecycle.notificationRetentionMs }],
      },
    );

    assert.equal(deleted, 12_000);
    const remaining = await ctx.db.sql<{ title: string; count: number }[]>`
      select title, count(*)::int as count from notifications where user_id = ${user.id} group by title order by title`;
    assert.deepEqual(
      remaining.map((row) => ({ ...row })),
      [
        { title: 'fresh', count: 60 },
        { title: 'inside', count: 40 },
      ],
    );

    const events = (await ctx.deps.temporal.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    const batches = events.filter(
      (event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'deleteExpiredNotifications',
    );
    assert.equal(batches.length, 4, '5 000 + 5 000 + 2 000, then one that finds nothing');
  });

  it('a clean-up too long for one history continues as new and keeps the cutoff it chose', async () => {
    // Stand-in batches (no database), on a dev server of its own that suggests continuing as new
    // after 120 events rather than ~4 096, so 50 batches span several runs.
    const BATCHES = 50;
    const cutoffs: number[] = [];
    const activities: Pick<Activities, 'deleteExpiredNotifications'> = {
      async deleteExpiredNotifications(cutoffMs) {
        cutoffs.push(cutoffMs);
        return cutoffs.length <= BATCHES ? 5 : 0;
      },
    };
    const env = await createContinueAsNewEagerServer();
    try {
      const taskQueue = `retention-long-${randomUUID()}`;
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowBundle: { codePath: ctx.config.temporal.workflowBundlePath! },
        activities,
      });
      const workflowId = `retention-long-${randomUUID()}`;
      const { client } = env;
      const startedAt = Date.now();
      const deleted = await worker.runUntil(
        client.workflow.execute<typeof notificationRetentionWorkflow>(workflowTypes.notificationRetentionWorkflow, {
          workflowId,
          taskQueue,
          args: [{ retentionMs: 90 * DAY }],
        }),
      );

      assert.equal(deleted, BATCHES * 5);
      assert.equal(cutoffs.length, BATCHES + 1);
      assert.equal(new Set(cutoffs).size, 1, 'every batch, in every run, used the same cutoff');
      assert.ok(
        Math.abs(cutoffs[0]! - (startedAt - 90 * DAY)) < 60_000,
        'the cutoff is workflow time minus the retention period',
      );
      const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
      assert.ok(
        events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId,
        'the last run was continued from an earlier one',
      );
    } finally {
      await env.teardown();
    }
  });

  it("ensureRetentionSchedule twice → one schedule, daily at 03:00 UTC, brought up to date on the second call, an operator's pause kept", async () => {
    const { client } = ctx.deps.temporal;
    const scheduleId = `notification-retention-test-${randomUUID()}`;
    const handle = client.schedule.getHandle(scheduleId);
    try {
      assert.equal(await ensureRetentionSchedule(client, withRetention(90 * DAY), scheduleId), 'created');
      await handle.pause('paused by an operator');
      assert.equal(await ensureRetentionSchedule(client, withRetention(30 * DAY), scheduleId), 'updated');

      const described = await handle.describe();
      assert.equal(described.spec.calendars?.length, 1);
      const [calendar] = described.spec.calendars!;
      assert.deepEqual(calendar!.hour, [{ start: 3, end: 3, step: 1 }]);
      assert.deepEqual(calendar!.minute, [{ start: 0, end: 0, step: 1 }]);
      assert.deepEqual(calendar!.dayOfMonth, [{ start: 1, end: 31, step: 1 }]);
      assert.deepEqual(calendar!.dayOfWeek, [{ start: 'SUNDAY', end: 'SATURDAY', step: 1 }]);
      assert.equal(described.spec.timezone ?? 'UTC', 'UTC');
      const [next, following] = described.info.nextActionTimes;
      assert.equal(following!.getTime() - next!.getTime(), DAY, 'one run a day');
      assert.equal(next!.getUTCHours(), 3);

      assert.equal(described.action.workflowType, workflowTypes.notificationRetentionWorkflow);
      assert.equal(described.action.taskQueue, ctx.config.temporal.taskQueue);
      assert.deepEqual(
        described.action.args,
        [{ retentionMs: 30 * DAY }],
        'the update carried the new retention period',
      );
      assert.equal(described.policies.overlap, 'SKIP');
      assert.equal(described.state.paused, true, "the operator's pause survived the update");

      // Listing is eventually consistent: wait for the schedule to show, then count it.
      let listed = 0;
      for (let tries = 0; tries < 40 && listed === 0; tries += 1) {
        listed = 0;
        for await (const summary of client.schedule.list()) if (summary.scheduleId === scheduleId) listed += 1;
        if (listed === 0) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      assert.equal(listed, 1);
    } finally {
      await handle.delete().catch(() => {});
    }
  });

  it('the worker ensured the real schedule at start', async () => {
    const described = await ctx.deps.temporal.client.schedule.getHandle(NOTIFICATION_RETENTION_SCHEDULE_ID).describe();
    assert.equal(described.action.workflowType, workflowTypes.notificationRetentionWorkflow);
    assert.deepEqual(described.spec.calendars?.[0]?.hour, [{ start: 3, end: 3, step: 1 }]);
    // Other test files' workers ensure it too, each with its own task queue, so only the shape is checked.
    assert.deepEqual(described.action.args, [{ retentionMs: ctx.config.lifecycle.notificationRetentionMs }]);
  });
});
