import type { Queryable } from '../db/sql';
import { venueLocal, venueLocalDate } from '../db/venue-local-time';
import type { DueDigest } from '../contracts/daily-digest-types';

/**
 * Claims every digest due at `at`: for each active hall admin and each zone their venues are in,
 * that zone's local day at `at`, once the venue clock there reads `digestHour`:00 or later and no
 * run has claimed the day yet. A worker down over 07:00 is caught up by the next run the same
 * local day; once the day is over `at` names the next one, so a missed day is never sent late.
 * The same claimant asking again (its step retried after a worker died past the commit) gets its
 * own claims back; any other claimant gets none, so one run decides each (admin, zone, day).
 */
export async function claimDueDigests(
  sql: Queryable,
  { at, digestHour, claimant }: { at: Date; digestHour: number; claimant: string },
): Promise<DueDigest[]> {
  const zone = sql`v.time_zone`;
  const dueFrom = `${String(digestHour).padStart(2, '0')}:00`;
  return sql<DueDigest[]>`
    insert into daily_digests (admin_id, time_zone, local_date, claimed_by)
    select distinct va.user_id, v.time_zone, ${venueLocalDate(sql, at, zone)}, ${claimant}::text
    from venue_admins va
    join venues v on v.id = va.venue_id
    join users u on u.id = va.user_id
    where u.is_active and u.role = 'hall_admin'
      and ${venueLocal(sql, at, zone, 'HH24:MI')} >= ${dueFrom}
    on conflict (admin_id, time_zone, local_date) do update set claimed_by = excluded.claimed_by
      where daily_digests.claimed_by = excluded.claimed_by
    returning admin_id as "adminId", time_zone as "timeZone", local_date::text as "localDate"`;
}

/** Claims are needed only on their own day; a month of them is kept for operators to look back on. */
export async function forgetDigestClaimsBefore(sql: Queryable, localDate: string): Promise<number> {
  const deleted = await sql`delete from daily_digests where local_date < ${localDate}::date`;
  return deleted.count;
}
