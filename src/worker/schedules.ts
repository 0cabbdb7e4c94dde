import { Client, Connection, ScheduleAlreadyRunning, type ScheduleOptions, type ScheduleOptionsStartWorkflowAction } from '@temporalio/client';
import type { notificationRetentionWorkflow } from '../../workflows/notification-retention';
import { workflowTypes } from '../../workflows/workflow-types';
import type { Config } from '../config/config';
import { describeDuration } from '../config/duration';
import type { Logger } from '../log/logger';
import { temporalConnectionOptions } from '../temporal/connection-options';
import { NOTIFICATION_RETENTION_SCHEDULE_ID } from '../temporal/workflow-ids';

type RetentionAction = ScheduleOptionsStartWorkflowAction<typeof notificationRetentionWorkflow>;

/**
 * Daily at 03:00 UTC, off-peak for our venues. A run still going when the next is due makes the
 * next one skip; a server outage over 03:00 still runs it once on return (catch-up of a day).
 */
export function retentionScheduleOptions(config: Config, scheduleId = NOTIFICATION_RETENTION_SCHEDULE_ID): ScheduleOptions<RetentionAction> {
  const retentionMs = config.lifecycle.notificationRetentionMs;
  return {
    scheduleId,
    spec: { calendars: [{ hour: 3, minute: 0, comment: 'daily notification clean-up' }], timezone: 'UTC' },
    action: {
      type: 'startWorkflow',
      workflowType: workflowTypes.notificationRetentionWorkflow,
      workflowId: scheduleId,
      taskQueue: config.temporal.taskQueue,
      args: [{ retentionMs }],
      staticSummary: `Delete notifications older than ${describeDuration(retentionMs)}`,
    },
    policies: { overlap: 'SKIP', catchupWindow: '1 day' },
  };
}

/**
 * Creates the retention schedule, or brings an existing one up to this process's configuration
 * (task queue, retention period). A pause an operator set stays in place. Safe to call from every
 * worker at every start.
 */
export async function ensureRetentionSchedule(client: Client, config: Config, scheduleId = NOTIFICATION_RETENTION_SCHEDULE_ID): Promise<'created' | 'updated'> {
  const options = retentionScheduleOptions(config, scheduleId);
  try {
    await client.schedule.create(options);
    return 'created';
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
  const { spec, action, policies } = options;
  await client.schedule.getHandle(scheduleId).update<typeof notificationRetentionWorkflow>((previous) => ({
    spec,
    action,
    policies,
    state: { paused: previous.state.paused, note: previous.state.note },
  }));
  return 'updated';
}

/**
 * What a worker calls once it is up. Retention is housekeeping: when the schedule cannot be
 * written the worker still serves bookings, and the error is logged for the operator.
 */
export async function ensureRetentionScheduleAtStartup(config: Config, logger: Logger): Promise<void> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect(temporalConnectionOptions(config.temporal));
    const client = new Client({ connection, namespace: config.temporal.namespace });
    const outcome = await ensureRetentionSchedule(client, config);
    logger.info({ scheduleId: NOTIFICATION_RETENTION_SCHEDULE_ID, outcome }, 'notification retention schedule ensured');
  } catch (error) {
    logger.error({ err: error, scheduleId: NOTIFICATION_RETENTION_SCHEDULE_ID }, 'could not create or update the notification retention schedule; old notifications are not being deleted');
  } finally {
    await connection?.close();
  }
}
