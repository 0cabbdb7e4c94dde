import { type CalendarBooking, listCalendarBookings } from '../bookings/calendar-bookings';
import type { Queryable } from '../db/sql';
import { findVenue } from '../venues/store';
import { loadCalendarSeries } from '../series/calendar';
import { bookingFeed, type CalendarIdentity, type CalendarSeries } from './booking-calendar';
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
    const { single, series } = await splitSeries(sql, await listCalendarBookings(sql, { userId: feed.userId }, since));
    return bookingFeed(single, series, 'BookIT: my bookings', identity);
  }
  const [venue, bookings] = await Promise.all([
    findVenue(sql, feed.venueId),
    listCalendarBookings(sql, { venueId: feed.venueId }, since),
  ]);
  const { single, series } = await splitSeries(sql, bookings);
  return bookingFeed(single, series, `BookIT: ${venue?.name ?? `venue ${feed.venueId}`}`, identity);
}

/** Occurrences show as their series' one repeating event, as the series' invitations show them. */
async function splitSeries(
  sql: Queryable,
  bookings: CalendarBooking[],
): Promise<{ single: CalendarBooking[]; series: CalendarSeries[] }> {
  const seriesIds = [...new Set(bookings.flatMap((b) => (b.series_id === null ? [] : [b.series_id])))];
  const series = await Promise.all(seriesIds.map((id) => loadCalendarSeries(sql, id)));
  return {
    single: bookings.filter((b) => b.series_id === null),
    series: series.filter((one): one is CalendarSeries => one !== undefined),
  };
}
