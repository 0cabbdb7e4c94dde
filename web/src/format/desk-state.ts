import type { Booking, BookingState } from '../api/types';
import type { DeskFilter } from '../api/desk';
import { checkedInWords, checkInWindowWords } from './check-in';
import { clockOf, dayOf, formatInstant } from './zoned-time';

/** A booking's state as the desk says it. */
export const STATE_WORDS: Record<BookingState, string> = {
  pending_approval: 'Awaiting approval',
  awaiting_confirmation: 'Awaiting confirmation',
  confirmed: 'Confirmed',
  checked_in: 'Checked in',
  no_show: 'No-show released',
  cancelled: 'Cancelled',
  completed: 'Completed',
};

/** The desk's filters, in the order its menu offers them. */
export const FILTERS: Array<{ value: DeskFilter | ''; label: string }> = [
  { value: '', label: 'All' },
  { value: 'needs_action', label: 'Needs action' },
  { value: 'pending_approval', label: 'Awaiting approval' },
  { value: 'awaiting_confirmation', label: 'Awaiting confirmation' },
  { value: 'confirmed', label: 'Confirmed' },
  { value: 'checked_in', label: 'Checked in' },
  { value: 'no_show', label: 'No-show released' },
  { value: 'cancelled', label: 'Cancelled' },
  { value: 'completed', label: 'Completed' },
];

export const isDeskFilter = (value: string | undefined): value is DeskFilter =>
  FILTERS.some((filter) => filter.value !== '' && filter.value === value);

/** "10:00–12:00", on the venue's clock; an end on a later day names it ("22:00–Wed 9 Dec, 01:00"). */
export function deskTimes(booking: Booking): string {
  const start = new Date(booking.starts_at);
  const end = new Date(booking.ends_at);
  const zone = booking.time_zone;
  const endDay = dayOf(new Date(end.getTime() - 1), zone);
  const endText = endDay === dayOf(start, zone) ? clockOf(end, zone) : `${endDay}, ${clockOf(end, zone)}`;
  return `${clockOf(start, zone)}–${endText}`;
}

/** What the desk needs to know beside the state: a deadline, the check-in, why it ended. */
export function stateDetail(booking: Booking): string | null {
  const zone = booking.time_zone;
  switch (booking.state) {
    case 'pending_approval':
      return booking.approval_deadline ? `Decide by ${formatInstant(new Date(booking.approval_deadline), zone)}` : null;
    case 'awaiting_confirmation':
      if (booking.confirm_by)
        return `Cancelled automatically at ${formatInstant(new Date(booking.confirm_by), zone)} unless confirmed`;
      return checkInWindowWords(booking) ?? (booking.reminder_sent ? null : 'Not yet reminded');
    case 'confirmed':
      return checkInWindowWords(booking);
    case 'checked_in':
    case 'completed':
      return checkedInWords(booking);
    case 'no_show':
      return 'Nobody checked in before the window closed';
    case 'cancelled':
      if (booking.approval_status === 'denied')
        return booking.approval_reason ? `Not approved: ${booking.approval_reason}` : 'Not approved';
      if (booking.auto_cancelled) return 'Not confirmed in time';
      return booking.cancel_reason ? `Reason: ${booking.cancel_reason}` : null;
  }
}
