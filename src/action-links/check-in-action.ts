import { checkInBooking } from '../bookings/check-in';
import type { BookingDetails } from '../bookings/details';
import { formatInstant } from '../mail/format-time';
import type { ActionHandler, ActionPage } from './action-handler';
import { expectedSchedule, isConflict, outdated, page, reload, visibleBooking, whenOf } from './booking-actions';

/** The check-in button in the reminder email, for a venue that asks for check-in. */
export const checkInBookingAction: ActionHandler = {
  async describe(request) {
    const booking = await visibleBooking(request, 'check_in');
    return (
      outdated(request, booking) ??
      checkInSettled(booking, new Date()) ?? {
        ...page(
          'ok',
          'info',
          'Check in',
          `Check in to your booking of ${booking.venue_name} on ${whenOf(booking)}, so it is not released as a no-show.`,
          booking,
        ),
        button: { label: 'Check in', tone: 'primary' },
      }
    );
  },

  async perform(request) {
    const current = await visibleBooking(request, 'check_in');
    const settled = outdated(request, current) ?? checkInSettled(current, new Date());
    if (settled) return settled;
    try {
      await checkInBooking(request.deps, request.user, request.targetId, expectedSchedule(request));
    } catch (error) {
      // The window closed, the booking moved or was cancelled while the page was open.
      if (isConflict(error)) {
        const booking = await reload(request);
        const raced = outdated(request, booking) ?? checkInSettled(booking, new Date());
        if (raced) return raced;
      }
      throw error;
    }
    const booking = await reload(request);
    return page(
      'ok',
      'success',
      'You are checked in',
      `You are checked in to ${booking.venue_name} on ${whenOf(booking)}. Enjoy the event.`,
      booking,
    );
  },
};

/** The page when check-in cannot be done (or is done) now; null while the window is open. */
function checkInSettled(booking: BookingDetails, now: Date): (ActionPage & { button: null }) | null {
  const closed = (title: string, message: string) => ({
    ...page('conflict', 'error', title, message, booking),
    button: null,
  });
  if (booking.checked_in_at) {
    return {
      ...page(
        'ok',
        'success',
        'Already checked in',
        `You checked in on ${formatInstant(booking.checked_in_at, booking.time_zone)}. There is nothing more to do.`,
        booking,
      ),
      button: null,
    };
  }
  if (booking.no_show)
    return closed(
      'Released as a no-show',
      'Nobody checked in before the check-in window closed, so the booking was released.',
    );
  if (booking.status === 'cancelled') return closed('This booking was cancelled', 'It can no longer be checked in to.');
  if (booking.status === 'completed') return closed('This event is over', 'There is nothing to check in to.');
  if (!booking.check_in_opens_at || !booking.check_in_closes_at)
    return closed('No check-in needed', 'This venue does not ask for check-in.');
  if (now < booking.check_in_opens_at) {
    return {
      ...page(
        'conflict',
        'info',
        'Check-in is not open yet',
        `Check-in opens at ${formatInstant(booking.check_in_opens_at, booking.time_zone)}. Open this link again then.`,
        booking,
      ),
      button: null,
    };
  }
  if (now >= booking.check_in_closes_at)
    return closed(
      'Check-in has closed',
      `The window closed at ${formatInstant(booking.check_in_closes_at, booking.time_zone)}.`,
    );
  return null;
}
