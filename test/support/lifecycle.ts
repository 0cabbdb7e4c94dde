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
  relay: OutboxRelay;
  gateway: TemporalGateway;
  /** The worker goes away (as in an outage) and nothing runs until `startWorker`. */
  stopWorker(): Promise<void>;
  startWorker(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The real worker and outbox relay against a fresh time-skipping server, so 24-hour timers pass in
 * seconds. One per test: time skipping is global to a server.
 */
export async function startTimeSkippingStack(ctx: TestContext): Promise<TimeSkippingStack> {
  const env = await createTimeSkippingEnv(ctx.config);
  const logger = createLogger(ctx.config.logLevel);
  const newWorker = () => startWorker(ctx.config, { config: ctx.config, sql: ctx.db.sql, mailer: ctx.mailer, logger }, { connection: env.nativeConnection });
  let worker: WorkerHandle | null = await newWorker();
  const gateway: TemporalGateway = { client: env.client, connection: env.connection, taskQueue: ctx.config.temporal.taskQueue, isReachable: async () => true, close: async () => {} };
  const relay = startOutboxRelay({ sql: ctx.db.sql, temporal: gateway, logger, pollIntervalMs: 100 });
  return {
    env,
    get worker() {
      if (!worker) throw new Error('the worker is stopped');
      return worker;
    },
    relay,
    gateway,
    async stopWorker() {
      await worker?.shutdown();
      worker = null;
    },
    async startWorker() {
      worker ??= await newWorker();
    },
    async stop() {
      await relay.stop();
      await worker?.shutdown();
      await env.teardown();
    },
  };
}
