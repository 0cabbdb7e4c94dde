import type { Booking } from '../api/types';
import { clockOf, dayOf, zoneNameAt } from './zoned-time';

/** The booking's check-in window as instants, or null when its venue asks for none. */
export function checkInWindow(booking: Booking): { opens: Date; closes: Date } | null {
  if (!booking.check_in_opens_at || !booking.check_in_closes_at) return null;
  return { opens: new Date(booking.check_in_opens_at), closes: new Date(booking.check_in_closes_at) };
}

/** Active, not checked in, and now inside the window: the booker may check in. */
export function mayCheckInNow(booking: Booking, now = Date.now()): boolean {
  const window = checkInWindow(booking);
  return (
    booking.status === 'active' &&
    !booking.checked_in_at &&
    window !== null &&
    now >= window.opens.getTime() &&
    now < window.closes.getTime()
  );
}

/**
 * "Check in from 13:45 until 14:15 GMT+5:30", in the venue's zone. A window reaching into another day
 * than the slot's start (opening the evening before) names the day of both times; a DST change
 * between them names both zones.
 */
export function checkInWindowWords(booking: Booking): string | null {
  const window = checkInWindow(booking);
  if (!window) return null;
  const zone = booking.time_zone;
  const startDay = dayOf(new Date(booking.starts_at), zone);
  const sameDay = dayOf(window.opens, zone) === startDay && dayOf(window.closes, zone) === startDay;
  const at = (instant: Date) =>
    sameDay ? clockOf(instant, zone) : `${dayOf(instant, zone)}, ${clockOf(instant, zone)}`;
  const opensZone = zoneNameAt(window.opens, zone);
  const closesZone = zoneNameAt(window.closes, zone);
  return opensZone === closesZone
    ? `Check in from ${at(window.opens)} until ${at(window.closes)} ${closesZone}`
    : `Check in from ${at(window.opens)} ${opensZone} until ${at(window.closes)} ${closesZone}`;
}

/** "Checked in at 13:52 GMT+5:30" (with the day when it was not the slot's). */
export function checkedInWords(booking: Booking): string | null {
  if (!booking.checked_in_at) return null;
  const zone = booking.time_zone;
  const instant = new Date(booking.checked_in_at);
  const day = dayOf(instant, zone) === dayOf(new Date(booking.starts_at), zone) ? '' : `${dayOf(instant, zone)}, `;
  return `Checked in at ${day}${clockOf(instant, zone)} ${zoneNameAt(instant, zone)}`;
}
