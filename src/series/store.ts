import type { Queryable, TransactionSql } from '../db/sql';

/** A series as its pages, notices and calendar part read it. */
export interface SeriesDetails {
  id: number;
  venue_id: number;
  venue_name: string;
  venue_location: string;
  time_zone: string;
  user_id: number;
  user_name: string;
  user_email: string;
  user_active: boolean;
  event_name: string;
  event_details: string;
  rrule: string;
  first_date: string;
  start_time: string;
  end_time: string;
  excluded_dates: string[];
  ends_before: string | null;
  cancelled_at: Date | null;
  sequence: number;
  created_at: Date;
  /** The rule's first date at its times in the venue's zone (the calendar event starts there, even when that date was left out). */
  first_starts_at: Date;
  first_ends_at: Date;
}

/** One occurrence: its booking as it stands. */
export interface SeriesOccurrence {
  booking_id: number;
  date: string;
  status: 'active' | 'cancelled' | 'completed';
  confirmed: boolean;
  starts_at: Date;
  ends_at: Date;
  /** Where the series' times put this date (the booking differs when it alone was moved). */
  planned_starts_at: Date;
  planned_ends_at: Date;
  /** Bumped by each move of the booking: with its cancellation, what revises the series' calendar event. */
  schedule_version: number;
  /** At a venue that approves bookings: where its request stands (null elsewhere). */
  approval_status: 'pending' | 'approved' | 'denied' | null;
  approval_deadline: Date | null;
}

export interface NewSeries {
  venueId: number;
  userId: number;
  eventName: string;
  eventDetails: string;
  rrule: string;
  firstDate: string;
  startTime: string;
  endTime: string;
  excludedDates: string[];
}

/**
 * Takes the series' row lock, first thing in a transaction that changes the series as a whole
 * (cancel, move, decide), so two of them at once queue instead of deadlocking on its dates.
 */
export async function lockSeries(tx: TransactionSql, id: number): Promise<void> {
  await tx`select 1 from booking_series where id = ${id} for update`;
}

export async function insertSeries(tx: TransactionSql, series: NewSeries): Promise<number> {
  const [row] = await tx<{ id: number }[]>`
    insert into booking_series (venue_id, user_id, event_name, event_details, rrule, first_date, start_time, end_time, excluded_dates)
    values (${series.venueId}, ${series.userId}, ${series.eventName}, ${series.eventDetails}, ${series.rrule}, ${series.firstDate}::date,
      ${series.startTime}::time, ${series.endTime}::time, ${tx.array(series.excludedDates)}::date[])
    returning id`;
  return row!.id;
}

/** Dates the series leaves out, added to those it already did (a conflict when it was made). */
export async function excludeDates(tx: TransactionSql, id: number, dates: string[]): Promise<void> {
  if (dates.length === 0) return;
  await tx`update booking_series set excluded_dates = array(select distinct d from unnest(excluded_dates || ${tx.array(dates)}::date[]) d order by d) where id = ${id}`;
}

/**
 * The series ends before `fromDate` ("this and following"), or entirely (null): one more revision
 * of its calendar event. Answers the new revision, or null when it had already ended there.
 */
export async function endSeries(tx: TransactionSql, id: number, fromDate: string | null): Promise<number | null> {
  const [row] = await tx<{ sequence: number }[]>`
    update booking_series set sequence = sequence + 1,
      ends_before = case when ${fromDate}::date is null then ends_before else least(coalesce(ends_before, ${fromDate}::date), ${fromDate}::date) end,
      cancelled_at = case when ${fromDate}::date is null or ${fromDate}::date <= first_date then now() else cancelled_at end
    where id = ${id} and cancelled_at is null and (${fromDate}::date is null or ends_before is null or ends_before > ${fromDate}::date)
    returning sequence`;
  return row?.sequence ?? null;
}

/**
 * One more revision of the series' calendar event, with new times (when every remaining date moved)
 * or a new name or details; null keeps a field. Answers the revision.
 */
export async function reviseSeries(
  tx: TransactionSql,
  id: number,
  changes: { startTime: string | null; endTime: string | null; eventName: string | null; eventDetails: string | null },
): Promise<number> {
  const [row] = await tx<{ sequence: number }[]>`
    update booking_series set sequence = sequence + 1,
      start_time = coalesce(${changes.startTime}::time, start_time), end_time = coalesce(${changes.endTime}::time, end_time),
      event_name = coalesce(${changes.eventName}, event_name), event_details = coalesce(${changes.eventDetails}, event_details)
    where id = ${id}
    returning sequence`;
  return row!.sequence;
}

export async function findSeriesDetails(sql: Queryable, id: number): Promise<SeriesDetails | undefined> {
  const [row] = await sql<SeriesDetails[]>`
    select s.id, s.venue_id, v.name as venue_name, v.location as venue_location, v.time_zone,
      s.user_id, u.full_name as user_name, u.email as user_email, u.is_active as user_active,
      s.event_name, s.event_details, s.rrule, to_char(s.first_date, 'YYYY-MM-DD') as first_date,
      to_char(s.start_time, 'HH24:MI:SS') as start_time, to_char(s.end_time, 'HH24:MI:SS') as end_time,
      array(select to_char(d, 'YYYY-MM-DD') from unnest(s.excluded_dates) d order by d) as excluded_dates,
      to_char(s.ends_before, 'YYYY-MM-DD') as ends_before, s.cancelled_at, s.sequence, s.created_at,
      (s.first_date + s.start_time) at time zone v.time_zone as first_starts_at, (s.first_date + s.end_time) at time zone v.time_zone as first_ends_at
    from booking_series s join venues v on v.id = s.venue_id join users u on u.id = s.user_id
    where s.id = ${id}`;
  return row;
}

export async function seriesOccurrences(sql: Queryable, id: number): Promise<SeriesOccurrence[]> {
  return sql<SeriesOccurrence[]>`
    select b.id as booking_id, to_char(b.occurrence_date, 'YYYY-MM-DD') as date, b.status, b.confirmed,
      lower(b.during) as starts_at, upper(b.during) as ends_at, b.schedule_version, b.approval_status, b.approval_deadline,
      (b.occurrence_date + s.start_time) at time zone v.time_zone as planned_starts_at,
      (b.occurrence_date + s.end_time) at time zone v.time_zone as planned_ends_at
    from bookings b join booking_series s on s.id = b.series_id join venues v on v.id = s.venue_id
    where b.series_id = ${id} order by b.occurrence_date`;
}
