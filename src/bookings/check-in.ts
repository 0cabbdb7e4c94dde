import type { ActingUser } from '../domain/acting-user';
import { conflict } from '../domain/errors';
import { outbox } from '../db/outbox';
import type { Queryable } from '../db/sql';
import { formatInstant } from '../mail/format-time';
import { bookingWorkflowId } from '../temporal/workflow-ids';
import { checkInSignal } from '../contracts/booking-signals';
import { bookingFor, type BookingDeps, type ExpectedSchedule } from './commands';
import { findBookingView, type BookingView } from './queries';

/**
 * The booker (or the venue's staff, at its desk) checks in, inside the venue's window (from its lead before the start until its close
 * after it): one conditional update, then the workflow is told to look again so it stops waiting to
 * release the booking. Repeating it answers the first check-in.
 */
export async function checkInBooking(
  deps: BookingDeps,
  user: Pick<ActingUser, 'id' | 'role'>,
  id: number,
  expected?: ExpectedSchedule,
): Promise<{ booking: BookingView; checkedInNow: boolean }> {
  await bookingFor(deps.sql, user, id, 'check_in');
  return deps.sql.begin(async (tx) => {
    const changed = await tx`
      update bookings b set checked_in_at = now(), updated_at = now()
      from venues v
      where b.id = ${id} and v.id = b.venue_id and v.check_in_required and b.status = 'active' and b.checked_in_at is null
        and now() >= lower(b.during) - v.check_in_opens_before and now() < least(lower(b.during) + v.check_in_closes_after, upper(b.during))
        ${expected ? tx`and b.schedule_version = ${expected.scheduleVersion}` : tx``}
      returning b.id`;
    const booking = (await findBookingView(tx, id))!;
    if (changed.length === 0) {
      if (booking.checked_in_at) return { booking, checkedInNow: false };
      throw conflict(await whyNotNow(tx, booking, expected));
    }
    await outbox.signal(tx, checkInSignal, bookingWorkflowId(id));
    return { booking, checkedInNow: true };
  }) as Promise<{ booking: BookingView; checkedInNow: boolean }>;
}

async function whyNotNow(
  sql: Queryable,
  booking: BookingView,
  expected: ExpectedSchedule | undefined,
): Promise<string> {
  if (booking.no_show) return 'The booking was released as a no-show';
  if (booking.status !== 'active') return `The booking is ${booking.status} and cannot be checked in`;
  if (!booking.check_in_opens_at || !booking.check_in_closes_at) return 'This venue does not ask for check-in';
  const [row] = await sql<{ now: Date }[]>`select now()`;
  const now = row!.now;
  if (now < booking.check_in_opens_at)
    return `Check-in opens at ${formatInstant(booking.check_in_opens_at, booking.time_zone)}`;
  if (now >= booking.check_in_closes_at)
    return `The check-in window closed at ${formatInstant(booking.check_in_closes_at, booking.time_zone)}`;
  return expected ? 'The booking was rescheduled after this link was sent' : 'The booking cannot be checked in now';
}

/** Per member, how many of their bookings at a venue were released as no-shows, most first. */
export async function noShowCounts(
  sql: Queryable,
  venueId: number,
): Promise<Array<{ user_id: number; full_name: string; email: string; no_shows: number; last_no_show_at: Date }>> {
  return sql`
    select u.id as user_id, u.full_name, u.email, count(*)::int as no_shows, max(b.no_show_at) as last_no_show_at
    from bookings b join users u on u.id = b.user_id
    where b.venue_id = ${venueId} and b.no_show
    group by u.id order by no_shows desc, last_no_show_at desc`;
}
