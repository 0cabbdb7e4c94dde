import { useEffect, useState } from 'preact/hooks';
import type { Booking } from '../api/types';
import { checkInWindow, mayCheckInNow } from '../format/check-in';

const HOUR = 3_600_000;

/**
 * Whether the booker may check in now, re-rendering as the window opens and closes (a page left
 * open shows the button on time). After the close the server releases the booking and says so.
 */
export function useCheckInOpen(booking: Booking): boolean {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const window = checkInWindow(booking);
    if (!window || booking.status !== 'active' || booking.checked_in_at) return;
    const now = Date.now();
    const next = [window.opens.getTime(), window.closes.getTime()].find((boundary) => boundary > now);
    if (next === undefined) return;
    // Capped: a delay over ~24.8 days overflows setTimeout and would fire at once.
    const timer = setTimeout(() => setTick((n) => n + 1), Math.min(next - now + 50, HOUR));
    return () => clearTimeout(timer);
  }, [tick, booking.check_in_opens_at, booking.check_in_closes_at, booking.status, booking.checked_in_at]);
  return mayCheckInNow(booking);
}
