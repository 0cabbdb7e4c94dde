import type { NoticeKind, NoticeMessage } from '../kind';
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

/**
 * Released because nobody checked in by the window's close: the booker (whose calendar loses the
 * event) and each hall admin of the venue. The freed rest goes to the waitlist.
 */
export const bookingNoShow: NoticeKind<NoticeOf<'no_show'>> = {
  async plan(context, notice) {
    const rows = await loadBookingRows(context, notice.bookingId, { withHallAdmins: true });
    if (!rows) return NOTHING;
    const { booking, booker } = rows;
    const what = bookingPhrase(booking);
    const link = bookingLink(booking);
    const recipients = [booker, ...rows.hallAdmins.filter((admin) => admin.id !== booker.id)];
    const messages = recipients.map((recipient): NoticeMessage => {
      const toBooker = recipient.id === booker.id;
      return {
        key: `booking:${booking.id}:no-show:${recipient.id}`,
        recipient,
        preference: { type: 'booking_no_show' },
        inApp: {
          type: 'booking_no_show',
          link,
          title: toBooker ? 'Booking released: no check-in' : `No-show at ${booking.venue_name}`,
          message: toBooker
            ? `Nobody checked in to your booking ${what}, so it was released as a no-show and offered to the waitlist.`
            : `${booker.fullName} did not check in to ${what}; the booking was released as a no-show.`,
        },
        email: {
          template: 'booking_no_show',
          compose: async () => {
            if (!recipient.isActive || !booking.no_show) return null;
            return {
              content: {
                ...bookingEmailCommon(booking),
                recipientName: recipient.fullName,
                toBooker,
                bookerName: booker.fullName,
                closedAt: booking.check_in_closes_at ?? booking.no_show_at ?? booking.starts_at,
                bookingUrl: `${context.baseUrl}${link}`,
              },
              // The booker's calendar holds the event from the invitation: take it out.
              invitation: toBooker ? await calendarPart(context, booking, 'CANCEL') : undefined,
            };
          },
        },
      };
    });
    return { messages, webhook: bookingEvent(context, notice, booking) };
  },
};
