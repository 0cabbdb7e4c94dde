import { describeDuration } from '../config/duration';
import type { Queryable } from '../db/sql';
import { venueLocal } from '../db/venue-local-time';
import type { VenueRow } from '../venues/store';

export interface LocalSlot {
  date: string;
  startTime: string;
  endTime: string;
}

export type ResolvedSlot = { ok: true; startsAt: Date; endsAt: Date } | { ok: false; field: string; message: string };

/** True for a real calendar date in YYYY-MM-DD (no 2025-02-30). */
export function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** When a slot is asked for, and how far ahead of then it may start (BOOKIT_BOOKING_HORIZON). */
export interface SlotWindow {
  now: Date;
  horizonMs: number;
}

/**
 * Turns a date and wall-clock times at the venue into instants, with PostgreSQL's time zone rules
 * (DST-correct). A wall time that does not exist (skipped by a DST change) is refused, and so is a
 * start in the past or beyond the booking horizon (a booking in year 9999 would hold a workflow
 * timer, and the venue, for thousands of years).
 */
export async function resolveLocalSlot(
  sql: Queryable,
  venue: Pick<VenueRow, 'time_zone'>,
  slot: LocalSlot,
  { now, horizonMs }: SlotWindow,
): Promise<ResolvedSlot> {
  const [row] = await sql<{ starts_at: Date; ends_at: Date; start_back: string; end_back: string }[]>`
    with instants as (
      select (${slot.date}::date + ${slot.startTime}::time) at time zone ${venue.time_zone} as starts_at,
             (${slot.date}::date + ${slot.endTime}::time) at time zone ${venue.time_zone} as ends_at
    )
    select starts_at, ends_at,
      ${venueLocal(sql, sql`starts_at`, venue.time_zone, 'HH24:MI:SS')} as start_back,
      ${venueLocal(sql, sql`ends_at`, venue.time_zone, 'HH24:MI:SS')} as end_back
    from instants`;
  const { starts_at: startsAt, ends_at: endsAt } = row!;
  if (row!.start_back !== normalizeTime(slot.startTime))
    return {
      ok: false,
      field: 'start_time',
      message: "does not exist on that date in the venue's time zone (a daylight-saving change skips it)",
    };
  if (row!.end_back !== normalizeTime(slot.endTime))
    return {
      ok: false,
      field: 'end_time',
      message: "does not exist on that date in the venue's time zone (a daylight-saving change skips it)",
    };
  if (endsAt <= startsAt) return { ok: false, field: 'end_time', message: 'must be after start_time' };
  if (startsAt <= now) return { ok: false, field: 'start_time', message: 'is in the past' };
  if (startsAt.getTime() > now.getTime() + horizonMs) {
    return {
      ok: false,
      field: 'date',
      message: `is too far ahead: a slot may start at most ${describeDuration(horizonMs)} from now`,
    };
  }
  return { ok: true, startsAt, endsAt };
}

function normalizeTime(time: string): string {
  return time.length === 5 ? `${time}:00` : time;
}
