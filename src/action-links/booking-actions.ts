import { bookingFor, cancelBooking, confirmBooking, type ExpectedSchedule } from '../bookings/commands';
import { findBookingDetails, type BookingDetails } from '../bookings/details';
import type { UserRow } from '../users/store';
import { isDomainError, notFound } from '../domain/errors';
import { formatInstant, formatSlot } from '../mail/format-time';
import type { ActionHandler, ActionPage, ActionPrompt, ActionRequest, PageDetail } from './action-handler';

/** The confirm button in the reminder email: the booker keeps the booking from being auto-cancelled. */
export const confirmBookingAction: ActionHandler = {
  async describe(request) {
    const booking = await visibleBooking(request, 'confirm');
    return (
      outdated(request, booking) ??
      confirmSettled(booking) ?? {
        ...page(
          'ok',
          'info',
          'Confirm you still need it',
          `Confirm you still need ${booking.venue_name} on ${whenOf(booking)}.`,
          booking,
        ),
        button: { label: 'Yes, I still need it', tone: 'primary' },
      }
    );
  },

  async perform(request) {
    const { deps, user, targetId } = request;
    const stale = outdated(request, await visibleBooking(request, 'confirm'));
    if (stale) return stale;
    try {
      const { confirmedNow } = await confirmBooking(deps, user, targetId, 'owner', expectedSchedule(request));
      const booking = await reload(request);
      if (!confirmedNow) return outdated(request, booking) ?? alreadyConfirmed(booking);
      return page(
        'ok',
        'success',
        'Attendance confirmed',
        `You confirmed you still need ${booking.venue_name} on ${whenOf(booking)}; the booking will not be cancelled automatically.`,
        booking,
      );
    } catch (error) {
      // Rescheduled, cancelled or over meanwhile: say what became of it rather than repeat the bare conflict.
      if (isConflict(error)) {
        const booking = await reload(request);
        const settled = outdated(request, booking) ?? confirmSettled(booking);
        if (settled) return settled;
      }
      throw error;
    }
  },
};

/** The cancel button in the reminder email: frees the venue at once, as the booker. */
export const cancelBookingAction: ActionHandler = {
  async describe(request) {
    const booking = await visibleBooking(request, 'cancel');
    return (
      outdated(request, booking) ??
      cancelSettled(booking, request.user) ?? {
        ...page(
          'ok',
          'warning',
          'Cancel your booking',
          `Cancel your booking of ${booking.venue_name} on ${whenOf(booking)}? The venue will be offered to others.`,
          booking,
        ),
        button: { label: 'Cancel booking', tone: 'danger' },
      }
    );
  },

  async perform(request) {
    const { deps, user, targetId } = request;
    const current = await visibleBooking(request, 'cancel');
    const settled = outdated(request, current) ?? cancelSettled(current, user);
    if (settled) return settled;
    try {
      await cancelBooking(deps, user, targetId, undefined, expectedSchedule(request));
    } catch (error) {
      // A reschedule, another click, an administrator or the deadline got there first.
      if (isConflict(error)) {
        const booking = await reload(request);
        const raced = outdated(request, booking) ?? cancelSettled(booking, user);
        if (raced) return raced;
      }
      throw error;
    }
    const booking = await reload(request);
    return page(
      'ok',
      'success',
      'Booking cancelled',
      `Your booking of ${booking.venue_name} on ${whenOf(booking)} is cancelled, and the venue is free for others.`,
      booking,
    );
  },
};

/**
 * Links signed before they carried a version were all written for some schedule of the booking;
 * taking them as written for the first means a link whose booking was never moved still works, and
 * one whose booking was moved acts on nothing, as a versioned link would.
 */
const FIRST_SCHEDULE_VERSION = 1;

export function expectedSchedule(request: ActionRequest): ExpectedSchedule {
  return { scheduleVersion: request.scheduleVersion ?? FIRST_SCHEDULE_VERSION };
}

/**
 * The page for a link from an email about an earlier schedule of the booking: its buttons were for
 * a time that no longer holds, so it changes nothing and points to the booking as it is now.
 */
export function outdated(request: ActionRequest, booking: BookingDetails): ActionPrompt | null {
  if (booking.schedule_version === expectedSchedule(request).scheduleVersion) return null;
  return {
    ...page(
      'conflict',
      'warning',
      'This booking has changed',
      'It was rescheduled after this email was sent, so this link no longer applies, and nothing was changed. Here is the booking as it is now.',
      booking,
    ),
    link: { href: `/bookings/${booking.id}`, label: 'See the booking as it is now' },
    button: null,
  };
}

/** The page for a booking confirm can no longer change; null while it can still be confirmed. */
function confirmSettled(booking: BookingDetails): (ActionPage & { button: null }) | null {
  if (booking.status === 'cancelled') {
    const why = booking.auto_cancelled
      ? 'It was cancelled automatically because it was not confirmed in time'
      : 'It was cancelled';
    return {
      ...page(
        'conflict',
        'error',
        'This booking was cancelled',
        `${why}, so it can no longer be confirmed. Book again if you still need the venue.`,
        booking,
      ),
      button: null,
    };
  }
  if (booking.status === 'completed')
    return {
      ...page(
        'conflict',
        'error',
        'This event is over',
        'The booking has already taken place, so there is nothing to confirm.',
        booking,
      ),
      button: null,
    };
  if (booking.confirmed) return { ...alreadyConfirmed(booking), button: null };
  return null;
}

function alreadyConfirmed(booking: BookingDetails): ActionPage {
  const when = booking.confirmed_at ? ` on ${formatInstant(booking.confirmed_at, booking.time_zone)}` : '';
  return page(
    'ok',
    'success',
    'Attendance already confirmed',
    `You already confirmed this booking${when}. There is nothing more to do.`,
    booking,
  );
}

/** The page for a booking cancel can no longer change; null while it is active. */
function cancelSettled(booking: BookingDetails, user: UserRow): (ActionPage & { button: null }) | null {
  if (booking.status === 'cancelled') {
    const at = booking.cancelled_at ? ` on ${formatInstant(booking.cancelled_at, booking.time_zone)}` : '';
    const by = booking.auto_cancelled
      ? ' automatically'
      : booking.cancelled_by === user.id
        ? ' by you'
        : booking.cancelled_by_name
          ? ` by ${booking.cancelled_by_name}`
          : '';
    return {
      ...page(
        'ok',
        'success',
        'Booking already cancelled',
        `This booking was already cancelled${by}${at}. There is nothing more to do.`,
        booking,
      ),
      button: null,
    };
  }
  if (booking.status === 'completed')
    return {
      ...page(
        'conflict',
        'error',
        'This event is over',
        'The booking has already taken place, so it can no longer be cancelled.',
        booking,
      ),
      button: null,
    };
  return null;
}

/** The booking, if this user may act on it as the link says (not_found or forbidden, exactly as the API refuses it). */
export async function visibleBooking(
  { deps, user, targetId }: ActionRequest,
  access: 'confirm' | 'cancel' | 'check_in',
): Promise<BookingDetails> {
  await bookingFor(deps.sql, user, targetId, access);
  return reload({ deps, user, targetId });
}

export async function reload({ deps, targetId }: ActionRequest): Promise<BookingDetails> {
  const booking = await findBookingDetails(deps.sql, targetId);
  if (!booking) throw notFound('Booking');
  return booking;
}

export function page(
  outcome: ActionPage['outcome'],
  tone: ActionPage['tone'],
  title: string,
  message: string,
  booking: BookingDetails,
): ActionPage {
  return {
    outcome,
    tone,
    title,
    message,
    details: detailsOf(booking),
    link: { href: `/bookings/${booking.id}`, label: 'Open this booking in BookIT' },
  };
}

function detailsOf(booking: BookingDetails): PageDetail[] {
  return [
    { label: 'Event', value: booking.event_name },
    { label: 'Venue', value: booking.venue_name },
    { label: 'When', value: whenOf(booking) },
  ];
}

export function whenOf(booking: BookingDetails): string {
  return formatSlot(booking.starts_at, booking.ends_at, booking.time_zone);
}

export function isConflict(error: unknown): boolean {
  return isDomainError(error, 'conflict');
}
