import type { Client, WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { eventually } from '../../scripts/dev/harness/eventually';
import { createLogger } from '../../src/log/logger';
import type { TemporalGateway } from '../../src/temporal/client';
import type { OutboxRelay } from '../../src/temporal/outbox-relay';
import type { WorkerHandle } from '../../src/worker/worker';
import type { TestContext } from './context';

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
  /** Stops the relay, the worker and the server; once, however often it is called (the context calls it when it closes). */
  stop(): Promise<void>;
}

/**
 * The real worker and outbox relay against a fresh time-skipping server, so 24-hour timers pass in
 * seconds. One per test: time skipping is global to a server. Stopped by `stop()` (an `afterEach`)
 * or, at the latest, when the context closes.
 */
export async function withTimeSkipping(
  ctx: TestContext,
  { relay: withRelay = true }: { relay?: boolean } = {},
): Promise<TimeSkippingStack> {
  const [{ createTimeSkippingEnv }, { startWorker }, { startOutboxRelay }] = await Promise.all([
    import('./temporal'),
    import('../../src/worker/worker'),
    import('../../src/temporal/outbox-relay'),
  ]);
  const env = await createTimeSkippingEnv(ctx.config);
  const logger = createLogger(ctx.config.logLevel);
  const worker = await startWorker(
    ctx.config,
    { config: ctx.config, sql: ctx.db.sql, mailer: ctx.mailer, logger },
    { connection: env.nativeConnection },
  );
  const gateway: TemporalGateway = {
    client: env.client,
    connection: env.connection,
    taskQueue: ctx.config.temporal.taskQueue,
    isReachable: async () => true,
    close: async () => {},
  };
  const newRelay = () => startOutboxRelay({ sql: ctx.db.sql, temporal: gateway, logger, pollIntervalMs: 100 });
  // Without the relay (`relay: false`), what the outbox holds waits until `startRelay`.
  let relay: OutboxRelay | null = withRelay ? newRelay() : null;
  let stopped: Promise<void> | undefined;
  const stack: TimeSkippingStack = {
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
    stop() {
      stopped ??= (async () => {
        await relay?.stop();
        await worker.shutdown();
        await env.teardown();
      })();
      return stopped;
    },
  };
  ctx.onClose(() => stack.stop());
  return stack;
}

/** The workflow `workflowId`, once the outbox relay has started it. */
export async function startedWorkflow(client: Client, workflowId: string): Promise<WorkflowHandle> {
  const handle = client.workflow.getHandle(workflowId);
  await eventually(
    () =>
      handle.describe().then(
        () => true,
        () => false,
      ),
    `${workflowId} to start`,
  );
  return handle;
}
