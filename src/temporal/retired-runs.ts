import type { Config } from '../config/config';
import type { Sql } from '../db/sql';
import {
  BOOKING_WORKFLOW_TYPE,
  bookingSummary,
  bookingWorkflowInput,
  listBookingsToRestart,
} from '../bookings/workflow-start';
import type { TemporalGateway } from './client';
import { bookingWorkflowId } from './workflow-ids';

/** The booking ids of running booking workflows of `type` (their ids are `booking-<id>`). */
export async function runningBookingsOfType(temporal: TemporalGateway, type: string): Promise<number[]> {
  const ids: number[] = [];
  for await (const run of temporal.client.workflow.list({
    query: `WorkflowType = "${type}" AND ExecutionStatus = "Running"`,
  })) {
    const id = /^booking-(\d+)$/.exec(run.workflowId)?.[1];
    if (id) ids.push(Number(id));
  }
  return ids.sort((a, b) => a - b);
}

/**
 * The last step before a retired booking workflow type's code is deleted, for runs that would
 * otherwise keep it for months: each running one is terminated and the booking's workflow started
 * again as the current type, from its row. The workflow decides from the row alone and every notice
 * is keyed by the booking (and its schedule version), so the new run sends only what the old one
 * had not (a reminder due, a cancellation notice), never a second copy.
 */
export async function restartAsCurrentType(
  { sql, temporal, config }: { sql: Sql; temporal: TemporalGateway; config: Config },
  retiredType: string,
  bookingIds: readonly number[],
  identity: string,
): Promise<number[]> {
  const rows = new Map((await listBookingsToRestart(sql, bookingIds)).map((row) => [row.id, row]));
  const restarted: number[] = [];
  for (const id of bookingIds) {
    const handle = temporal.client.workflow.getHandle(bookingWorkflowId(id));
    const { type, status } = await handle.describe();
    if (type !== retiredType || status.name !== 'RUNNING') continue;
    await handle.terminate(`${retiredType} is retired; restarted as ${BOOKING_WORKFLOW_TYPE} by ${identity}`);
    const row = rows.get(id);
    if (!row) continue;
    await temporal.client.workflow.start(BOOKING_WORKFLOW_TYPE, {
      workflowId: bookingWorkflowId(id),
      taskQueue: temporal.taskQueue,
      args: [bookingWorkflowInput(id, config.lifecycle)],
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      staticSummary: bookingSummary(
        row.venue_name,
        { date: row.date, startTime: row.start_time, endTime: row.end_time },
        id,
      ),
    });
    restarted.push(id);
  }
  return restarted;
}
