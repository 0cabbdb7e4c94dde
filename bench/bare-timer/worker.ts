// The bare timer workflow's worker, a process of its own beside BookIT's, with the same
// configuration (TEMPORAL_TASK_QUEUE and TEMPORAL_WORKFLOW_BUNDLE point it at the bare workflow)
// and the same workflow cache size, so the two differ only in what their workflows do.
import { NativeConnection, Worker } from '@temporalio/worker';
import { loadConfig } from '../../src/config/config';
import { createSql } from '../../src/db/sql';
import { runMain, stopOnSignal } from '../../src/process/lifecycle';
import { temporalConnectionOptions } from '../../src/temporal/connection-options';
import { bareTimerActivities } from './activities';

runMain(async () => {
  const config = loadConfig();
  if (!config.database.url || !config.temporal.workflowBundlePath)
    throw new Error('the bare timer worker needs DATABASE_URL and TEMPORAL_WORKFLOW_BUNDLE');
  const sql = createSql(config.database.url, {
    max: config.database.workerPoolSize,
    applicationName: 'bench-bare-worker',
  });
  const connection = await NativeConnection.connect(temporalConnectionOptions(config.temporal));
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflowBundle: { codePath: config.temporal.workflowBundlePath },
    activities: bareTimerActivities(sql),
    maxCachedWorkflows: config.temporal.maxCachedWorkflows,
    shutdownGraceTime: '10s',
  });
  const running = worker.run();
  process.stdout.write('bare timer worker running\n');
  const shutdown = async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running.catch(() => {});
  };
  stopOnSignal([() => sql.end({ timeout: 5 }), () => connection.close(), shutdown], () => {});
  await running;
});
