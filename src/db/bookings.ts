import type { Queryable } from './sql';

/** A booking as the API shows it: date and times local to the venue's zone. */
export interface BookingView {
  id: number;
  venue: number;
  venue_name: string;
  user: number;
  date: string;
  start_time: string;
  end_time: string;
  event_name: string;
  event_details: string;
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

const viewColumns = (sql: Queryable) => sql`
  b.id, b.venue_id as venue, v.name as venue_name, b.user_id as "user",
  to_char(lower(b.during) at time zone v.time_zone, 'YYYY-MM-DD') as date,
  to_char(lower(b.during) at time zone v.time_zone, 'HH24:MI:SS') as start_time,
  to_char(upper(b.during) at time zone v.time_zone, 'HH24:MI:SS') as end_time,
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
      and ${f.date ? sql`(lower(b.during) at time zone v.time_zone)::date = ${f.date}::date` : sql`true`}
      and ${f.before ? sql`b.id < ${f.before}` : sql`true`}
    order by b.id desc limit ${f.limit}`;
}

/** What the lifecycle workflow needs to decide its next step; instants as epoch milliseconds. */
export interface BookingLifecycleState {
  id: number;
  userId: number;
  venueId: number;
  venueName: string;
  timeZone: string;
  status: BookingView['status'];
  startsAt: number;
  endsAt: number;
  scheduleVersion: number;
  reminderSent: boolean;
  confirmed: boolean;
  autoCancelled: boolean;
}

export async function findLifecycleState(sql: Queryable, id: number): Promise<BookingLifecycleState | undefined> {
  const [row] = await sql<BookingLifecycleState[]>`
    select b.id, b.user_id as "userId", b.venue_id as "venueId", v.name as "venueName", v.time_zone as "timeZone", b.status,
      (extract(epoch from lower(b.during)) * 1000)::float8 as "startsAt", (extract(epoch from upper(b.during)) * 1000)::float8 as "endsAt",
      b.schedule_version as "scheduleVersion", b.reminder_sent as "reminderSent", b.confirmed, b.auto_cancelled as "autoCancelled"
    from bookings b join venues v on v.id = b.venue_id where b.id = ${id}`;
  return row;
}

/** The reminder for this timing of the booking; false when it was confirmed, cancelled, moved or already reminded. */
export async function markReminderSent(sql: Queryable, id: number, scheduleVersion: number, at: Date): Promise<boolean> {
  const rows = await sql`
    update bookings set reminder_sent = true, reminder_sent_at = ${at}, updated_at = now()
    where id = ${id} and status = 'active' and not confirmed and not reminder_sent and schedule_version = ${scheduleVersion}
    returning id`;
  return rows.length === 1;
}

/** Cancels an unconfirmed booking at its deadline; a confirm that committed first makes this change nothing. */
export async function autoCancel(sql: Queryable, id: number, scheduleVersion: number, at: Date, reason: string): Promise<{ venueId: number; startsAt: Date; endsAt: Date } | undefined> {
  const [row] = await sql<{ venueId: number; startsAt: Date; endsAt: Date }[]>`
    update bookings set status = 'cancelled', auto_cancelled = true, auto_cancelled_at = ${at}, auto_cancel_reason = ${reason},
      cancelled_at = ${at}, cancel_reason = ${reason}, updated_at = now()
    where id = ${id} and status = 'active' and not confirmed and schedule_version = ${scheduleVersion}
    returning venue_id as "venueId", lower(during) as "startsAt", upper(during) as "endsAt"`;
  return row;
}

export async function markCompleted(sql: Queryable, id: number, at: Date): Promise<boolean> {
  const rows = await sql`
    update bookings set status = 'completed', updated_at = now()
    where id = ${id} and status = 'active' and upper(during) <= ${at}
    returning id`;
  return rows.length === 1;
}
