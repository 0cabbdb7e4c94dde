import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Config } from '../config/config';
import { undeliveredWorkflowIds } from '../db/outbox';
import type { Sql } from '../db/sql';
import type { Logger } from '../log/logger';
import {
  BOOKING_WORKFLOW_TYPE,
  BOOKING_WORKFLOW_TYPES,
  bookingSummary,
  bookingWorkflowInput,
  listBookingsToReconcile,
} from '../bookings/workflow-start';
import type { TemporalGateway } from './client';
import { bookingWorkflowId } from './workflow-ids';

/**
 * Start-up safety net: every active booking that has not ended should have a running workflow.
 * Lists running booking workflows once through visibility, then starts any that are missing
 * (a workflow terminated by hand, or one lost with a wiped Temporal database). Bookings whose start
 * is still in the outbox, or that are only seconds old, are left to the relay.
 */
export async function reconcileBookingWorkflows({
  sql,
  temporal,
  config,
  logger,
}: {
  sql: Sql;
  temporal: TemporalGateway;
  config: Config;
  logger: Logger;
}): Promise<{ active: number; started: number }> {
  const running = new Set<string>();
  const types = BOOKING_WORKFLOW_TYPES.map((type) => `WorkflowType = '${type}'`).join(' OR ');
  for await (const execution of temporal.client.workflow.list({
    query: `(${types}) AND ExecutionStatus = 'Running'`,
  })) {
    running.add(execution.workflowId);
  }
  const active = await listBookingsToReconcile(sql);
  const awaitingRelay = await undeliveredWorkflowIds(
    sql,
    active.map((booking) => bookingWorkflowId(booking.id)),
  );
  const candidates = active.filter((booking) => !awaitingRelay.has(bookingWorkflowId(booking.id)));
  let started = 0;
  for (const booking of candidates) {
    const workflowId = bookingWorkflowId(booking.id);
    if (running.has(workflowId)) continue;
    try {
      await temporal.client.workflow.start(BOOKING_WORKFLOW_TYPE, {
        workflowId,
        taskQueue: temporal.taskQueue,
        args: [bookingWorkflowInput(booking.id, config.lifecycle)],
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        staticSummary: bookingSummary(
          booking.venue_name,
          { date: booking.date, startTime: booking.start_time, endTime: booking.end_time },
          booking.id,
        ),
      });
      started++;
      logger.warn({ bookingId: booking.id }, 'booking had no running workflow; started one');
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }
  return { active: candidates.length, started };
}

/** Runs the reconciliation once Temporal answers, without holding up start-up. */
export function reconcileInBackground(deps: {
  sql: Sql;
  temporal: TemporalGateway;
  config: Config;
  logger: Logger;
}): void {
  void (async () => {
    for (let attempt = 0; attempt < 60; attempt++) {
      if (await deps.temporal.isReachable(2_000)) {
        try {
          const result = await reconcileBookingWorkflows(deps);
          deps.logger.info(result, 'booking workflows reconciled');
        } catch (error) {
          deps.logger.warn({ err: error }, 'booking workflow reconciliation failed');
        }
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 5_000));
    }
  })();
}
