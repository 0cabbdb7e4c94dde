import type { NoticeKind } from '../kind';
import { NOTHING } from '../kind';
import type { NoticeOf } from '../../contracts/notice';
import {
  bookingEmailCommon,
  bookingEvent,
  bookingLink,
  bookingPhrase,
  calendarPart,
  loadBookingRows,
} from './booking-rows';

/** Cancelled for silence at its deadline: the booker, with the calendar cancellation and a link to book again. */
export const bookingAutoCancelled: NoticeKind<NoticeOf<'auto_cancelled'>> = {
  async plan(context, notice) {
    const rows = await loadBookingRows(context, notice.bookingId, { withHallAdmins: false });
    if (!rows) return NOTHING;
    const { booking, booker } = rows;
    const reason = booking.auto_cancel_reason ?? 'The booking was not confirmed in time.';
    return {
      messages: [
        {
          key: `booking:${booking.id}:auto-cancelled`,
          recipient: booker,
          preference: { type: 'booking_auto_cancelled' },
          inApp: {
            type: 'booking_auto_cancelled',
            title: 'Booking cancelled automatically',
            link: bookingLink(booking),
            message:
              `Your booking ${bookingPhrase(booking)} was not confirmed in time and has been cancelled. ${booking.auto_cancel_reason ?? ''}`.trim(),
          },
          email: {
            template: 'booking_auto_cancelled',
            compose: async () => ({
              content: {
                ...bookingEmailCommon(booking),
                bookerName: booker.fullName,
                reason,
                bookAgainUrl: `${context.baseUrl}/book`,
              },
              // The booker's calendar holds the event from the invitation: take it out.
              invitation: booking.status === 'cancelled' ? await calendarPart(context, booking, 'CANCEL') : undefined,
            }),
          },
        },
      ],
      webhook: bookingEvent(context, notice, booking),
    };
  },
};
