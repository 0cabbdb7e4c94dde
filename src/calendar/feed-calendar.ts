import { listCalendarBookings } from '../bookings/calendar-bookings';
import type { Queryable } from '../db/sql';
import { findVenue } from '../venues/store';
import { bookingFeed, type CalendarIdentity } from './booking-calendar';
import type { ResolvedFeed } from './feeds';

/** How far back a feed reaches: bookings that ended (or were cancelled) within this many days still show. */
export const FEED_PAST_DAYS = 30;

/** The iCalendar text a feed URL answers: the owner's bookings, or the venue's. */
export async function feedCalendar(
  sql: Queryable,
  feed: ResolvedFeed,
  identity: CalendarIdentity,
  now = new Date(),
): Promise<string> {
  const since = new Date(now.getTime() - FEED_PAST_DAYS * 86_400_000);
  if (feed.venueId === null) {
    return bookingFeed(
      await listCalendarBookings(sql, { userId: feed.userId }, since),
      'BookIT: my bookings',
      identity,
    );
  }
  const [venue, bookings] = await Promise.all([
    findVenue(sql, feed.venueId),
    listCalendarBookings(sql, { venueId: feed.venueId }, since),
  ]);
  return bookingFeed(bookings, `BookIT: ${venue?.name ?? `venue ${feed.venueId}`}`, identity);
}
