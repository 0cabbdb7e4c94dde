import type { Queryable, TransactionSql } from '../db/sql';
import { venueLocalDate } from '../db/venue-local-time';
import { activeBookingOverlaps } from '../bookings/occupancy';

// Waitlist rows. An entry asks for one interval at one venue; `during` is [start, end). Every change
// is a conditional UPDATE that answers with the row it changed, or nothing when a claim, a leave or
// an expiry committed first.

export type WaitlistStatus = 'waiting' | 'offered' | 'claimed' | 'expired' | 'left' | 'closed';

export interface WaitlistEntryRow {
  id: number;
  venue_id: number;
  user_id: number;
  starts_at: Date;
  ends_at: Date;
  priority: number;
  status: WaitlistStatus;
  offer_expires_at: Date | null;
  booking_id: number | null;
  offer_workflow_id: string | null;
  /** What the waiter meant to book (null for entries made before it was asked). */
  event_name: string | null;
  event_details: string;
}

export interface Interval {
  startsAt: Date;
  endsAt: Date;
}

const range = (sql: Queryable, i: Interval) => sql`tstzrange(${i.startsAt}, ${i.endsAt}, '[)')`;

/** Several intervals as one tstzmultirange, so `during <@ freed` asks "inside one of them". */
const multirange = (sql: Queryable, intervals: readonly Interval[]) => sql`
  (select range_agg(tstzrange(f.s, f.e, '[)'))
   from unnest(${intervals.map((i) => i.startsAt.toISOString())}::timestamptz[], ${intervals.map((i) => i.endsAt.toISOString())}::timestamptz[]) as f(s, e))`;

export async function findWaitlistEntry(sql: Queryable, id: number): Promise<WaitlistEntryRow | undefined> {
  const [row] = await sql<WaitlistEntryRow[]>`
    select id, venue_id, user_id, lower(during) as starts_at, upper(during) as ends_at, priority, status, offer_expires_at, booking_id, offer_workflow_id,
      event_name, event_details
    from waitlist_entries where id = ${id}`;
  return row;
}

// --- Joining ---------------------------------------------------------------------------------

/** One user's joins run one at a time, so two at once cannot both pass the per-day limit. */
export async function lockUserJoins(tx: TransactionSql, userId: number): Promise<void> {
  await tx`select pg_advisory_xact_lock(hashtextextended(${`bookit:waitlist-join:${userId}`}, 0))`;
}

export async function hasOpenEntry(sql: Queryable, userId: number, venueId: number, slot: Interval): Promise<boolean> {
  const rows = await sql`
    select 1 from waitlist_entries
    where user_id = ${userId} and venue_id = ${venueId} and during = ${range(sql, slot)} and status in ('waiting', 'offered') limit 1`;
  return rows.length > 0;
}

/** Open entries of the user for slots still ahead on `date`, each read in its own venue's zone. */
export async function countOpenEntriesOnDay(sql: Queryable, userId: number, date: string, now: Date): Promise<number> {
  const [row] = await sql<{ count: number }[]>`
    select count(*)::int as count from waitlist_entries w join venues v on v.id = w.venue_id
    where w.user_id = ${userId} and w.status in ('waiting', 'offered') and lower(w.during) > ${now}
      and ${venueLocalDate(sql, sql`lower(w.during)`, sql`v.time_zone`)} = ${date}::date`;
  return row!.count;
}

/**
 * Appends the user to the slot's queue. The priority comes from an upsert on the slot's counter
 * row, whose row lock hands concurrent joins distinct, increasing numbers.
 */
export async function insertWaitlistEntry(
  tx: TransactionSql,
  entry: { venueId: number; userId: number; eventName?: string; eventDetails?: string } & Interval,
): Promise<{ id: number; priority: number }> {
  const [slot] = await tx<{ last_priority: number }[]>`
    insert into waitlist_slots (venue_id, during, last_priority) values (${entry.venueId}, ${range(tx, entry)}, 1)
    on conflict (venue_id, during) do update set last_priority = waitlist_slots.last_priority + 1
    returning last_priority`;
  const [row] = await tx<{ id: number; priority: number }[]>`
    insert into waitlist_entries (venue_id, user_id, during, priority, event_name, event_details)
    values (${entry.venueId}, ${entry.userId}, ${range(tx, entry)}, ${slot!.last_priority}, ${entry.eventName ?? null}, ${entry.eventDetails ?? ''})
    returning id, priority`;
  return row!;
}

// --- Claiming and leaving --------------------------------------------------------------------

/** The claim's half of the race with expiry: only an open, unexpired offer becomes claimed. */
export async function markClaimed(
  tx: TransactionSql,
  id: number,
  userId: number,
): Promise<WaitlistEntryRow | undefined> {
  const [row] = await tx<WaitlistEntryRow[]>`
    update waitlist_entries set status = 'claimed', claimed_at = now()
    where id = ${id} and user_id = ${userId} and status = 'offered' and offer_expires_at > now()
    returning id, venue_id, user_id, ${offeredColumns(tx)}, priority, status, offer_expires_at, booking_id, offer_workflow_id,
      event_name, event_details`;
  return row;
}

export async function attachBooking(tx: TransactionSql, id: number, bookingId: number): Promise<void> {
  await tx`update waitlist_entries set booking_id = ${bookingId} where id = ${id} and status = 'claimed'`;
}

/** Takes an open entry off the queue; answers with what it was (an offer must be passed on). */
export async function markLeft(
  tx: TransactionSql,
  id: number,
  userId: number,
): Promise<{ was: 'waiting' | 'offered'; offer_workflow_id: string | null } | undefined> {
  const [row] = await tx<{ was: 'waiting' | 'offered'; offer_workflow_id: string | null }[]>`
    update waitlist_entries w set status = 'left'
    from (select id, status as was from waitlist_entries where id = ${id} for update) o
    where w.id = o.id and w.user_id = ${userId} and w.status in ('waiting', 'offered')
    returning o.was, w.offer_workflow_id`;
  return row;
}

/** Every open entry of a member whose account closed; answers each with what it was (an offer must be passed on). */
export async function closeOpenEntriesOf(
  tx: TransactionSql,
  userId: number,
): Promise<Array<{ id: number; was: 'waiting' | 'offered'; offer_workflow_id: string | null }>> {
  return tx<Array<{ id: number; was: 'waiting' | 'offered'; offer_workflow_id: string | null }>>`
    update waitlist_entries w set status = 'closed'
    from (select id, status as was from waitlist_entries where user_id = ${userId} and status in ('waiting', 'offered') for update) o
    where w.id = o.id and w.status in ('waiting', 'offered')
    returning w.id, o.was, w.offer_workflow_id`;
}

// --- Offering (the slot-offer workflow's activities) -----------------------------------------

export interface EligibleEntry {
  id: number;
  /** The part of the waiter's interval on offer: all of it, or the rest of it once it has begun. */
  offer_starts_at: Date;
  offer_ends_at: Date;
}

/** What of an entry's interval can still be had at `at`: all of it, or the rest once it has begun. */
const restOf = (sql: Queryable, at: Date) => sql`(w.during * tstzrange(${at}, null, '[)'))`;

/**
 * The next waiter for freed time, locked: first by priority among waiting entries of active members
 * whose interval, from `at` on, is not empty, lies inside a freed interval, and overlaps neither an
 * active booking nor another open offer. A waiter whose slot has begun (a no-show released it
 * mid-way) is offered the rest of it. Rows another transaction holds are skipped, never waited for.
 */
export async function lockNextEligibleEntry(
  tx: TransactionSql,
  venueId: number,
  freed: readonly Interval[],
  at: Date,
): Promise<EligibleEntry | undefined> {
  const rest = restOf(tx, at);
  const [row] = await tx<EligibleEntry[]>`
    select w.id, lower(${rest}) as offer_starts_at, upper(${rest}) as offer_ends_at from waitlist_entries w
    where w.venue_id = ${venueId} and w.status = 'waiting'
      and upper(w.during) > ${at}
      and ${rest} <@ ${multirange(tx, freed)}
      -- A begun slot's rest is offered only when it was freed mid-way (a no-show): a waiter whose
      -- whole slot was free had their turn before it began.
      and (lower(w.during) > ${at} or not (w.during <@ ${multirange(tx, freed)}))
      and exists (select 1 from users u where u.id = w.user_id and u.is_active)
      and not ${activeBookingOverlaps(tx, tx`w.venue_id`, rest)}
      and not exists (select 1 from waitlist_entries o where o.venue_id = w.venue_id and o.status = 'offered' and coalesce(o.offered_during, o.during) && ${rest})
    order by w.priority, w.id
    limit 1
    for update of w skip locked`;
  return row;
}

export interface OfferedEntry {
  id: number;
  user_id: number;
  priority: number;
  starts_at: Date;
  ends_at: Date;
  notified_at: Date;
  offer_expires_at: Date;
}

/**
 * The offer this offer workflow made that is still open. The update that made it can commit while
 * the worker running it dies before the workflow records the result; the retry must resume that
 * offer, not make a second one beside it.
 */
export async function findOpenOfferOf(tx: TransactionSql, workflowId: string): Promise<OfferedEntry | undefined> {
  const [row] = await tx<OfferedEntry[]>`
    select id, user_id, priority, ${offeredColumns(tx)}, notified_at, offer_expires_at
    from waitlist_entries where offer_workflow_id = ${workflowId} and status = 'offered'
    order by notified_at limit 1`;
  return row;
}

/** Offers the entry the part of its interval that is free (null: all of it); the offer answers with that part. */
export async function markOffered(
  tx: TransactionSql,
  id: number,
  offer: { at: Date; expiresAt: Date; workflowId: string; part: Interval | null },
): Promise<OfferedEntry | undefined> {
  const part = offer.part ? range(tx, offer.part) : tx`null`;
  const [row] = await tx<OfferedEntry[]>`
    update waitlist_entries
    set status = 'offered', notified = true, notified_at = ${offer.at}, offer_expires_at = ${offer.expiresAt}, offer_workflow_id = ${offer.workflowId},
      offered_during = ${part}
    where id = ${id} and status = 'waiting'
    returning id, user_id, priority, ${offeredColumns(tx)}, notified_at, offer_expires_at`;
  return row;
}

/** The interval an offer (or the claim it became) is for: the part offered, else the whole entry. */
export const offeredColumns = (sql: Queryable) =>
  sql`lower(coalesce(offered_during, during)) as starts_at, upper(coalesce(offered_during, during)) as ends_at`;

/**
 * The expiry's half of the race with a claim: only a still-open offer expires. Answers with the
 * entry's status afterwards ('expired', or whatever a claim or leave made it first).
 */
export async function markExpired(sql: Queryable, id: number): Promise<WaitlistStatus | undefined> {
  const expired =
    await sql`update waitlist_entries set status = 'expired' where id = ${id} and status = 'offered' returning id`;
  if (expired.length === 1) return 'expired';
  // A separate statement, so it reads what the claim or leave that won committed.
  const [row] = await sql<{ status: WaitlistStatus }[]>`select status from waitlist_entries where id = ${id}`;
  return row?.status;
}

/** Waiters for freed time whose slot has begun by `at` can no longer be served. */
export async function closeStartedWaiting(
  sql: Queryable,
  venueId: number,
  freed: readonly Interval[],
  at: Date,
): Promise<number> {
  const rows = await sql`
    update waitlist_entries set status = 'closed'
    where venue_id = ${venueId} and status = 'waiting' and during && ${multirange(sql, freed)} and lower(during) <= ${at}
    returning id`;
  return rows.length;
}

/**
 * Whether anyone waits for time inside the interval, or holds an offer there (a running offer
 * workflow must hear of a second free); nothing to hand over otherwise.
 */
export async function hasWaitersWithin(sql: Queryable, venueId: number, freed: Interval): Promise<boolean> {
  // From the freed interval's start on: a waiter whose slot began before it may have the rest.
  const rows = await sql`
    select 1 from waitlist_entries w
    where w.venue_id = ${venueId} and w.status in ('waiting', 'offered') and upper(w.during) > ${freed.startsAt}
      and ${restOf(sql, freed.startsAt)} <@ ${range(sql, freed)} limit 1`;
  return rows.length > 0;
}

/**
 * A venue closed over venue-local dates: the waits there still waiting are closed (no offer will
 * come). Answers their ids, for the notice that tells each waiter.
 */
export async function closeEntriesInClosure(
  tx: TransactionSql,
  venue: { id: number; time_zone: string },
  range: { first: string; last: string },
): Promise<number[]> {
  const rows = await tx<{ id: number }[]>`
    update waitlist_entries set status = 'closed'
    where venue_id = ${venue.id} and status = 'waiting'
      and during && tstzrange((${range.first}::date)::timestamp at time zone ${venue.time_zone}, (${range.last}::date + 1)::timestamp at time zone ${venue.time_zone}, '[)')
    returning id`;
  return rows.map((row) => row.id).sort((a, b) => a - b);
}
