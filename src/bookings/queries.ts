import type { Queryable } from '../db/sql';
import { venueLocalDate, venueLocalSlot } from '../db/venue-local-time';

/** Where a booking stands in its lifecycle, as its row says; shared by the API's view and the messages' details. */
export interface BookingStatusFields {
  status: 'active' | 'cancelled' | 'completed';
  reminder_sent: boolean;
  reminder_sent_at: Date | null;
  confirmed: boolean;
  confirmed_at: Date | null;
  auto_cancelled: boolean;
  auto_cancelled_at: Date | null;
  auto_cancel_reason: string | null;
  cancelled_at: Date | null;
  cancelled_by: number | null;
  cancel_reason: string | null;
  created_at: Date;
}

/** A booking as the API shows it: date and times local to the venue's zone. */
export interface BookingView extends BookingStatusFields {
  id: number;
  venue: number;
  venue_name: string;
  user: number;
  date: string;
  start_time: string;
  end_time: string;
  event_name: string;
  event_details: string;
}

const viewColumns = (sql: Queryable) => sql`
  b.id, b.venue_id as venue, v.name as venue_name, b.user_id as "user",
  ${venueLocalSlot(sql, { startsAt: sql`lower(b.during)`, endsAt: sql`upper(b.during)` }, sql`v.time_zone`, 'HH24:MI:SS')},
  b.event_name, b.event_details, b.status, b.reminder_sent, b.reminder_sent_at, b.confirmed, b.confirmed_at,
  b.auto_cancelled, b.auto_cancelled_at, b.auto_cancel_reason, b.cancelled_at, b.cancelled_by, b.cancel_reason, b.created_at`;

export async function findBookingView(sql: Queryable, id: number): Promise<BookingView | undefined> {
  const [row] = await sql<BookingView[]>`select ${viewColumns(sql)} from bookings b join venues v on v.id = b.venue_id where b.id = ${id}`;
  return row;
}

export interface BookingFilter {
  /** Whose bookings the caller may see. */
  visibility: { kind: 'all' } | { kind: 'own'; userId: number } | { kind: 'own_and_venues'; userId: number };
  status?: BookingView['status'];
  venueId?: number;
  /** A local date at the venue. */
  date?: string;
  before?: number;
  limit: number;
}

export async function listBookingViews(sql: Queryable, f: BookingFilter): Promise<BookingView[]> {
  const visible =
    f.visibility.kind === 'all' ? sql`true`
    : f.visibility.kind === 'own' ? sql`b.user_id = ${f.visibility.userId}`
    : sql`(b.user_id = ${f.visibility.userId} or b.venue_id in (select venue_id from venue_admins where user_id = ${f.visibility.userId}))`;
  return sql<BookingView[]>`
    select ${viewColumns(sql)} from bookings b join venues v on v.id = b.venue_id
    where ${visible}
      and ${f.status ? sql`b.status = ${f.status}` : sql`true`}
      and ${f.venueId ? sql`b.venue_id = ${f.venueId}` : sql`true`}
      and ${f.date ? sql`${venueLocalDate(sql, sql`lower(b.during)`, sql`v.time_zone`)} = ${f.date}::date` : sql`true`}
      and ${f.before ? sql`b.id < ${f.before}` : sql`true`}
    order by b.id desc limit ${f.limit}`;
}
