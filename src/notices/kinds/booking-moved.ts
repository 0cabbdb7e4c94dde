import { formatSlot } from '../../mail/format-time';
import type { NoticeKind } from '../kind';
import { NOTHING } from '../kind';
import type { NoticeOf } from '../../contracts/notice';
import {
  bookingEmailCommon,
  bookingEvent,
  bookingLink,
  calendarPart,
  lifecycleLeads,
  loadBookingRows,
} from './booking-rows';

/**
 * Moved: the booker, once per schedule version, with the invitation's SEQUENCE bumped so their
 * calendar moves the event. Not emailed once it moved again or was cancelled: the later notice tells.
 * A date moved with its series is told by the series' notice, once for all its dates.
 */
export const bookingMoved: NoticeKind<NoticeOf<'rescheduled'>> = {
  async plan(context, notice) {
    const rows = await loadBookingRows(context, notice.bookingId, { withHallAdmins: false });
    if (!rows) return NOTHING;
    const { booking, booker } = rows;
    if (booking.moved_with_series_version === notice.scheduleVersion) return NOTHING;
    const link = bookingLink(booking);
    return {
      messages: [
        {
          key: `booking:${booking.id}:v${notice.scheduleVersion}:rescheduled`,
          recipient: booker,
          preference: { type: 'booking_rescheduled' },
          inApp: {
            type: 'booking_rescheduled',
            title: 'Booking moved',
            link,
            message: `Your booking "${booking.event_name}" at ${booking.venue_name} now takes place ${formatSlot(booking.starts_at, booking.ends_at, booking.time_zone)}.`,
          },
          email: {
            template: 'booking_rescheduled',
            compose: async () => {
              if (booking.status !== 'active' || booking.schedule_version !== notice.scheduleVersion) return null;
              return {
                content: {
                  ...bookingEmailCommon(booking),
                  bookerName: booker.fullName,
                  bookingId: booking.id,
                  bookingUrl: `${context.baseUrl}${link}`,
                  ...lifecycleLeads(context),
                },
                invitation: await calendarPart(context, booking, 'REQUEST'),
              };
            },
          },
        },
      ],
      webhook: bookingEvent(context, notice, booking),
    };
  },
};
