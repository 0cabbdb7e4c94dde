import type { Queryable } from '../db/sql';
import { lifecycleColumns, type BookingStatusFields } from './queries';

/** A booking with what messages about it need: venue, zone, booker, and who cancelled. */
export interface BookingDetails extends BookingStatusFields {
  id: number;
  venue_id: number;
  venue_name: string;
  venue_location: string;
  time_zone: string;
  user_id: number;
  user_email: string;
  user_name: string;
  /** Whether the booker's account is open. */
  user_active: boolean;
  event_name: string;
  event_details: string;
  starts_at: Date;
  ends_at: Date;
  schedule_version: number;
  /** The schedule version a move of its series gave it (that series' notice told of the move). */
  moved_with_series_version: number | null;
  /** A date of a repeating request decided with its series (the series' notice tells of it). */
  approval_with_series: boolean;
  cancelled_by_name: string | null;
}

export async function findBookingDetails(sql: Queryable, id: number): Promise<BookingDetails | undefined> {
  const [row] = await sql<BookingDetails[]>`
    select b.id, b.venue_id, v.name as venue_name, v.location as venue_location, v.time_zone,
      b.user_id, u.email as user_email, u.full_name as user_name, u.is_active as user_active,
      b.event_name, b.event_details, lower(b.during) as starts_at, upper(b.during) as ends_at,
      b.status, b.schedule_version, b.moved_with_series_version, b.approval_with_series, b.reminder_sent, b.reminder_sent_at, b.confirmed, b.confirmed_at,
      b.auto_cancelled, b.auto_cancelled_at, b.auto_cancel_reason,
      b.cancelled_at, b.cancelled_by, c.full_name as cancelled_by_name, b.cancel_reason, b.created_at,
      ${lifecycleColumns(sql)}
    from bookings b
    join venues v on v.id = b.venue_id
    join users u on u.id = b.user_id
    left join users c on c.id = b.cancelled_by
    where b.id = ${id}`;
  return row;
}
