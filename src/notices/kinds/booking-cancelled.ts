import type { BookingDetails } from '../../bookings/details';
import type { NoticeContext, NoticeKind, NoticeMessage, Recipient } from '../kind';
import { NOTHING } from '../kind';
import type { NoticeOf } from '../../contracts/notice';
import {
  bookingEmailCommon,
  bookingEvent,
  bookingLink,
  bookingPhrase,
  calendarPart,
  loadBookingRows,
  recipientById,
} from './booking-rows';

/**
 * Cancelled by a person: the booker (with the calendar cancellation, as only their calendar holds
 * the event) and the venue's hall admins, who were told of the booking, except whoever cancelled.
 * Each hears who cancelled ("you" when it was them) and why.
 */
export const bookingCancelled: NoticeKind<NoticeOf<'cancelled'>> = {
  async plan(context, notice) {
    const rows = await loadBookingRows(context, notice.bookingId, { withHallAdmins: true });
    if (!rows) return NOTHING;
    const { booking } = rows;
    const first = await recipientById(context, rows, notice.recipientId);
    const admins = rows.hallAdmins.filter(
      (admin) => admin.id !== notice.recipientId && admin.id !== booking.cancelled_by,
    );
    const messages = [
      ...(first ? [cancelledMessage(context, booking, first, `booking:${booking.id}:cancelled`)] : []),
      ...admins.map((admin) =>
        cancelledMessage(context, booking, admin, `booking:${booking.id}:cancelled:admin:${admin.id}`),
      ),
    ];
    return { messages, webhook: bookingEvent(context, notice, booking) };
  },
};

function cancelledMessage(
  context: NoticeContext,
  booking: BookingDetails,
  recipient: Recipient,
  key: string,
): NoticeMessage {
  const by = booking.cancelled_by === recipient.id ? 'you' : (booking.cancelled_by_name ?? 'an administrator');
  const reason = booking.cancel_reason ? ` Reason: ${booking.cancel_reason}` : '';
  return {
    key,
    recipient,
    preference: { type: 'booking_cancelled' },
    inApp: {
      type: 'booking_cancelled',
      title: 'Booking cancelled',
      message: `The booking ${bookingPhrase(booking)} was cancelled by ${by}.${reason}`,
      link: bookingLink(booking),
    },
    email: {
      template: 'booking_cancelled',
      compose: async () => ({
        content: {
          ...bookingEmailCommon(booking),
          recipientName: recipient.fullName,
          cancelledByName: by,
          reason: booking.cancel_reason,
          eventDetails: booking.event_details,
        },
        invitation:
          booking.status === 'cancelled' && recipient.id === booking.user_id
            ? await calendarPart(context, booking, 'CANCEL')
            : undefined,
      }),
    },
  };
}
