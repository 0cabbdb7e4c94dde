import type { Queryable } from '../db/sql';
import type { BookingDetails } from './details';

/** What a calendar event says of a booking (a BookingDetails is one). */
export type CalendarBooking = Pick<
  BookingDetails,
  | 'id'
  | 'status'
  | 'schedule_version'
  | 'event_name'
  | 'event_details'
  | 'venue_name'
  | 'venue_location'
  | 'time_zone'
  | 'starts_at'
  | 'ends_at'
  | 'user_name'
  | 'user_email'
  | 'series_id'
>;

/** Whose bookings a calendar feed shows: one booker's, or one venue's. */
export type CalendarScope = { userId: number } | { venueId: number };

/** A feed's size bound: far above a year of one person's or one hall's bookings. */
const FEED_LIMIT = 2_000;

/**
 * Every booking of the scope that ends after `since`: active ones (upcoming or under way) and
 * recent cancelled or completed ones, so a subscribed calendar sees a cancellation too. In start order.
 */
export async function listCalendarBookings(
  sql: Queryable,
  scope: CalendarScope,
  since: Date,
): Promise<CalendarBooking[]> {
  const whose = 'userId' in scope ? sql`b.user_id = ${scope.userId}` : sql`b.venue_id = ${scope.venueId}`;
  return sql<CalendarBooking[]>`
    select b.id, b.status, b.schedule_version, b.event_name, b.event_details,
      v.name as venue_name, v.location as venue_location, v.time_zone,
      lower(b.during) as starts_at, upper(b.during) as ends_at,
      u.full_name as user_name, u.email as user_email, b.series_id
    from bookings b
    join venues v on v.id = b.venue_id
    join users u on u.id = b.user_id
    where ${whose} and upper(b.during) > ${since}
    order by lower(b.during), b.id
    limit ${FEED_LIMIT}`;
}
