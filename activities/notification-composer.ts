import { findBookingDetails } from '../src/bookings/details';
import type { NewNotification } from '../src/db/notifications';
import { findUser } from '../src/db/users';
import { findVenue } from '../src/db/venues';
import { findWaitlistEntryDetails } from '../src/waitlist/details';
import { formatInstant, formatSlot } from '../src/mail/format-time';
import type { NotificationRequest } from '../workflows/email-types';
import type { ActivityDeps } from './deps';
import type { BookingDetails } from '../src/bookings/details';
import { confirmationDeadline } from '../workflows/booking-policy';

/**
 * Builds an in-app notification from current rows. Null when its subject is gone (a deleted user),
 * so a late step writes nothing rather than failing forever.
 */
export async function composeNotification({ sql, config }: ActivityDeps, { key, notification: spec }: NotificationRequest): Promise<NewNotification | null> {
  switch (spec.kind) {
    case 'user_created': {
      const user = await findUser(sql, spec.userId);
      if (!user) return null;
      return { userId: user.id, type: 'user_created', eventKey: key, title: 'Welcome to BookIT', message: `Your account (${user.email}) is ready. Check your email for your first sign-in password.`, link: '/profile' };
    }
    case 'venue_assigned': {
      const venue = await findVenue(sql, spec.venueId);
      if (!venue) return null;
      return { userId: spec.userId, type: 'venue_assigned', eventKey: key, title: `You now manage ${venue.name}`, message: `You were assigned as a hall admin of ${venue.name}. New bookings there will be sent to you.`, link: `/venues/${venue.id}` };
    }
    case 'booking_confirmed':
    case 'booking_rescheduled':
    case 'booking_reminder':
    case 'booking_auto_cancelled':
    case 'booking_cancelled':
    case 'booking_no_show':
    case 'new_booking': {
      const booking = await findBookingDetails(sql, spec.bookingId);
      if (!booking) return null;
      const slot = formatSlot(booking.starts_at, booking.ends_at, booking.time_zone);
      const what = `"${booking.event_name}" at ${booking.venue_name}, ${slot}`;
      const link = `/bookings/${booking.id}`;
      switch (spec.kind) {
        case 'booking_confirmed':
          return { userId: booking.user_id, type: 'booking_confirmed', eventKey: key, title: 'Booked', message: `You booked ${what}.`, link };
        case 'booking_rescheduled':
          return { userId: booking.user_id, type: 'booking_rescheduled', eventKey: key, title: 'Booking moved', message: `Your booking "${booking.event_name}" at ${booking.venue_name} now takes place ${slot}.`, link };
        case 'booking_reminder':
          return { userId: booking.user_id, type: 'booking_reminder', eventKey: key, title: 'Confirm you still need it', message: `Your booking ${what} starts soon. ${deadlineSentence(booking, config.lifecycle.confirmDeadlineMs)}`, link };
        case 'booking_auto_cancelled':
          return { userId: booking.user_id, type: 'booking_auto_cancelled', eventKey: key, title: 'Booking cancelled automatically', message: `Your booking ${what} was not confirmed in time and has been cancelled. ${booking.auto_cancel_reason ?? ''}`.trim(), link };
        case 'booking_cancelled': {
          const by = booking.cancelled_by === spec.recipientId ? 'you' : (booking.cancelled_by_name ?? 'an administrator');
          const reason = booking.cancel_reason ? ` Reason: ${booking.cancel_reason}` : '';
          return { userId: spec.recipientId, type: 'booking_cancelled', eventKey: key, title: 'Booking cancelled', message: `The booking ${what} was cancelled by ${by}.${reason}`, link };
        }
        case 'new_booking':
          return { userId: spec.adminId, type: 'new_booking', eventKey: key, title: `New booking at ${booking.venue_name}`, message: `${booking.user_name} booked ${what}.`, link };
        case 'booking_no_show': {
          const toBooker = spec.recipientId === booking.user_id;
          const message = toBooker
            ? `Nobody checked in to your booking ${what}, so it was released as a no-show and offered to the waitlist.`
            : `${booking.user_name} did not check in to ${what}; the booking was released as a no-show.`;
          return { userId: spec.recipientId, type: 'booking_no_show', eventKey: key, title: toBooker ? 'Booking released: no check-in' : `No-show at ${booking.venue_name}`, message, link };
        }
      }
    }
    case 'waitlist_slot_available':
    case 'waitlist_offer_expired': {
      const entry = await findWaitlistEntryDetails(sql, spec.entryId);
      if (!entry) return null;
      const slot = formatSlot(entry.starts_at, entry.ends_at, entry.time_zone);
      if (spec.kind === 'waitlist_slot_available') {
        const deadline = entry.offer_expires_at ? ` Claim it before ${formatInstant(entry.offer_expires_at, entry.time_zone)}.` : '';
        return { userId: entry.user_id, type: 'waitlist_slot_available', eventKey: key, title: 'A slot you wanted is free', message: `${entry.venue_name}, ${slot} is available.${deadline}`, link: `/waitlist/${entry.id}` };
      }
      return { userId: entry.user_id, type: 'waitlist_offer_expired', eventKey: key, title: 'Your waitlist offer expired', message: `The offer for ${entry.venue_name}, ${slot} expired and passed to the next person in line.`, link: '/waitlist' };
    }
  }
}

/** What the reminder says of its deadline: the one stored with it, which a late reminder moves. */
function deadlineSentence(booking: BookingDetails, confirmDeadlineMs: number): string {
  const deadline = reminderDeadline(booking, confirmDeadlineMs);
  return deadline
    ? `Confirm you still need it by ${formatInstant(deadline, booking.time_zone)}, or it will be cancelled automatically.`
    : 'This reminder reached you too late to hold you to a deadline: the booking will not be cancelled automatically.';
}

/** The deadline the reminder named, or null when the booking is never cancelled for silence. */
export function reminderDeadline(booking: BookingDetails, confirmDeadlineMs: number): Date | null {
  const timing = { startsAt: booking.starts_at.getTime(), reminderSent: booking.reminder_sent, confirmDeadline: booking.confirm_deadline?.getTime() ?? null };
  const deadline = confirmationDeadline(timing, confirmDeadlineMs);
  return deadline === null ? null : new Date(deadline);
}
