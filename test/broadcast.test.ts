import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Activities } from '../activities';
import { isFollowableLink } from '../src/api/routes/broadcasts';
import type { Notice } from '../src/notices';
import { writeAnnouncementBatch } from '../src/notices/inbox';
import { resolveTemporalCli } from '../scripts/dev/temporal-cli';
import { NOTIFICATION_CHANNEL } from '../src/notifications/store';
import { broadcastWorkflowId } from '../src/temporal/workflow-ids';
import type { broadcastWorkflow } from '../workflows/broadcast';
import { workflowTypes } from '../src/contracts/workflow-types';
import { createTestContext, withWorker, type TestContext, type TestUser } from './support';

const BULK_USERS = 10_000;

describe("broadcast: a super admin's announcement to every active user", () => {
  let ctx: TestContext;
  let admin: TestUser;
  let member: TestUser;

  before(async () => {
    ctx = await createTestContext();
    await withWorker(ctx);
    admin = await ctx.createUser('super_admin');
    member = await ctx.createUser('member');
  });
  after(() => ctx?.close());

  async function waitForCompletion(broadcastId: number, timeoutMs = 120_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [row] = await ctx.db.sql<{ recipient_count: number | null; completed_at: Date | null }[]>`
        select recipient_count, completed_at from broadcasts where id = ${broadcastId}`;
      if (row?.completed_at) return row;
      if (Date.now() > deadline) throw new Error(`broadcast ${broadcastId} did not complete within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

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

  it(`${BULK_USERS} active users → each gets exactly one system notification, inactive users none, in batches that keep the history small`, async () => {
    const tag = randomBytes(4).toString('hex');
    await ctx.db.sql`
      insert into users (email, full_name)
      select 'bulk-' || g || '-' || ${tag} || '@example.test', 'Bulk user ' || g from generate_series(1, ${BULK_USERS}) g`;
    await ctx.db.sql`
      insert into users (email, full_name, is_active)
      select 'gone-' || g || '-' || ${tag} || '@example.test', 'Former user ' || g, false from generate_series(1, 25) g`;
    const [activeRow] = await ctx.db.sql<
      { active: number }[]
    >`select count(*)::int as active from users where is_active`;
    const active = activeRow!.active;
    assert.ok(active >= BULK_USERS + 2);

    const announced: Array<{ user_id: number; id?: number }> = [];
    const listening = await ctx.db.sql.listen(NOTIFICATION_CHANNEL, (payload) =>
      announced.push(JSON.parse(payload) as { user_id: number; id?: number }),
    );

    const started = Date.now();
    const response = await ctx.request('POST', '/api/notifications/broadcast/', {
      token: admin.token,
      body: {
        title: 'Maintenance on Sunday',
        message: 'Bookings are read-only from 02:00 to 04:00 IST.',
        link: '/status',
      },
    });
    assert.equal(response.status, 201);
    assert.deepEqual(await response.json(), { count: active });

    const [broadcast] = await ctx.db.sql<{ id: number }[]>`select id from broadcasts order by id desc limit 1`;
    const done = await waitForCompletion(broadcast!.id);
    const elapsed = Date.now() - started;
    assert.equal(done.recipient_count, active);

    const [counts] = await ctx.db.sql<{ active_without_one: number; inactive_with_any: number; rows: number }[]>`
      select
        (select count(*)::int from users u where u.is_active and
           (select count(*) from notifications n where n.user_id = u.id and n.notification_type = 'system') <> 1) as active_without_one,
        (select count(*)::int from notifications n join users u on u.id = n.user_id where not u.is_active) as inactive_with_any,
        (select count(*)::int from notifications where event_key like ${`broadcast:${broadcast!.id}:%`}) as rows`;
    assert.deepEqual(counts, { active_without_one: 0, inactive_with_any: 0, rows: active });

    const [mine] = await ctx.db.sql<{ id: number; title: string; message: string; link: string; is_read: boolean }[]>`
      select id, title, message, link, is_read from notifications where user_id = ${member.id} and notification_type = 'system'`;
    const { id: mineId, ...content } = mine!;
    assert.deepEqual(content, {
      title: 'Maintenance on Sunday',
      message: 'Bookings are read-only from 02:00 to 04:00 IST.',
      link: '/status',
      is_read: false,
    });

    // Every new row was announced the way open notification streams expect, one payload per row.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await listening.unlisten();
    assert.equal(announced.length, active);
    assert.ok(
      announced.some((signal) => signal.user_id === member.id && signal.id === mineId),
      "the member's stream would hear of its row",
    );

    const history = await ctx.deps.temporal.client.workflow
      .getHandle(broadcastWorkflowId(broadcast!.id))
      .fetchHistory();
    const events = history.events ?? [];
    const batches = events.filter(
      (event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'writeBroadcastBatch',
    ).length;
    assert.ok(batches >= BULK_USERS / 1_000 && batches <= BULK_USERS / 1_000 + 2, `${batches} batches`);
    assert.ok(events.length < 500, `history has ${events.length} events`);
    ctx.deps.logger.info({ elapsedMs: elapsed, batches, events: events.length }, 'broadcast completed');
  });

  it('writing a batch again (a retried activity) adds nothing', async () => {
    const [broadcast] = await ctx.db.sql<{ id: number }[]>`select id from broadcasts order by id desc limit 1`;
    const [before] = await ctx.db.sql<{ count: number }[]>`select count(*)::int as count from notifications`;
    const batch = await writeAnnouncementBatch(ctx.db.sql, broadcast!.id, 0, 1_000);
    assert.equal(batch.recipients, 1_000);
    assert.notEqual(batch.nextCursor, null);
    const [afterward] = await ctx.db.sql<{ count: number }[]>`select count(*)::int as count from notifications`;
    assert.equal(afterward!.count, before!.count);
  });

  it('is for super admins only: 403 for a member and a hall admin, 401 without a token, 400 naming a missing title', async () => {
    const hallAdmin = await ctx.createUser('hall_admin');
    const body = { title: 'Hello', message: 'Everyone' };
    for (const who of [member, hallAdmin]) {
      assert.equal(
        (await ctx.request('POST', '/api/notifications/broadcast/', { token: who.token, body })).status,
        403,
      );
    }
    assert.equal((await ctx.request('POST', '/api/notifications/broadcast/', { body })).status, 401);
    const missing = await ctx.request('POST', '/api/notifications/broadcast/', {
      token: admin.token,
      body: { message: 'No title' },
    });
    assert.equal(missing.status, 400);
    assert.match(((await missing.json()) as { error: string }).error, /title/);
    const [recorded] = await ctx.db.sql<{ count: number }[]>`select count(*)::int as count from broadcasts`;
    assert.equal(recorded!.count, 1, 'refused requests recorded nothing');
  });

  it('takes only links a client may follow: http(s) URLs and paths on this site; javascript:, data: and //host answer 400 naming "link"', async () => {
    const [before] = await ctx.db.sql<{ count: number }[]>`select count(*)::int as count from broadcasts`;
    const refused = [
      'javascript:alert(document.cookie)',
      ' JavaScript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      '//evil.example/login',
      '/\\evil.example',
      'mailto:x@example.test',
      'https://',
      'status page',
      'http://bookit.example/a b',
    ];
    for (const link of refused) {
      const response = await ctx.request('POST', '/api/notifications/broadcast/', {
        token: admin.token,
        body: { title: 'Hello', message: 'Everyone', link },
      });
      assert.equal(response.status, 400, link);
      assert.match(
        ((await response.json()) as { error: string }).error,
        /^body field "link": must be an http:\/\/ or https:\/\/ URL, or a path on this site/,
        link,
      );
    }
    const [after] = await ctx.db.sql<{ count: number }[]>`select count(*)::int as count from broadcasts`;
    assert.equal(after!.count, before!.count, 'refused broadcasts recorded nothing');
    for (const link of [
      '/status',
      '/bookings/42?tab=details#top',
      'https://status.example.test/incidents/7',
      'http://intranet.example/notice',
      '',
    ]) {
      assert.ok(isFollowableLink(link), link);
    }
  });

  it('guards only its own route: members still reach their inbox under /api/notifications', async () => {
    assert.notEqual((await ctx.request('GET', '/api/notifications/', { token: member.token })).status, 403);
  });
  it('a broadcast too long for one history continues as new, carrying its cursor and count, and completes once', async () => {
    // Stand-in batches (no database), on a dev server of its own that suggests continuing as new
    // after 120 events rather than ~4 096, so 50 batches span several runs.
    const BATCHES = 50;
    const cursorsSeen: number[] = [];
    const completions: Array<[number, number]> = [];
    const delivered: Notice[] = [];
    const activities: Pick<Activities, 'writeBroadcastBatch' | 'completeBroadcast' | 'recordNotice' | 'deliverNotice'> =
      {
        async writeBroadcastBatch(_id, afterUserId) {
          cursorsSeen.push(afterUserId);
          const batch = afterUserId / 10 + 1;
          return { recipients: 10, nextCursor: batch < BATCHES ? batch * 10 : null };
        },
        async completeBroadcast(id, recipientCount) {
          completions.push([id, recipientCount]);
        },
        // The announcement's notice (its webhook event), handed over once every batch is written.
        async recordNotice() {},
        async deliverNotice(notice) {
          delivered.push(notice);
          return [];
        },
      };
    const env = await createContinueAsNewEagerServer();
    try {
      const taskQueue = `broadcast-long-${randomUUID()}`;
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowBundle: { codePath: ctx.config.temporal.workflowBundlePath! },
        activities,
      });
      const workflowId = `broadcast-long-${randomUUID()}`;
      const { client } = env;
      const recipients = await worker.runUntil(
        client.workflow.execute<typeof broadcastWorkflow>(workflowTypes.broadcastWorkflow, {
          workflowId,
          taskQueue,
          args: [{ broadcastId: 424242 }],
        }),
      );

      assert.equal(recipients, BATCHES * 10);
      assert.deepEqual(completions, [[424242, BATCHES * 10]]);
      assert.deepEqual(
        delivered,
        [{ kind: 'announcement', broadcastId: 424242 }],
        "the announcement's notice, once, after the last batch",
      );
      assert.deepEqual(
        cursorsSeen,
        Array.from({ length: BATCHES }, (_, i) => i * 10),
        'every batch once, in order, across runs',
      );
      // Walk back from the last run to the first: several runs, none with a long history.
      const runLengths: number[] = [];
      for (let runId: string | undefined; ; ) {
        const events = (await client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
        runLengths.push(events.length);
        runId = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId ?? undefined;
        if (!runId) break;
      }
      assert.ok(runLengths.length >= 3, `${runLengths.length} runs`);
      assert.ok(
        runLengths.every((length) => length < 200),
        `run lengths ${runLengths.join(', ')}`,
      );
    } finally {
      await env.teardown();
    }
  });
});
