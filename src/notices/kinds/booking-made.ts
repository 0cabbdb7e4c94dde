import type { NoticeKind, NoticeMessage } from '../kind';
import { NOTHING } from '../kind';
import type { NoticeOf } from '../../contracts/notice';
import {
  bookingEmailCommon,
  bookingEvent,
  bookingLink,
  bookingPhrase,
  calendarPart,
  lifecycleLeads,
  loadBookingRows,
} from './booking-rows';

/** Booked: the booker hears it with the calendar invitation; each hall admin of the venue gets an alert. */
export const bookingMade: NoticeKind<NoticeOf<'created'>> = {
  async plan(context, notice) {
    const rows = await loadBookingRows(context, notice.bookingId, { withHallAdmins: true });
    if (!rows) return NOTHING;
    const { booking, booker, hallAdmins } = rows;
    const link = bookingLink(booking);
    const what = bookingPhrase(booking);
    const url = `${context.baseUrl}${link}`;
    const toBooker: NoticeMessage = {
      key: `booking:${booking.id}:created`,
      recipient: booker,
      preference: { type: 'booking_confirmed' },
      inApp: { type: 'booking_confirmed', title: 'Booked', message: `You booked ${what}.`, link },
      email: {
        template: 'booking_confirmed',
        compose: async () => ({
          content: {
            ...bookingEmailCommon(booking),
            bookerName: booker.fullName,
            bookingId: booking.id,
            bookingUrl: url,
            ...lifecycleLeads(context),
          },
          invitation: booking.status === 'active' ? await calendarPart(context, booking, 'REQUEST') : undefined,
        }),
      },
    };
    const alerts = hallAdmins.map(
      (admin): NoticeMessage => ({
        key: `booking:${booking.id}:new:admin:${admin.id}`,
        recipient: admin,
        preference: { type: 'new_booking', venueId: booking.venue_id },
        inApp: {
          type: 'new_booking',
          title: `New booking at ${booking.venue_name}`,
          message: `${booker.fullName} booked ${what}.`,
          link,
        },
        email: {
          template: 'hall_admin_new_booking',
          compose: async () => ({
            content: {
              ...bookingEmailCommon(booking),
              adminName: admin.fullName,
              bookerName: booker.fullName,
              bookerEmail: booker.email,
              eventDetails: booking.event_details,
              bookingUrl: url,
            },
          }),
        },
      }),
    );
    return { messages: [toBooker, ...alerts], webhook: bookingEvent(context, notice, booking) };
  },
};
