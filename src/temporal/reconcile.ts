import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Config } from '../config/config';
import type { Sql } from '../db/sql';
import type { Logger } from '../log/logger';
import { bookingSummary } from '../bookings/commands';
import type { BookingWorkflowInput } from '../../workflows/booking-types';
import type { TemporalGateway } from './client';
import { bookingWorkflowId } from './workflow-ids';

/**
 * Start-up safety net: every active booking that has not ended should have a running workflow.
 * Lists running booking workflows once through visibility, then starts any that are missing
 * (a workflow terminated by hand, or one lost with a wiped Temporal database). Bookings whose start
 * is still in the outbox, or that are only seconds old, are left to the relay.
 */
export async function reconcileBookingWorkflows({ sql, temporal, config, logger }: { sql: Sql; temporal: TemporalGateway; config: Config; logger: Logger }): Promise<{ active: number; started: number }> {
  const running = new Set<string>();
  for await (const execution of temporal.client.workflow.list({ query: `WorkflowType = 'bookingWorkflow' AND ExecutionStatus = 'Running'` })) {
    running.add(execution.workflowId);
  }
  const candidates = await sql<{ id: number; venue_name: string; date: string; start_time: string; end_time: string }[]>`
    select b.id, v.name as venue_name,
      to_char(lower(b.during) at time zone v.time_zone, 'YYYY-MM-DD') as date,
      to_char(lower(b.during) at time zone v.time_zone, 'HH24:MI') as start_time,
      to_char(upper(b.during) at time zone v.time_zone, 'HH24:MI') as end_time
    from bookings b join venues v on v.id = b.venue_id
    where b.status = 'active' and upper(b.during) > now() and b.created_at < now() - interval '1 minute'
      and not exists (select 1 from outbox o where o.workflow_id = 'booking-' || b.id and o.delivered_at is null)`;
  let started = 0;
  for (const booking of candidates) {
    const workflowId = bookingWorkflowId(booking.id);
    if (running.has(workflowId)) continue;
    const input: BookingWorkflowInput = {
      bookingId: booking.id,
      reminderLeadMs: config.lifecycle.reminderLeadMs,
      confirmDeadlineMs: config.lifecycle.confirmDeadlineMs,
      emailRetryInitialMs: config.lifecycle.emailRetryInitialMs,
    };
    try {
      await temporal.client.workflow.start('bookingWorkflow', {
        workflowId,
        taskQueue: temporal.taskQueue,
        args: [input],
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        staticSummary: bookingSummary(booking.venue_name, { date: booking.date, startTime: booking.start_time, endTime: booking.end_time }, booking.id),
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
export function reconcileInBackground(deps: { sql: Sql; temporal: TemporalGateway; config: Config; logger: Logger }): void {
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
