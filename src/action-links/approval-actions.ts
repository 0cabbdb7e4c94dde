import { approveBooking, denyBooking } from '../bookings/approvals';
import type { BookingDetails } from '../bookings/details';
import { notFound } from '../domain/errors';
import { formatInstant } from '../mail/format-time';
import { administersVenue } from '../venues/store';
import type { ActionHandler, ActionPage, ActionRequest } from './action-handler';
import { isConflict, page, reload, whenOf } from './booking-actions';

// The Approve and Deny buttons in a request's email to its venue's staff. GET shows the request and
// one button; POST decides, as the API's approve and deny do (the same permission: the venue's admins).

/** The page when the request was decided already (by someone, or by the deadline's default); null while it waits. */
function decided(booking: BookingDetails): (ActionPage & { button: null }) | null {
  if (booking.approval_status === 'pending' && booking.status === 'active') return null;
  const at = booking.approval_decided_at ? ` on ${formatInstant(booking.approval_decided_at, booking.time_zone)}` : '';
  if (booking.approval_status === 'approved')
    return {
      ...page(
        'ok',
        'success',
        'Already approved',
        `This request was approved${at}. There is nothing more to do.`,
        booking,
      ),
      button: null,
    };
  if (booking.approval_status === 'denied')
    return {
      ...page(
        'ok',
        'success',
        'Already denied',
        `This request was denied${at}${booking.approval_reason ? `: ${booking.approval_reason}` : ''}.`,
        booking,
      ),
      button: null,
    };
  return {
    ...page(
      'conflict',
      'error',
      'No longer waiting',
      'The booking was cancelled, so there is nothing to decide.',
      booking,
    ),
    button: null,
  };
}

function decision(kind: 'approve' | 'deny'): ActionHandler {
  const act = (request: ActionRequest) =>
    kind === 'approve'
      ? approveBooking(request.deps.sql, request.user, request.targetId)
      : denyBooking(request.deps.sql, request.user, request.targetId, "Denied by the venue's staff");
  return {
    async describe(request) {
      const booking = await visible(request);
      const deadline = booking.approval_deadline
        ? ` Undecided by ${formatInstant(booking.approval_deadline, booking.time_zone)}, the venue's default applies.`
        : '';
      return (
        decided(booking) ?? {
          ...page(
            'ok',
            'info',
            kind === 'approve' ? 'Approve this booking?' : 'Deny this booking?',
            `${booking.user_name} asks to book ${booking.venue_name} on ${whenOf(booking)} for "${booking.event_name}".${deadline}`,
            booking,
          ),
          button: kind === 'approve' ? { label: 'Approve', tone: 'primary' } : { label: 'Deny', tone: 'danger' },
        }
      );
    },
    async perform(request) {
      const current = await visible(request);
      const settled = decided(current);
      if (settled) return settled;
      try {
        await act(request);
      } catch (error) {
        if (isConflict(error)) {
          const raced = decided(await reload(request));
          if (raced) return raced;
        }
        throw error;
      }
      const booking = await reload(request);
      return kind === 'approve'
        ? page(
            'ok',
            'success',
            'Approved',
            `${booking.user_name}'s booking of ${booking.venue_name} on ${whenOf(booking)} is approved; they are told now.`,
            booking,
          )
        : page(
            'ok',
            'success',
            'Denied',
            `${booking.user_name}'s request is denied; they are told, and the slot is offered to anyone waiting.`,
            booking,
          );
    },
  };
}

/** The booking, when this user may decide on it (the same refusal as the API's). */
async function visible(request: ActionRequest): Promise<BookingDetails> {
  const booking = await reload(request);
  if (!(await administersVenue(request.deps.sql, request.user, booking.venue_id))) throw notFound('Booking');
  return booking;
}

export const approveBookingAction = decision('approve');
export const denyBookingAction = decision('deny');
