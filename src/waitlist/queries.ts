import type { Queryable } from '../db/sql';
import { venueLocalSlot } from '../db/venue-local-time';
import type { WaitlistStatus } from './entries';
import { offerTimeRemainingMs } from '../contracts/slot-offer-policy';

/** An entry as the API shows it: date and times local to the venue's zone. */
export interface WaitlistEntryView {
  id: number;
  venue: number;
  venue_name: string;
  date: string;
  start_time: string;
  end_time: string;
  priority: number;
  status: WaitlistStatus;
  notified: boolean;
  notified_at: string | null;
  /** "HH:MM:SS" left in an open offer, else null. */
  time_remaining: string | null;
  is_expired: boolean;
  claimed: boolean;
  booking_id: number | null;
  created_at: string;
  /** The venue's IANA zone, in which date and times are written. */
  time_zone: string;
  starts_at: string;
  ends_at: string;
  /** When an offer lapses unless claimed; null when none was made. */
  offer_expires_at: string | null;
  /** The part of the slot offered when it was not all of it (the rest of a slot that had begun); else null. */
  offer_starts_at: string | null;
  offer_ends_at: string | null;
}

export interface VenueQueueEntryView extends WaitlistEntryView {
  user: number;
  user_name: string;
  user_email: string;
}

interface EntryRow {
  id: number;
  venue: number;
  venue_name: string;
  date: string;
  start_time: string;
  end_time: string;
  priority: number;
  status: WaitlistStatus;
  notified: boolean;
  notified_at: Date | null;
  offer_expires_at: Date | null;
  starts_at: Date;
  ends_at: Date;
  offer_starts_at: Date | null;
  offer_ends_at: Date | null;
  time_zone: string;
  booking_id: number | null;
  created_at: Date;
}

/** The entry's slot as date and HH24:MI:SS times at its venue (`w` the entry, `v` its venue). */
const localSlot = (sql: Queryable) =>
  venueLocalSlot(sql, { startsAt: sql`lower(w.during)`, endsAt: sql`upper(w.during)` }, sql`v.time_zone`, 'HH24:MI:SS');

const entryColumns = (sql: Queryable) => sql`
  w.id, w.venue_id as venue, v.name as venue_name,
  ${localSlot(sql)},
  w.priority, w.status, w.notified, w.notified_at, w.offer_expires_at, lower(w.during) as starts_at, upper(w.during) as ends_at, v.time_zone,
  lower(w.offered_during) as offer_starts_at, upper(w.offered_during) as offer_ends_at, w.booking_id, w.created_at`;

/** "HH:MM:SS"; hours past 99 are written in full. */
export function formatTimeRemaining(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(Math.floor(seconds / 3600))}:${two(Math.floor((seconds % 3600) / 60))}:${two(seconds % 60)}`;
}

function toView(row: EntryRow, now: Date): WaitlistEntryView {
  const openOffer = row.status === 'offered' && row.offer_expires_at !== null && row.offer_expires_at > now;
  const lapsedOffer = row.status === 'offered' && !openOffer;
  // An offer of the rest of a slot that has begun is open until it lapses, not from the slot's start.
  const slotBegun =
    (row.status === 'waiting' || (row.status === 'offered' && row.offer_starts_at === null)) && row.starts_at <= now;
  return {
    id: row.id,
    venue: row.venue,
    venue_name: row.venue_name,
    date: row.date,
    start_time: row.start_time,
    end_time: row.end_time,
    priority: row.priority,
    status: row.status,
    notified: row.notified,
    notified_at: row.notified_at?.toISOString() ?? null,
    time_remaining: openOffer
      ? formatTimeRemaining(offerTimeRemainingMs(row.offer_expires_at!.getTime(), now.getTime()))
      : null,
    is_expired: row.status === 'expired' || row.status === 'closed' || lapsedOffer || slotBegun,
    claimed: row.status === 'claimed',
    booking_id: row.booking_id,
    created_at: row.created_at.toISOString(),
    time_zone: row.time_zone,
    starts_at: row.starts_at.toISOString(),
    ends_at: row.ends_at.toISOString(),
    offer_expires_at: row.offer_expires_at?.toISOString() ?? null,
    offer_starts_at: row.offer_starts_at?.toISOString() ?? null,
    offer_ends_at: row.offer_ends_at?.toISOString() ?? null,
  };
}

/** One page of a list: at most `limit` rows, after the row `before` names (see each list for its order). */
export interface EntryWindow {
  limit: number;
  before?: number;
}

/** The user's entries, newest first: a page of at most `limit` with ids below `before`. */
export async function listUserEntries(
  sql: Queryable,
  userId: number,
  { limit, before }: EntryWindow,
  now = new Date(),
): Promise<WaitlistEntryView[]> {
  const rows = await sql<EntryRow[]>`
    select ${entryColumns(sql)} from waitlist_entries w join venues v on v.id = w.venue_id
    where w.user_id = ${userId} and ${before ? sql`w.id < ${before}` : sql`true`}
    order by w.id desc limit ${limit}`;
  return rows.map((row) => toView(row, now));
}

/**
 * A venue's open queue (waiting and offered), by slot, then priority, with who waits: a page of at
 * most `limit`, continuing after the entry `before` names in that order (an entry of this venue; it
 * may have left the queue since, as entries are never deleted).
 */
export async function listVenueQueue(
  sql: Queryable,
  venueId: number,
  { limit, before }: EntryWindow,
  now = new Date(),
): Promise<VenueQueueEntryView[]> {
  const after = before
    ? sql`(lower(w.during), upper(w.during), w.priority, w.id) > (
        select lower(c.during), upper(c.during), c.priority, c.id from waitlist_entries c where c.id = ${before} and c.venue_id = ${venueId})`
    : sql`true`;
  const rows = await sql<Array<EntryRow & { user: number; user_name: string; user_email: string }>>`
    select ${entryColumns(sql)}, u.id as "user", u.full_name as user_name, u.email as user_email
    from waitlist_entries w join venues v on v.id = w.venue_id join users u on u.id = w.user_id
    where w.venue_id = ${venueId} and w.status in ('waiting', 'offered') and ${after}
    order by lower(w.during), upper(w.during), w.priority, w.id
    limit ${limit}`;
  return rows.map((row) => ({
    ...toView(row, now),
    user: row.user,
    user_name: row.user_name,
    user_email: row.user_email,
  }));
}

export interface WaitingEntryView {
  id: number;
  venue: number;
  venue_name: string;
  time_zone: string;
  starts_at: Date;
  ends_at: Date;
  status: WaitlistStatus;
  /** While an offer is open: when it lapses unless claimed. */
  offer_expires_at: Date | null;
  /** The part offered when it is not the whole slot (the rest of a slot that has begun); else null. */
  offer_starts_at: Date | null;
  offer_ends_at: Date | null;
  date: string;
  start_time: string;
  end_time: string;
  notified: boolean;
  priority: number;
  /** Entries still waiting or holding an offer ahead of this one for the same slot. */
  users_ahead: number;
}

/** The user's open entries (waiting, or holding an offer), soonest slot first. */
export async function listWaitingEntries(sql: Queryable, userId: number): Promise<WaitingEntryView[]> {
  return sql<WaitingEntryView[]>`
    select w.id, w.venue_id as venue, v.name as venue_name, v.time_zone, lower(w.during) as starts_at, upper(w.during) as ends_at,
      w.status, case when w.status = 'offered' then w.offer_expires_at end as offer_expires_at,
      case when w.status = 'offered' then lower(w.offered_during) end as offer_starts_at,
      case when w.status = 'offered' then upper(w.offered_during) end as offer_ends_at,
      ${localSlot(sql)},
      w.notified, w.priority,
      (select count(*)::int from waitlist_entries a
       where a.venue_id = w.venue_id and a.during = w.during and a.status in ('waiting', 'offered') and a.priority < w.priority) as users_ahead
    from waitlist_entries w join venues v on v.id = w.venue_id
    where w.user_id = ${userId} and w.status in ('waiting', 'offered')
    order by lower(w.during), w.id`;
}
