import { releaseSlot } from '../src/bookings/slot-release';
import { autoCancel, findLifecycleState, markCompleted, markReminderSent, type BookingLifecycleState } from '../src/db/bookings';
import { venueAdminIds } from '../src/db/venues';
import type { ActivityDeps } from './deps';

export const AUTO_CANCEL_REASON = 'Not confirmed before the confirmation deadline';

/**
 * The booking workflow's reads and conditional updates. Instants come from the workflow (its
 * clock decides when things are due), so records match the policy's instants exactly.
 */
export function bookingActivities({ sql, logger }: ActivityDeps) {
  return {
    async loadBookingState(bookingId: number): Promise<BookingLifecycleState | null> {
      return (await findLifecycleState(sql, bookingId)) ?? null;
    },

    async listVenueAdminIds(venueId: number): Promise<number[]> {
      return venueAdminIds(sql, venueId);
    },

    async recordReminderSent(bookingId: number, scheduleVersion: number, atMs: number): Promise<boolean> {
      return markReminderSent(sql, bookingId, scheduleVersion, new Date(atMs));
    },

    /** False when a confirm (or a cancel, or a move) committed first: then nothing changes. */
    async autoCancelBooking(bookingId: number, scheduleVersion: number, atMs: number): Promise<boolean> {
      return sql.begin(async (tx) => {
        const freed = await autoCancel(tx, bookingId, scheduleVersion, new Date(atMs), AUTO_CANCEL_REASON);
        if (!freed) return false;
        await releaseSlot(tx, freed);
        logger.info({ bookingId }, 'booking auto-cancelled');
        return true;
      }) as Promise<boolean>;
    },

    async completeBooking(bookingId: number, atMs: number): Promise<boolean> {
      return markCompleted(sql, bookingId, new Date(atMs));
    },
  };
}
