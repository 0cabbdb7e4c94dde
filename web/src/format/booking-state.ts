import type { Booking } from '../api/types';
import { formatInstant, formatSlot, formatWallSlot, instantOfWallTime } from './zoned-time';

/** The booking's slot in its venue's zone, named. The instants are preferred: they are exact across DST. */
export function bookingSlot(booking: Booking): string {
  if (booking.starts_at && booking.ends_at)
    return formatSlot(new Date(booking.starts_at), new Date(booking.ends_at), booking.time_zone);
  return formatWallSlot(booking.date, booking.start_time, booking.end_time, booking.time_zone);
}

/** When the slot starts, as an instant (from starts_at, or from the venue-local date and time). */
export const bookingStart = (booking: Booking): Date =>
  booking.starts_at
    ? new Date(booking.starts_at)
    : instantOfWallTime(booking.date, booking.start_time, booking.time_zone);

/**
 * The booking's state in words. `viewerId` tells "you" from the booker or an administrator.
 */
export function bookingState(booking: Booking, viewerId: number): string {
  if (booking.status === 'completed') return 'Completed';
  if (booking.approval_status === 'pending' && booking.status === 'active') {
    const by = booking.approval_deadline
      ? `, decided by ${formatInstant(new Date(booking.approval_deadline), booking.time_zone)}`
      : '';
    return `Waiting for approval by ${booking.venue_name}'s staff${by}`;
  }
  if (booking.status === 'cancelled') {
    if (booking.approval_status === 'denied')
      return booking.approval_reason ? `Not approved: ${booking.approval_reason}` : 'Not approved';
    if (booking.no_show) return 'Released as a no-show';
    if (booking.auto_cancelled) return 'Cancelled automatically: not confirmed in time';
    const who =
      booking.cancelled_by === viewerId
        ? 'you'
        : booking.cancelled_by === booking.user
          ? 'the booker'
          : 'an administrator';
    return booking.cancel_reason ? `Cancelled by ${who}: ${booking.cancel_reason}` : `Cancelled by ${who}`;
  }
  if (booking.confirmed) return 'Attendance confirmed';
  const deadline = booking.confirm_by
    ? ` — confirm you still need it by ${formatInstant(new Date(booking.confirm_by), booking.time_zone)}`
    : '';
  if (booking.reminder_email_bounced_at)
    return 'Booked — your reminder email bounced, so it will not be cancelled automatically: confirm here that you still need it';
  if (booking.reminder_sent && !booking.confirm_by) return 'Booked — reminded too late to be cancelled automatically';
  return booking.reminder_sent ? `Booked, reminder sent${deadline}` : `Booked${deadline}`;
}

/** Active and not yet confirmed: the booker may confirm, an administrator override the auto-cancel. */
export const awaitsConfirmation = (booking: Booking) =>
  booking.status === 'active' && !booking.confirmed && booking.approval_status !== 'pending';
