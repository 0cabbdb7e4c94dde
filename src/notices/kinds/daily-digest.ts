import { adminDayAgenda } from '../../bookings/day-agenda';
import { findUser } from '../../users/store';
import { confirmationDeadline } from '../../contracts/booking-policy';
import { dailyDigestEmailKey } from '../../contracts/daily-digest-types';
import type { NoticeKind } from '../kind';
import { NOTHING } from '../kind';
import type { NoticeOf } from '../../contracts/notice';

/**
 * A hall admin's bookings of one venue-local day at their venues in one zone, by email, read when it
 * is sent (a booking cancelled since 07:00 is left out), each with its state and the deadline its
 * reminder named. Not sent when nothing is left that day or the admin was deactivated.
 */
export const dailyDigest: NoticeKind<NoticeOf<'daily_digest'>> = {
  async plan(context, notice) {
    const admin = await findUser(context.sql, notice.adminId);
    if (!admin) return NOTHING;
    const digest = { adminId: admin.id, timeZone: notice.timeZone, localDate: notice.localDate };
    const key = dailyDigestEmailKey(digest);
    const { confirmDeadlineMs } = context.config.lifecycle;
    return {
      messages: [
        {
          key,
          recipient: { id: admin.id, email: admin.email, fullName: admin.full_name, isActive: admin.is_active },
          preference: { type: 'daily_digest' },
          inApp: null,
          email: {
            template: 'daily_digest',
            compose: async () => {
              if (!admin.is_active) return null;
              const agenda = await adminDayAgenda(context.sql, digest);
              if (agenda.length === 0) return null;
              return {
                content: {
                  adminName: admin.full_name,
                  localDate: digest.localDate,
                  timeZone: digest.timeZone,
                  bookings: agenda.map((booking) => {
                    const deadline = booking.confirmed
                      ? null
                      : confirmationDeadline(
                          {
                            startsAt: booking.starts_at.getTime(),
                            reminderSent: booking.reminder_sent,
                            confirmDeadline: booking.confirm_deadline?.getTime() ?? null,
                          },
                          confirmDeadlineMs,
                        );
                    return {
                      venueName: booking.venue_name,
                      eventName: booking.event_name,
                      bookerName: booking.booker_name,
                      slot: { start: booking.starts_at, end: booking.ends_at, timeZone: digest.timeZone },
                      confirmed: booking.confirmed,
                      confirmBy: deadline === null ? null : new Date(deadline),
                    };
                  }),
                  // The web app's page of the venues an admin runs, as the venue-assigned email links it.
                  bookingsUrl: `${context.baseUrl}/venue-bookings`,
                },
              };
            },
          },
        },
      ],
      webhook: {
        id: key,
        type: 'digest.daily',
        occurredAt: context.now.toISOString(),
        data: { user_id: admin.id, time_zone: digest.timeZone, local_date: digest.localDate },
      },
    };
  },
};
