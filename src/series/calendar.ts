import type { CalendarSeries } from '../calendar/booking-calendar';
import type { Queryable } from '../db/sql';
import { occurrenceCount } from './recurrence';
import { findSeriesDetails, seriesOccurrences, type SeriesDetails, type SeriesOccurrence } from './store';

/** An occurrence that alone was moved off the series' times: its calendar event is an override. */
export const isMoved = (o: SeriesOccurrence) =>
  o.starts_at.getTime() !== o.planned_starts_at.getTime() || o.ends_at.getTime() !== o.planned_ends_at.getTime();

/**
 * The series' one calendar event as it now stands: the rule from its first date, ending where the
 * series was cut; every date left out or cancelled alone as an EXDATE; every date moved alone as an
 * override (RECURRENCE-ID). Its revision counts every change to the series and to each occurrence
 * (a move bumps the booking's schedule version, a cancellation adds one), so each later invitation
 * or feed fetch updates the event in place.
 */
export function calendarSeriesOf(series: SeriesDetails, occurrences: SeriesOccurrence[]): CalendarSeries {
  const inRange = (date: string) => series.ends_before === null || date < series.ends_before;
  const cancelledDates = occurrences.filter((o) => o.status === 'cancelled').map((o) => o.date);
  return {
    id: series.id,
    venue_name: series.venue_name,
    venue_location: series.venue_location,
    time_zone: series.time_zone,
    user_name: series.user_name,
    user_email: series.user_email,
    event_name: series.event_name,
    event_details: series.event_details,
    cancelled: series.cancelled_at !== null,
    // The rule counts from its first date; when that date was left out (someone held it), the event
    // still starts there, with that date as an EXDATE, so its RRULE keeps its place.
    starts_at: series.first_starts_at,
    ends_at: series.first_ends_at,
    rule: series.rrule,
    count: occurrenceCount(series.rrule, series.first_date, series.ends_before),
    excluded_dates: [...new Set([...series.excluded_dates, ...cancelledDates])].filter(inRange).sort(),
    start_time: series.start_time,
    overrides: occurrences
      .filter((o) => o.status !== 'cancelled' && inRange(o.date) && isMoved(o))
      .map((o) => ({ planned_starts_at: o.planned_starts_at, starts_at: o.starts_at, ends_at: o.ends_at })),
    sequence: occurrences.reduce(
      (sum, o) => sum + o.schedule_version - 1 + (o.status === 'cancelled' ? 1 : 0),
      series.sequence,
    ),
  };
}

/** The series' calendar event, loaded (undefined for no such series). */
export async function loadCalendarSeries(sql: Queryable, seriesId: number): Promise<CalendarSeries | undefined> {
  const series = await findSeriesDetails(sql, seriesId);
  if (!series) return undefined;
  return calendarSeriesOf(series, await seriesOccurrences(sql, seriesId));
}
