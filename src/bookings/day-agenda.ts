import type { Queryable } from '../db/sql';

/** An active booking on a hall admin's day, as the daily digest lists it. */
export interface AgendaBooking {
  id: number;
  venue_name: string;
  booker_name: string;
  event_name: string;
  starts_at: Date;
  ends_at: Date;
  confirmed: boolean;
  reminder_sent: boolean;
  /** The deadline the reminder named (null before it went out). */
  confirm_deadline: Date | null;
}

/**
 * The active bookings starting on `localDate` at the venues `adminId` administers in `timeZone`, in
 * start order: what is still on that day's plan (cancelled and completed ones are not).
 */
export async function adminDayAgenda(
  sql: Queryable,
  { adminId, timeZone, localDate }: { adminId: number; timeZone: string; localDate: string },
): Promise<AgendaBooking[]> {
  return sql<AgendaBooking[]>`
    select b.id, v.name as venue_name, u.full_name as booker_name, b.event_name,
      lower(b.during) as starts_at, upper(b.during) as ends_at, b.confirmed, b.reminder_sent, b.confirm_deadline
    from bookings b
    join venues v on v.id = b.venue_id
    join users u on u.id = b.user_id
    where b.status = 'active'
      and v.time_zone = ${timeZone}
      and b.venue_id in (select venue_id from venue_admins where user_id = ${adminId})
      and lower(b.during) >= (${localDate}::date)::timestamp at time zone ${timeZone}
      and lower(b.during) < (${localDate}::date + 1)::timestamp at time zone ${timeZone}
    order by lower(b.during), v.name, b.id`;
}
