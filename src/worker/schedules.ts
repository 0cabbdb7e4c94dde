import {
  Client,
  Connection,
  ScheduleAlreadyRunning,
  type ScheduleOptions,
  type ScheduleOptionsStartWorkflowAction,
} from '@temporalio/client';
import type { Workflow } from '@temporalio/common';
import { workflowTypes, type WorkflowInput, type WorkflowName } from '../contracts/workflow-types';
import type { Config } from '../config/config';
import { describeDuration } from '../config/duration';
import type { Logger } from '../log/logger';
import { temporalConnectionOptions } from '../temporal/connection-options';
import { DAILY_DIGEST_SCHEDULE_ID, NOTIFICATION_RETENTION_SCHEDULE_ID } from '../temporal/workflow-ids';

/** A schedule's action, typed by the workflow's input contract (workers own the workflow code itself). */
type StartAction<N extends WorkflowName> = ScheduleOptionsStartWorkflowAction<
  (input: WorkflowInput<N>) => Promise<unknown>
>;
type RetentionAction = StartAction<'notificationRetentionWorkflow'>;
type DailyDigestAction = StartAction<'dailyDigestWorkflow'>;

/**
 * Daily at 03:00 UTC, off-peak for our venues. A run still going when the next is due makes the
 * next one skip; a server outage over 03:00 still runs it once on return (catch-up of a day).
 */
export function retentionScheduleOptions(
  config: Config,
  scheduleId = NOTIFICATION_RETENTION_SCHEDULE_ID,
): ScheduleOptions<RetentionAction> {
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
 * Every 15 minutes on the quarter hour (UTC): every zone's offset is a whole number of quarter
 * hours, so each venue's 07:00 falls on a firing. Each run decides what has come due and claims
 * it in PostgreSQL, so runs may overlap (one still retrying an email while the next decides other
 * zones) without sending anything twice; after an outage one catch-up run is enough, as the next
 * run picks up every digest of the day that is still undecided.
 */
export function dailyDigestScheduleOptions(
  config: Config,
  scheduleId = DAILY_DIGEST_SCHEDULE_ID,
): ScheduleOptions<DailyDigestAction> {
  const digestHour = config.lifecycle.dailyDigestHour;
  return {
    scheduleId,
    spec: { intervals: [{ every: '15 minutes' }] },
    action: {
      type: 'startWorkflow',
      workflowType: workflowTypes.dailyDigestWorkflow,
      workflowId: scheduleId,
      taskQueue: config.temporal.taskQueue,
      args: [{ digestHour, emailRetryInitialMs: config.lifecycle.emailRetryInitialMs }],
      staticSummary: `Hall admins' daily digests, due at ${String(digestHour).padStart(2, '0')}:00 venue time`,
    },
    policies: { overlap: 'ALLOW_ALL', catchupWindow: '15 minutes' },
  };
}

/**
 * Creates the schedule, or brings an existing one up to this process's configuration (task
 * queue, spec, arguments). A pause an operator set stays in place. Safe to call from every worker
 * at every start.
 */
async function ensureSchedule<W extends Workflow>(
  client: Client,
  options: ScheduleOptions<ScheduleOptionsStartWorkflowAction<W>>,
): Promise<'created' | 'updated'> {
  try {
    await client.schedule.create(options);
    return 'created';
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
  const { spec, action, policies } = options;
  await client.schedule.getHandle(options.scheduleId).update<W>((previous) => ({
    spec,
    action,
    policies,
    state: { paused: previous.state.paused, note: previous.state.note },
  }));
  return 'updated';
}

export async function ensureRetentionSchedule(
  client: Client,
  config: Config,
  scheduleId = NOTIFICATION_RETENTION_SCHEDULE_ID,
): Promise<'created' | 'updated'> {
  return ensureSchedule(client, retentionScheduleOptions(config, scheduleId));
}

export async function ensureDailyDigestSchedule(
  client: Client,
  config: Config,
  scheduleId = DAILY_DIGEST_SCHEDULE_ID,
): Promise<'created' | 'updated'> {
  return ensureSchedule(client, dailyDigestScheduleOptions(config, scheduleId));
}

/**
 * What a worker calls once it is up. Schedules are housekeeping and messages: when one cannot be
 * written the worker still serves bookings, and the error is logged for the operator.
 */
export async function ensureSchedulesAtStartup(config: Config, logger: Logger): Promise<void> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect(temporalConnectionOptions(config.temporal));
    const client = new Client({ connection, namespace: config.temporal.namespace });
    const schedules = [
      {
        scheduleId: NOTIFICATION_RETENTION_SCHEDULE_ID,
        ensure: ensureRetentionSchedule,
        consequence: 'old notifications are not being deleted',
      },
      {
        scheduleId: DAILY_DIGEST_SCHEDULE_ID,
        ensure: ensureDailyDigestSchedule,
        consequence: 'hall admins get no daily digest',
      },
    ];
    for (const { scheduleId, ensure, consequence } of schedules) {
      try {
        const outcome = await ensure(client, config);
        logger.info({ scheduleId, outcome }, 'schedule ensured');
      } catch (error) {
        logger.error({ err: error, scheduleId }, `could not create or update the schedule; ${consequence}`);
      }
    }
  } catch (error) {
    logger.error(
      { err: error },
      'could not connect to Temporal to ensure the schedules; old notifications are not being deleted and hall admins get no daily digest',
    );
  } finally {
    await connection?.close();
  }
}
