import type { Queryable } from '../db/sql';

/** A booking with what messages about it need: venue, zone, booker, and who cancelled. */
export interface BookingDetails {
  id: number;
  venue_id: number;
  venue_name: string;
  venue_location: string;
  time_zone: string;
  user_id: number;
  user_email: string;
  user_name: string;
  event_name: string;
  event_details: string;
  starts_at: Date;
  ends_at: Date;
  status: 'active' | 'cancelled' | 'completed';
  schedule_version: number;
  reminder_sent: boolean;
  reminder_sent_at: Date | null;
  confirmed: boolean;
  confirmed_at: Date | null;
  auto_cancelled: boolean;
  auto_cancelled_at: Date | null;
  auto_cancel_reason: string | null;
  cancelled_at: Date | null;
  cancelled_by: number | null;
  cancelled_by_name: string | null;
  cancel_reason: string | null;
  created_at: Date;
}

export async function findBookingDetails(sql: Queryable, id: number): Promise<BookingDetails | undefined> {
  const [row] = await sql<BookingDetails[]>`
    select b.id, b.venue_id, v.name as venue_name, v.location as venue_location, v.time_zone,
      b.user_id, u.email as user_email, u.full_name as user_name,
      b.event_name, b.event_details, lower(b.during) as starts_at, upper(b.during) as ends_at,
      b.status, b.schedule_version, b.reminder_sent, b.reminder_sent_at, b.confirmed, b.confirmed_at,
      b.auto_cancelled, b.auto_cancelled_at, b.auto_cancel_reason,
      b.cancelled_at, b.cancelled_by, c.full_name as cancelled_by_name, b.cancel_reason, b.created_at
    from bookings b
    join venues v on v.id = b.venue_id
    join users u on u.id = b.user_id
    left join users c on c.id = b.cancelled_by
    where b.id = ${id}`;
  return row;
}
