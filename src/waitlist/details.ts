import type { Queryable } from '../db/sql';

export interface WaitlistEntryDetails {
  id: number;
  venue_id: number;
  venue_name: string;
  time_zone: string;
  user_id: number;
  user_email: string;
  user_name: string;
  /** The interval on offer (or claimed): the part offered, else the entry's whole interval. */
  starts_at: Date;
  ends_at: Date;
  priority: number;
  status: 'waiting' | 'offered' | 'claimed' | 'expired' | 'left' | 'closed';
  notified_at: Date | null;
  offer_expires_at: Date | null;
  booking_id: number | null;
}

export async function findWaitlistEntryDetails(sql: Queryable, id: number): Promise<WaitlistEntryDetails | undefined> {
  const [row] = await sql<WaitlistEntryDetails[]>`
    select w.id, w.venue_id, v.name as venue_name, v.time_zone, w.user_id, u.email as user_email, u.full_name as user_name,
      lower(coalesce(w.offered_during, w.during)) as starts_at, upper(coalesce(w.offered_during, w.during)) as ends_at, w.priority, w.status, w.notified_at, w.offer_expires_at, w.booking_id
    from waitlist_entries w join venues v on v.id = w.venue_id join users u on u.id = w.user_id
    where w.id = ${id}`;
  return row;
}
