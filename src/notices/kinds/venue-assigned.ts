import { findUser } from '../../users/store';
import { findVenue } from '../../venues/store';
import type { NoticeKind } from '../kind';
import { NOTHING } from '../kind';
import type { NoticeOf } from '../../contracts/notice';

/** A hall admin assigned to a venue: told once per assignment, with a link to the venue's bookings. */
export const venueAssigned: NoticeKind<NoticeOf<'venue_assigned'>> = {
  async plan(context, notice) {
    const [user, venue] = await Promise.all([
      findUser(context.sql, notice.userId),
      findVenue(context.sql, notice.venueId),
    ]);
    if (!user || !venue) return NOTHING;
    const key = `venue:${venue.id}:admin:${user.id}:${notice.assignmentId}`;
    return {
      messages: [
        {
          key,
          recipient: { id: user.id, email: user.email, fullName: user.full_name, isActive: user.is_active },
          preference: { type: 'venue_assigned' },
          inApp: {
            type: 'venue_assigned',
            title: `You now manage ${venue.name}`,
            message: `You were assigned as a hall admin of ${venue.name}. New bookings there will be sent to you.`,
            link: `/venues/${venue.id}`,
          },
          email: {
            template: 'venue_assigned',
            compose: async () =>
              user.is_active
                ? {
                    content: {
                      adminName: user.full_name,
                      venueName: venue.name,
                      location: venue.location,
                      venueBookingsUrl: `${context.baseUrl}/venue-bookings`,
                    },
                  }
                : null,
          },
        },
      ],
      webhook: {
        id: key,
        type: 'venue.admin_assigned',
        occurredAt: context.now.toISOString(),
        data: { user_id: user.id, venue_id: venue.id },
      },
    };
  },
};
