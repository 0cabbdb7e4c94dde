// How a freed slot is offered along the waitlist: which intervals are free, and how long one
// waiter holds an offer. Pure functions of instants (epoch milliseconds), unit-tested on their own.

/** An interval a cancel, auto-cancel or reschedule freed at a venue: [startsAt, endsAt). */
export interface FreedInterval {
  startsAt: number;
  endsAt: number;
}

/**
 * The union of what has been freed so far, sorted and with overlapping or touching intervals
 * merged, so a 10:00–11:00 and an 11:00–12:00 free together offer a 10:00–12:00 waiter.
 */
export function addFreedInterval(freed: readonly FreedInterval[], next: FreedInterval): FreedInterval[] {
  if (!(next.endsAt > next.startsAt)) return [...freed];
  const all = [...freed, next].sort((a, b) => a.startsAt - b.startsAt || a.endsAt - b.endsAt);
  const merged: FreedInterval[] = [];
  for (const interval of all) {
    const last = merged.at(-1);
    if (last && interval.startsAt <= last.endsAt) last.endsAt = Math.max(last.endsAt, interval.endsAt);
    else merged.push({ ...interval });
  }
  return merged;
}

/**
 * An offer lasts the configured window, but never past the slot's start: a waiter offered a slot
 * 5 minutes before it begins has those 5 minutes.
 */
export function offerExpiresAt(offeredAt: number, windowMs: number, slotStartsAt: number): number {
  return Math.min(offeredAt + windowMs, slotStartsAt);
}

/** How much of an open offer is left at `now`; 0 once it has lapsed. */
export function offerTimeRemainingMs(expiresAt: number, now: number): number {
  return Math.max(0, expiresAt - now);
}
