import type { LifecycleLeads } from './booking-policy';

export interface BookingWorkflowInput extends LifecycleLeads {
  bookingId: number;
  emailRetryInitialMs: number;
}

export type BookingPhase =
  | 'awaiting_reminder' | 'awaiting_confirmation' | 'awaiting_check_in' | 'confirmed' | 'cancelled' | 'auto_cancelled' | 'no_show' | 'completed';

/** What the `state` query answers, for operators and tests. */
export interface BookingWorkflowState {
  bookingId: number;
  phase: BookingPhase;
  /** ISO instant of the next timer, or null when none is armed. */
  nextDeadline: string | null;
  nextStep: string | null;
  scheduleVersion: number | null;
  startsAt: string | null;
  endsAt: string | null;
}
