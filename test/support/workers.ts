import { createLogger } from '../../src/log/logger';
import { startOutboxRelay, type OutboxRelay } from '../../src/temporal/outbox-relay';
import { DAILY_DIGEST_SCHEDULE_ID } from '../../src/temporal/workflow-ids';
import { startWorker, type WorkerHandle } from '../../src/worker/worker';
import type { TestContext } from './context';

/**
 * The real worker (bundled workflows, real activities on this file's database, MailDev) and the
 * real outbox relay, on the run's Temporal dev server and this file's own task queue.
 */
export async function startBackground(ctx: TestContext): Promise<{ worker: WorkerHandle; relay: OutboxRelay; stop(): Promise<void> }> {
  const logger = createLogger(ctx.config.logLevel);
  const worker = await startWorker(ctx.config, { config: ctx.config, sql: ctx.db.sql, mailer: ctx.mailer, logger });
  // The worker ensured the real schedules on the run's one dev server, aimed at this file's task
  // queue. The digest's firings would mail this file's hall admins at quarter hours, whatever the
  // test in progress; paused (a pause every later ensure keeps), it runs only where a test starts it.
  await ctx.deps.temporal.client.schedule.getHandle(DAILY_DIGEST_SCHEDULE_ID).pause('tests start the digest themselves');
  const relay = startOutboxRelay({ sql: ctx.db.sql, temporal: ctx.deps.temporal, logger, pollIntervalMs: 200 });
  return {
    worker,
    relay,
    async stop() {
      await relay.stop();
      await worker.shutdown();
    },
  };
}
