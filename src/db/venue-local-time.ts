import type postgres from 'postgres';
import type { Queryable } from './sql';

type Fragment = postgres.Fragment;

/** An instant in SQL: a column expression (`sql\`lower(b.during)\``) or a value bound as timestamptz. */
export type SqlInstant = Fragment | Date;
/** A venue's IANA zone in SQL: a column (`sql\`v.time_zone\``) or a value. */
export type SqlZone = Fragment | string;

export type LocalFormat = 'YYYY-MM-DD' | 'HH24:MI' | 'HH24:MI:SS';

const instantOf = (sql: Queryable, instant: SqlInstant) =>
  instant instanceof Date ? sql`${instant}::timestamptz` : instant;

/**
 * An instant written as the venue's wall clock shows it, with PostgreSQL's zone rules (DST-correct).
 * The one spelling of `to_char(… at time zone …)` in BookIT: every local date and time the API
 * shows, and every summary a workflow carries, is read through it.
 */
export function venueLocal(sql: Queryable, instant: SqlInstant, zone: SqlZone, format: LocalFormat): Fragment {
  return sql`to_char(${instantOf(sql, instant)} at time zone ${zone}, ${format})`;
}

/**
 * The usual trio of columns for an interval at a venue: `date`, `start_time` and `end_time`, the
 * times as HH24:MI (summaries) or HH24:MI:SS (the API's views).
 */
export function venueLocalSlot(
  sql: Queryable,
  interval: { startsAt: SqlInstant; endsAt: SqlInstant },
  zone: SqlZone,
  time: 'HH24:MI' | 'HH24:MI:SS',
): Fragment {
  return sql`
    ${venueLocal(sql, interval.startsAt, zone, 'YYYY-MM-DD')} as date,
    ${venueLocal(sql, interval.startsAt, zone, time)} as start_time,
    ${venueLocal(sql, interval.endsAt, zone, time)} as end_time`;
}

/** The venue-local calendar date of an instant, for filters on "bookings on that day". */
export function venueLocalDate(sql: Queryable, instant: SqlInstant, zone: SqlZone): Fragment {
  return sql`(${instantOf(sql, instant)} at time zone ${zone})::date`;
}
