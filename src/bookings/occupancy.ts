import type postgres from 'postgres';
import type { Queryable, TransactionSql } from '../db/sql';

/** An interval at a venue, [startsAt, endsAt). */
export interface Interval {
  startsAt: Date;
  endsAt: Date;
}

const range = (sql: Queryable, i: Interval) => sql`tstzrange(${i.startsAt}, ${i.endsAt}, '[)')`;

/**
 * A condition, for another room's statement, that an active booking at `venueId` (its buffers
 * included) overlaps `during` (both SQL expressions of that statement): how the waitlist asks about bookings without naming
 * their table.
 */
export function activeBookingOverlaps(
  sql: Queryable,
  venueId: postgres.Fragment,
  during: postgres.Fragment,
): postgres.Fragment {
  return sql`exists (select 1 from bookings b where b.venue_id = ${venueId} and b.status = 'active' and b.blocked && ${during})`;
}

// Which active bookings occupy an interval: what a new booking lines up behind, and what a waitlist
// join asks before it queues someone.

/**
 * Puts this transaction in line for the venue before it places an active booking on
 * [startsAt, endsAt) (create, waitlist claim, reschedule). Without it the exclusion constraint
 * deadlocks under a rush: two overlapping inserts each find the other's uncommitted row in the
 * index and wait for it, and PostgreSQL aborts one (a 500) instead of the loser seeing the winner
 * (a 409). The advisory lock lines up the writers of one venue, and the share lock on the active
 * bookings in the way lets an update of one of them already in flight (a confirm, a reminder mark,
 * which re-check the constraint too) finish first and holds back any that would start, so nothing
 * waits on us while we wait on it. The constraint still decides the overlap.
 */
export async function lockVenueBookings(
  tx: TransactionSql,
  venueId: number,
  startsAt: Date,
  endsAt: Date,
): Promise<void> {
  await tx`select pg_advisory_xact_lock(hashtextextended(${`bookit:venue-bookings:${venueId}`}, 0))`;
  await tx`
    select id from bookings
    where venue_id = ${venueId} and status = 'active' and blocked && tstzrange(${startsAt}, ${endsAt}, '[)')
    for share`;
}

/**
 * The active bookings that make the slot worth waiting for, share-locked: a cancel of one of them
 * waits for this join to commit (and then sees the new waiter), or this join sees the cancel and
 * finds the slot free.
 */
export async function lockBlockingBookings(tx: TransactionSql, venueId: number, slot: Interval): Promise<number> {
  const rows = await tx`
    select id from bookings
    where venue_id = ${venueId} and status = 'active' and blocked && ${range(tx, slot)}
    for share`;
  return rows.length;
}

export async function hasOverlappingBooking(
  sql: Queryable,
  userId: number,
  venueId: number,
  slot: Interval,
): Promise<boolean> {
  const rows = await sql`
    select 1 from bookings
    where user_id = ${userId} and venue_id = ${venueId} and status = 'active' and during && ${range(sql, slot)} limit 1`;
  return rows.length > 0;
}
