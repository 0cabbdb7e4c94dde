import type { Config } from '../config/config';
import type { Queryable } from '../db/sql';
import { venueLocalSlot } from '../db/venue-local-time';
import type { BookingWorkflowInput } from '../contracts/booking-types';
import { workflowTypes } from '../contracts/workflow-types';
import type { LocalSlot } from './local-slot';

// How a booking's lifecycle workflow is started, for both starters: the insert that writes it to the
// outbox, and the start-up reconciliation that restarts a lost one through the client.

/**
 * The workflow type every booking runs. `bookingLifecycleWorkflow` replaced `bookingWorkflow`, whose
 * last runs were restarted as it (`npm run deploy -- restart-retired-bookings bookingWorkflow`)
 * before its code was deleted.
 */
export const BOOKING_WORKFLOW_TYPE = workflowTypes.bookingLifecycleWorkflow;

/** Every type a booking's workflow may have, for visibility queries over running bookings. */
export const BOOKING_WORKFLOW_TYPES = [workflowTypes.bookingLifecycleWorkflow] as const;

/** The one place the booking workflow's input is made. */
export function bookingWorkflowInput(
  bookingId: number,
  lifecycle: Pick<Config['lifecycle'], 'reminderLeadMs' | 'confirmDeadlineMs' | 'emailRetryInitialMs'> &
    Partial<Pick<Config['lifecycle'], 'approvalNudgeMs'>>,
): BookingWorkflowInput {
  return {
    bookingId,
    reminderLeadMs: lifecycle.reminderLeadMs,
    confirmDeadlineMs: lifecycle.confirmDeadlineMs,
    emailRetryInitialMs: lifecycle.emailRetryInitialMs,
    ...(lifecycle.approvalNudgeMs === undefined ? {} : { approvalNudgeMs: lifecycle.approvalNudgeMs }),
  };
}

/** The line the Temporal Web UI lists the workflow under. */
export function bookingSummary(venueName: string, slot: LocalSlot, bookingId: number): string {
  return `${venueName} · ${slot.date} ${slot.startTime.slice(0, 5)}–${slot.endTime.slice(0, 5)} · Booking ${bookingId}`;
}

export interface BookingToReconcile {
  id: number;
  venue_name: string;
  date: string;
  start_time: string;
  end_time: string;
}

/**
 * Active bookings that have not ended and are over a minute old: each should have a running
 * workflow. Younger ones are left to the outbox relay, which is still delivering their start.
 */
export async function listBookingsToReconcile(sql: Queryable): Promise<BookingToReconcile[]> {
  return sql<BookingToReconcile[]>`
    select b.id, v.name as venue_name,
      ${venueLocalSlot(sql, { startsAt: sql`lower(b.during)`, endsAt: sql`upper(b.during)` }, sql`v.time_zone`, 'HH24:MI')}
    from bookings b join venues v on v.id = b.venue_id
    where b.status = 'active' and upper(b.during) > now() and b.created_at < now() - interval '1 minute'`;
}

/**
 * These bookings as `listBookingsToReconcile` lists them, whatever their state: a run restarted as
 * the current workflow type reads its row and takes it from there (a cancelled or completed booking
 * is closed at once, its notices keyed as before so none is sent twice).
 */
export async function listBookingsToRestart(sql: Queryable, ids: readonly number[]): Promise<BookingToReconcile[]> {
  return sql<BookingToReconcile[]>`
    select b.id, v.name as venue_name,
      ${venueLocalSlot(sql, { startsAt: sql`lower(b.during)`, endsAt: sql`upper(b.during)` }, sql`v.time_zone`, 'HH24:MI')}
    from bookings b join venues v on v.id = b.venue_id
    where b.id = any(${ids as number[]})`;
}
