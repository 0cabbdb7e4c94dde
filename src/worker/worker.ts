import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Config } from '../config/config';
import { temporalConnectionOptions } from '../temporal/connection-options';
import { workflowCodeFor } from './deployment';
import { installTemporalLogging } from './logging';
import { ensureSchedulesAtStartup } from './schedules';
import { createActivities, type ActivityDeps } from '../../activities';
import { workflowSource } from './workflow-source';

export { WORKFLOWS_PATH } from './workflow-source';

export interface WorkerHandle {
  worker: Worker;
  connection: NativeConnection;
  /** The Worker Deployment version it polls as (`deploymentName:buildId`), or null when unversioned. */
  deploymentVersion: string | null;
  /** Resolves when the worker has stopped (after shutdown() or a fatal error). */
  running: Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * A worker for BookIT's task queue. Sleeping booking workflows are evicted from the sticky cache
 * beyond maxCachedWorkflows, so memory stays bounded however many bookings are open.
 */
export interface WorkerStartOptions {
  /** An existing connection (the time-skipping test server's); the caller owns it, and schedules are left alone. */
  connection?: NativeConnection;
  overrides?: Partial<WorkerOptions>;
}

export async function startWorker(
  config: Config,
  deps: ActivityDeps,
  { connection: given, overrides = {} }: WorkerStartOptions = {},
): Promise<WorkerHandle> {
  installTemporalLogging(deps.logger);
  const connection = given ?? (await NativeConnection.connect(temporalConnectionOptions(config.temporal)));
  const code = await workflowCodeFor(workflowSource(config.temporal.workflowBundlePath), config.temporal.deployment);
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    ...code.source,
    ...(code.deployment ? { workerDeploymentOptions: code.deployment } : {}),
    activities: createActivities(deps),
    maxCachedWorkflows: config.temporal.maxCachedWorkflows,
    shutdownGraceTime: '10s',
    ...overrides,
  });
  if (!given) await ensureSchedulesAtStartup(config, deps.logger);
  const running = worker.run();
  return {
    worker,
    connection,
    deploymentVersion: code.deployment
      ? `${code.deployment.version.deploymentName}:${code.deployment.version.buildId}`
      : null,
    running,
    async shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => {});
      if (!given) await connection.close();
    },
  };
}
