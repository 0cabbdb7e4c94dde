import type { Queryable } from '../db/sql';

export interface FreedSlot {
  venueId: number;
  startsAt: Date;
  endsAt: Date;
}

/**
 * The one place a freed interval (cancel, auto-cancel, reschedule) is handed to the waitlist, in the
 * transaction that freed it.
 */
export async function releaseSlot(_tx: Queryable, _slot: FreedSlot): Promise<void> {
  // The waitlist's offer workflow is started from here (see the waitlist issue).
}
