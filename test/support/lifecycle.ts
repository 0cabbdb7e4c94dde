import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createLogger } from '../../src/log/logger';
import type { TemporalGateway } from '../../src/temporal/client';
import { startOutboxRelay, type OutboxRelay } from '../../src/temporal/outbox-relay';
import { startWorker, type WorkerHandle } from '../../src/worker/worker';
import type { TestContext } from './context';
import { createTimeSkippingEnv } from './temporal';

export interface TimeSkippingStack {
  env: TestWorkflowEnvironment;
  worker: WorkerHandle;
  gateway: TemporalGateway;
  /**
   * The outbox relay goes away (as in an outage of Temporal or of every API process): bookings are
   * written, their workflows not started, until `startRelay`. With nothing running on the server,
   * `env.sleep` can skip hours (the server waits for a pending task before skipping past it).
   */
  stopRelay(): Promise<void>;
  startRelay(): void;
  stop(): Promise<void>;
}

/**
 * The real worker and outbox relay against a fresh time-skipping server, so 24-hour timers pass in
 * seconds. One per test: time skipping is global to a server.
 */
export async function startTimeSkippingStack(ctx: TestContext, { relay: withRelay = true }: { relay?: boolean } = {}): Promise<TimeSkippingStack> {
  const env = await createTimeSkippingEnv(ctx.config);
  const logger = createLogger(ctx.config.logLevel);
  const worker = await startWorker(ctx.config, { config: ctx.config, sql: ctx.db.sql, mailer: ctx.mailer, logger }, { connection: env.nativeConnection });
  const gateway: TemporalGateway = { client: env.client, connection: env.connection, taskQueue: ctx.config.temporal.taskQueue, isReachable: async () => true, close: async () => {} };
  const newRelay = () => startOutboxRelay({ sql: ctx.db.sql, temporal: gateway, logger, pollIntervalMs: 100 });
  // Without the relay (`relay: false`), what the outbox holds waits until `startRelay`.
  let relay: OutboxRelay | null = withRelay ? newRelay() : null;
  return {
    env,
    worker,
    gateway,
    async stopRelay() {
      await relay?.stop();
      relay = null;
    },
    startRelay() {
      relay ??= newRelay();
    },
    async stop() {
      await relay?.stop();
      await worker.shutdown();
      await env.teardown();
    },
  };
}
