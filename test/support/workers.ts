import { createLogger } from '../../src/log/logger';
import type { OutboxRelay } from '../../src/temporal/outbox-relay';
import { DAILY_DIGEST_SCHEDULE_ID } from '../../src/temporal/workflow-ids';
import type { WorkerHandle } from '../../src/worker/worker';
import type { TestContext } from './context';

export interface Background {
  worker: WorkerHandle;
  relay: OutboxRelay;
  /** Stops the relay, then the worker; once, however often it is called (the context calls it when it closes). */
  stop(): Promise<void>;
}

/**
 * The real worker (bundled workflows, real activities on this file's database, MailDev) and the
 * real outbox relay, on the run's Temporal dev server and this file's own task queue, until the
 * context closes. Loaded only when a test starts one, so files without a worker never load the SDK.
 */
export async function withWorker(ctx: TestContext): Promise<Background> {
  const [{ startWorker }, { startOutboxRelay }] = await Promise.all([
    import('../../src/worker/worker'),
    import('../../src/temporal/outbox-relay'),
  ]);
  const logger = createLogger(ctx.config.logLevel);
  const worker = await startWorker(ctx.config, { config: ctx.config, sql: ctx.db.sql, mailer: ctx.mailer, logger });
  // The worker ensured the real schedules on the run's one dev server, aimed at this file's task
  // queue. The digest's firings would mail this file's hall admins at quarter hours, whatever the
  // test in progress; paused (a pause every later ensure keeps), it runs only where a test starts it.
  await ctx.deps.temporal.client.schedule
    .getHandle(DAILY_DIGEST_SCHEDULE_ID)
    .pause('tests start the digest themselves');
  const relay = startOutboxRelay({ sql: ctx.db.sql, temporal: ctx.deps.temporal, logger, pollIntervalMs: 200 });
  let stopped: Promise<void> | undefined;
  const background: Background = {
    worker,
    relay,
    stop() {
      stopped ??= (async () => {
        await relay.stop();
        await worker.shutdown();
      })();
      return stopped;
    },
  };
  ctx.onClose(() => background.stop());
  return background;
}
