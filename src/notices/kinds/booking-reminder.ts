import { excuseSilenceAfterBounce } from '../../bookings/lifecycle';
import { formatInstant } from '../../mail/format-time';
import type { NoticeKind } from '../kind';
import { NOTHING } from '../kind';
import type { NoticeOf } from '../../contracts/notice';
import {
  bookingEmailCommon,
  bookingEvent,
  bookingLink,
  bookingPhrase,
  loadBookingRows,
  reminderDeadline,
} from './booking-rows';

/**
 * Confirm you still need it: the booker, once per schedule version, with Confirm and Cancel links
 * bound to that version (and the check-in link where the venue asks for one). It names the
 * deadline stored with the reminder, which a late reminder moves; none when it came too late to hold
 * the booker to one. Not emailed once the booking is confirmed or gone.
 */
export const bookingReminder: NoticeKind<NoticeOf<'reminder'>> = {
  async plan(context, notice) {
    const rows = await loadBookingRows(context, notice.bookingId, { withHallAdmins: false });
    if (!rows) return NOTHING;
    const { booking, booker } = rows;
    const deadline = reminderDeadline(booking, context.config.lifecycle.confirmDeadlineMs);
    const deadlineSentence = deadline
      ? `Confirm you still need it by ${formatInstant(deadline, booking.time_zone)}, or it will be cancelled automatically.`
      : 'This reminder reached you too late to hold you to a deadline: the booking will not be cancelled automatically.';
    return {
      messages: [
        {
          key: `booking:${booking.id}:v${notice.scheduleVersion}:reminder`,
          recipient: booker,
          preference: { type: 'booking_reminder' },
          inApp: {
            type: 'booking_reminder',
            title: 'Confirm you still need it',
            message: `Your booking ${bookingPhrase(booking)} starts soon. ${deadlineSentence}`,
            link: bookingLink(booking),
          },
          // Nobody was asked by email: the booking is not cancelled for silence, and the inbox says so.
          onBounce: async () => {
            if (!(await excuseSilenceAfterBounce(context.sql, booking.id, notice.scheduleVersion, context.now)))
              return null;
            return {
              type: 'booking_reminder',
              title: 'Your reminder email bounced',
              link: bookingLink(booking),
              message: `We could not email you about ${bookingPhrase(booking)}, so it will not be cancelled automatically. Confirm you still need it, or cancel it, on the booking's page, and check your email address in your profile.`,
            };
          },
          email: {
            template: 'booking_reminder',
            compose: async (secrets) => {
              if (booking.status !== 'active' || booking.confirmed) return null;
              // Bound to the schedule this email describes: after a reschedule they act on nothing.
              const link = (action: 'confirm' | 'cancel' | 'check_in', until: Date) =>
                secrets.actionUrl(action, booking.id, booking.user_id, until, booking.schedule_version);
              const checkIn =
                booking.check_in_opens_at && booking.check_in_closes_at
                  ? {
                      url: await link('check_in', booking.check_in_closes_at),
                      opensAt: booking.check_in_opens_at,
                      closesAt: booking.check_in_closes_at,
                    }
                  : null;
              return {
                content: {
                  ...bookingEmailCommon(booking),
                  bookerName: booker.fullName,
                  confirmBy: deadline,
                  confirmUrl: await link('confirm', booking.starts_at),
                  cancelUrl: await link('cancel', booking.starts_at),
                  checkIn,
                },
              };
            },
          },
        },
      ],
      webhook: bookingEvent(context, notice, booking),
    };
  },
};
