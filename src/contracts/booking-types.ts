import type { LifecycleLeads } from './booking-policy';

export interface BookingWorkflowInput extends LifecycleLeads {
  bookingId: number;
  emailRetryInitialMs: number;
  /** BOOKIT_APPROVAL_NUDGE, for a booking made at a venue that approves its bookings. */
  approvalNudgeMs?: number;
}

export type BookingPhase =
  | 'pending_approval'
  | 'denied'
  | 'awaiting_reminder'
  | 'awaiting_confirmation'
  | 'awaiting_check_in'
  | 'confirmed'
  | 'cancelled'
  | 'auto_cancelled'
  | 'no_show'
  | 'completed';

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

/** What the lifecycle workflow needs to decide its next step; instants as epoch milliseconds. */
export interface BookingLifecycleState {
  id: number;
  userId: number;
  venueId: number;
  venueName: string;
  timeZone: string;
  status: 'active' | 'cancelled' | 'completed';
  startsAt: number;
  endsAt: number;
  scheduleVersion: number;
  reminderSent: boolean;
  /** The deadline the reminder named (epoch ms), null before it went out; absent in states recorded before it was stored. */
  confirmDeadline?: number | null;
  confirmed: boolean;
  autoCancelled: boolean;
  /**
   * The check-in the venue asks of this booking (null when it asks none): when the window closes
   * (never past the end) and whether the booker checked in. Absent in states recorded before check-in
   * existed, which replay as "none".
   */
  checkIn?: { closesAt: number; checkedIn: boolean } | null;
  /** Released because nobody checked in. */
  noShow?: boolean;
  /**
   * An occurrence of a series (null or absent otherwise): the series' own notices tell of it being
   * booked and of it being cancelled with its series, not each occurrence's.
   */
  seriesId?: number | null;
  /** Cancelled with its series ("this and following", "all"). */
  cancelledWithSeries?: boolean;
  /**
   * At a venue that approves its bookings (null or absent otherwise): where the request stands, and
   * its instants (epoch ms) for the approval policy.
   */
  approval?: {
    status: 'pending' | 'approved' | 'denied';
    requestedAt: number;
    deadline: number;
    nudgedAt: number | null;
    escalatedAt: number | null;
  } | null;
}
