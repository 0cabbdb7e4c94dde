import type { Queryable } from '../db/sql';
import { venueLocal } from '../db/venue-local-time';
import type { VenueRow } from '../db/venues';

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

/**
 * Turns a date and wall-clock times at the venue into instants, with PostgreSQL's time zone rules
 * (DST-correct). A wall time that does not exist (skipped by a DST change) is refused.
 */
export async function resolveLocalSlot(sql: Queryable, venue: Pick<VenueRow, 'time_zone'>, slot: LocalSlot, now: Date): Promise<ResolvedSlot> {
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
  if (row!.start_back !== normalizeTime(slot.startTime)) return { ok: false, field: 'start_time', message: 'does not exist on that date in the venue\'s time zone (a daylight-saving change skips it)' };
  if (row!.end_back !== normalizeTime(slot.endTime)) return { ok: false, field: 'end_time', message: 'does not exist on that date in the venue\'s time zone (a daylight-saving change skips it)' };
  if (endsAt <= startsAt) return { ok: false, field: 'end_time', message: 'must be after start_time' };
  if (startsAt <= now) return { ok: false, field: 'start_time', message: 'is in the past' };
  return { ok: true, startsAt, endsAt };
}

function normalizeTime(time: string): string {
  return time.length === 5 ? `${time}:00` : time;
}
