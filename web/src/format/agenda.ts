import type { Booking } from '../api/types';
import { todayIn } from './zoned-time';

export type AgendaGroupName = 'Today' | 'Tomorrow' | 'This week' | 'Later';

/** Calendar days from `from` to `to` (both YYYY-MM-DD). */
const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** Where a booking falls, by its date on its venue's clock against today there. */
export function agendaGroupOf(booking: Pick<Booking, 'date' | 'time_zone'>, now = new Date()): AgendaGroupName {
  const ahead = daysBetween(todayIn(booking.time_zone, now), booking.date);
  if (ahead <= 0) return 'Today';
  if (ahead === 1) return 'Tomorrow';
  if (ahead < 7) return 'This week';
  return 'Later';
}

/** Bookings soonest first (as the API lists them), in their groups, empty groups left out. */
export function agendaGroups<B extends Pick<Booking, 'date' | 'time_zone'>>(
  bookings: B[],
  now = new Date(),
): { name: AgendaGroupName; bookings: B[] }[] {
  const order: AgendaGroupName[] = ['Today', 'Tomorrow', 'This week', 'Later'];
  return order
    .map((name) => ({ name, bookings: bookings.filter((b) => agendaGroupOf(b, now) === name) }))
    .filter((group) => group.bookings.length > 0);
}
