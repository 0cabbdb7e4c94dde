import type { Queryable } from '../db/sql';
import { venueLocalDate, venueLocalSlot } from '../db/venue-local-time';

/** Where a booking stands in its lifecycle, as its row says; shared by the API's view and the messages' details. */
export interface BookingStatusFields {
  status: 'active' | 'cancelled' | 'completed';
  reminder_sent: boolean;
  reminder_sent_at: Date | null;
  /** The confirmation deadline the reminder named (null before it went out): see `confirmationDeadline`. */
  confirm_deadline: Date | null;
  /** When the reminder's email bounced: the booking is then not cancelled for silence. */
  reminder_email_bounced_at: Date | null;
  /** At a venue whose staff approve bookings: the request's state (null elsewhere), its deadline, and a denial's reason. */
  approval_status: 'pending' | 'approved' | 'denied' | null;
  approval_deadline: Date | null;
  approval_decided_at: Date | null;
  /** Who decided; null when the deadline's default did. */
  approval_decided_by: number | null;
  approval_reason: string | null;
  /** An occurrence of a repeating booking: its series (null for a single booking). */
  series_id: number | null;
  /** Booked past the venue's rules by its staff: why (null otherwise). */
  rule_override_reason: string | null;
  confirmed: boolean;
  confirmed_at: Date | null;
  auto_cancelled: boolean;
  auto_cancelled_at: Date | null;
  auto_cancel_reason: string | null;
  cancelled_at: Date | null;
  cancelled_by: number | null;
  cancel_reason: string | null;
  created_at: Date;
  /** The check-in window when the venue asks for one (else both null): opens before the start, closes after it. */
  check_in_opens_at: Date | null;
  check_in_closes_at: Date | null;
  checked_in_at: Date | null;
  /** Released because nobody checked in by the window's close. */
  no_show: boolean;
  no_show_at: Date | null;
}

/** The deadline and check-in columns of BookingStatusFields, for a query over `bookings b join venues v`. */
export const lifecycleColumns = (sql: Queryable) => sql`
  b.confirm_deadline, b.reminder_email_bounced_at, b.approval_status, b.approval_deadline, b.approval_decided_at, b.approval_decided_by, b.approval_reason, b.series_id, b.rule_override_reason,
  case when v.check_in_required then lower(b.during) - v.check_in_opens_before end as check_in_opens_at,
  case when v.check_in_required then least(lower(b.during) + v.check_in_closes_after, upper(b.during)) end as check_in_closes_at,
  b.checked_in_at, b.no_show, b.no_show_at`;

/**
 * Where a booking stands, in one word a venue's desk reads (and filters on): each booking is in
 * exactly one. A denied request is `cancelled`; a booking checked in stays `checked_in` until it ends.
 */
export const BOOKING_STATES = [
  'pending_approval',
  'awaiting_confirmation',
  'confirmed',
  'checked_in',
  'no_show',
  'cancelled',
  'completed',
] as const;
export type BookingState = (typeof BOOKING_STATES)[number];
/** A state, or `needs_action`: a request to decide, a reminded booking not yet confirmed, or a check-in window open now. */
export type BookingStateFilter = BookingState | 'needs_action';

/** The one definition of a booking's state, for a query over `bookings b join venues v`: the column and the filter read it. */
const stateOf = (sql: Queryable) => sql`
  case
    when b.status = 'cancelled' then case when b.no_show then 'no_show' else 'cancelled' end
    when b.status = 'completed' then 'completed'
    when b.approval_status = 'pending' then 'pending_approval'
    when b.checked_in_at is not null then 'checked_in'
    when b.confirmed then 'confirmed'
    else 'awaiting_confirmation'
  end`;

function stateFilter(sql: Queryable, state: BookingStateFilter | undefined) {
  if (!state) return sql`true`;
  if (state !== 'needs_action') return sql`(${stateOf(sql)}) = ${state}`;
  const checkInOpen = sql`v.check_in_required and b.checked_in_at is null
    and now() >= lower(b.during) - v.check_in_opens_before and now() < least(lower(b.during) + v.check_in_closes_after, upper(b.during))`;
  return sql`b.status = 'active' and (b.approval_status = 'pending' or (not b.confirmed and b.reminder_sent) or (${checkInOpen}))`;
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
  /** The booker's name (the view is shown only to those who may see the booking). */
  user_name: string;
  /** The venue's IANA zone, in which date and times are written. */
  time_zone: string;
  starts_at: Date;
  ends_at: Date;
  state: BookingState;
}

/** Which bookings by their time: not yet ended, or ended. */
export type BookingWhen = 'upcoming' | 'past';

const viewColumns = (sql: Queryable) => sql`
  b.id, b.venue_id as venue, v.name as venue_name, b.user_id as "user", u.full_name as user_name, v.time_zone,
  lower(b.during) as starts_at, upper(b.during) as ends_at,
  ${venueLocalSlot(sql, { startsAt: sql`lower(b.during)`, endsAt: sql`upper(b.during)` }, sql`v.time_zone`, 'HH24:MI:SS')},
  b.event_name, b.event_details, b.status, b.reminder_sent, b.reminder_sent_at, b.confirmed, b.confirmed_at,
  b.auto_cancelled, b.auto_cancelled_at, b.auto_cancel_reason, b.cancelled_at, b.cancelled_by, b.cancel_reason, b.created_at,
  ${stateOf(sql)} as state,
  ${lifecycleColumns(sql)}`;

export async function findBookingView(sql: Queryable, id: number): Promise<BookingView | undefined> {
  const [row] = await sql<
    BookingView[]
  >`select ${viewColumns(sql)} from bookings b join venues v on v.id = b.venue_id join users u on u.id = b.user_id where b.id = ${id}`;
  return row;
}

export interface BookingFilter {
  /** Whose bookings the caller may see. */
  visibility: { kind: 'all' } | { kind: 'own'; userId: number } | { kind: 'own_and_venues'; userId: number };
  status?: BookingView['status'];
  venueId?: number;
  /** A local date at the venue. */
  date?: string;
  /** Starting on these local dates at their venue (inclusive); either given, soonest start first. */
  from?: string;
  to?: string;
  state?: BookingStateFilter;
  when?: BookingWhen;
  before?: number;
  /** Soonest first (when=upcoming, or a from/to range): rows after this start and id. */
  after?: { startsAt: Date; id: number };
  limit: number;
}

export async function listBookingViews(sql: Queryable, f: BookingFilter): Promise<BookingView[]> {
  const visible =
    f.visibility.kind === 'all'
      ? sql`true`
      : f.visibility.kind === 'own'
        ? sql`b.user_id = ${f.visibility.userId}`
        : sql`(b.user_id = ${f.visibility.userId} or b.venue_id in (select venue_id from venue_admins where user_id = ${f.visibility.userId}))`;
  const byStart = f.when === 'upcoming' || f.from !== undefined || f.to !== undefined;
  return sql<BookingView[]>`
    select ${viewColumns(sql)} from bookings b join venues v on v.id = b.venue_id join users u on u.id = b.user_id
    where ${visible}
      and ${f.status ? sql`b.status = ${f.status}` : sql`true`}
      and ${f.venueId ? sql`b.venue_id = ${f.venueId}` : sql`true`}
      and ${f.date ? sql`${venueLocalDate(sql, sql`lower(b.during)`, sql`v.time_zone`)} = ${f.date}::date` : sql`true`}
      and ${f.from ? sql`lower(b.during) >= (${f.from}::date)::timestamp at time zone v.time_zone` : sql`true`}
      and ${f.to ? sql`lower(b.during) < (${f.to}::date + 1)::timestamp at time zone v.time_zone` : sql`true`}
      and ${stateFilter(sql, f.state)}
      and ${f.when === 'upcoming' ? sql`upper(b.during) > now()` : f.when === 'past' ? sql`upper(b.during) <= now()` : sql`true`}
      and ${f.before ? sql`b.id < ${f.before}` : sql`true`}
      and ${f.after ? sql`(lower(b.during), b.id) > (${f.after.startsAt}::timestamptz, ${f.after.id}::bigint)` : sql`true`}
    order by ${byStart ? sql`lower(b.during), b.id` : sql`b.id desc`} limit ${f.limit}`;
}

/** One booking on a venue's day plan: when, and (only to those who may see it) which. */
export interface ScheduledSlot {
  start_time: string;
  end_time: string;
  /** The local date it starts on: the day before for a booking running past midnight into this day. */
  date: string;
  mine: boolean;
  id: number | null;
  event_name: string | null;
}

/**
 * The active and completed bookings overlapping a venue-local day, in start order, so anyone
 * choosing a time sees what is taken. The booker's own bookings, and every booking for the venue's
 * admins and super admins, carry their id and name; others read only "booked".
 */
export async function venueDaySchedule(
  sql: Queryable,
  venueId: number,
  date: string,
  viewer: { id: number; role: string },
): Promise<ScheduledSlot[]> {
  const seesAll =
    viewer.role === 'super_admin'
      ? sql`true`
      : sql`exists (select 1 from venue_admins a where a.venue_id = b.venue_id and a.user_id = ${viewer.id})`;
  return sql<ScheduledSlot[]>`
    select ${venueLocalSlot(sql, { startsAt: sql`lower(b.during)`, endsAt: sql`upper(b.during)` }, sql`v.time_zone`, 'HH24:MI:SS')},
      b.user_id = ${viewer.id} as mine,
      case when b.user_id = ${viewer.id} or ${seesAll} then b.id end as id,
      case when b.user_id = ${viewer.id} or ${seesAll} then b.event_name end as event_name
    from bookings b join venues v on v.id = b.venue_id
    where b.venue_id = ${venueId} and b.status in ('active', 'completed')
      and b.during && tstzrange((${date}::date)::timestamp at time zone v.time_zone, (${date}::date + 1)::timestamp at time zone v.time_zone)
    order by lower(b.during)`;
}
