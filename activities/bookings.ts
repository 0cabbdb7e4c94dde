import {
  autoCancelUnconfirmed,
  decideApprovalByDefault,
  findLifecycleState,
  markApprovalChased,
  markCompleted,
  markReminderSent,
  releaseNoShow,
} from '../src/bookings/lifecycle';
import type { BookingLifecycleState } from '../src/contracts/booking-types';
import type { ActivityDeps } from './deps';

export const AUTO_CANCEL_REASON = 'Not confirmed before the confirmation deadline';
export const NO_SHOW_REASON = 'Nobody checked in before the check-in window closed (no-show)';

/**
 * The booking workflow's reads and conditional updates. Instants come from the workflow (its
 * clock decides when things are due), so records match the policy's instants exactly.
 */
export function bookingActivities({ sql, logger, config }: ActivityDeps) {
  /** False when a confirm (or a cancel, or a move) committed first: then nothing changes. */
  async function autoCancelBooking(bookingId: number, scheduleVersion: number, atMs: number): Promise<boolean> {
    const cancelled = await autoCancelUnconfirmed(sql, bookingId, scheduleVersion, new Date(atMs), AUTO_CANCEL_REASON);
    if (cancelled) logger.info({ bookingId }, 'booking auto-cancelled');
    return cancelled;
  }

  return {
    async loadBookingState(bookingId: number): Promise<BookingLifecycleState | null> {
      return (await findLifecycleState(sql, bookingId)) ?? null;
    },

    // The lifecycle's steps as one local activity each: the conditional update, then the row as it
    // now stands, so the workflow decides its next step without a second read.

    /** Marks the reminder sent for this timing of the booking (a no-op when it no longer applies). */
    async remindBooking(
      bookingId: number,
      scheduleVersion: number,
      atMs: number,
    ): Promise<BookingLifecycleState | null> {
      await markReminderSent(sql, bookingId, scheduleVersion, new Date(atMs), config.lifecycle);
      return (await findLifecycleState(sql, bookingId)) ?? null;
    },

    /** Auto-cancels an unconfirmed booking at its deadline and frees its slot for the waitlist. */
    async autoCancelUnconfirmedBooking(
      bookingId: number,
      scheduleVersion: number,
      atMs: number,
    ): Promise<BookingLifecycleState | null> {
      await autoCancelBooking(bookingId, scheduleVersion, atMs);
      return (await findLifecycleState(sql, bookingId)) ?? null;
    },

    /** Releases a booking nobody checked in to once its window closed; its remaining time goes to the waitlist. */
    async releaseNoShowBooking(
      bookingId: number,
      scheduleVersion: number,
      atMs: number,
    ): Promise<BookingLifecycleState | null> {
      if (await releaseNoShow(sql, bookingId, scheduleVersion, new Date(atMs), NO_SHOW_REASON))
        logger.info({ bookingId }, 'booking released as a no-show');
      return (await findLifecycleState(sql, bookingId)) ?? null;
    },

    /** Records that a pending request's admins were nudged (or the super admins told); once each. */
    async chaseApproval(
      bookingId: number,
      stage: 'nudged' | 'escalated',
      atMs: number,
    ): Promise<BookingLifecycleState | null> {
      await markApprovalChased(sql, bookingId, stage, new Date(atMs));
      return (await findLifecycleState(sql, bookingId)) ?? null;
    },

    /** A request undecided at its deadline takes the venue's default (a denial frees the slot for the waitlist). */
    async decideApprovalAtDeadline(bookingId: number, atMs: number): Promise<BookingLifecycleState | null> {
      if (await decideApprovalByDefault(sql, bookingId, new Date(atMs)))
        logger.info({ bookingId }, "approval request decided by the venue's default");
      return (await findLifecycleState(sql, bookingId)) ?? null;
    },

    async completeEndedBooking(bookingId: number, atMs: number): Promise<BookingLifecycleState | null> {
      await markCompleted(sql, bookingId, new Date(atMs));
      return (await findLifecycleState(sql, bookingId)) ?? null;
    },
  };
}
