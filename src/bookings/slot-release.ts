import { outbox } from '../db/outbox';
import type { Queryable } from '../db/sql';
import { findVenueWithLocalSlot } from '../venues/store';
import { hasWaitersWithin } from '../waitlist/entries';
import { slotOfferWorkflowId } from '../temporal/workflow-ids';
import { slotFreedSignal } from '../contracts/slot-offer-signals';
import { workflowTypes } from '../contracts/workflow-types';
import type { FreedInterval } from '../contracts/slot-offer-policy';

export interface FreedSlot {
  venueId: number;
  startsAt: Date;
  endsAt: Date;
}

/**
 * The one place a freed interval (cancel, auto-cancel, reschedule) is handed to the waitlist, in the
 * transaction that freed it: a signal-with-start of the interval's offer workflow, delivered by the
 * outbox relay. The id comes from venue and interval, so a second free of the same interval while
 * its offers run joins that workflow instead of starting another. A slot already under way, or
 * one nobody waits for, has nothing to hand over.
 */
export async function releaseSlot(tx: Queryable, slot: FreedSlot, now = new Date()): Promise<void> {
  // Time already past cannot be offered; an interval starting now can (a no-show's rest of the slot).
  if (slot.startsAt.getTime() < now.getTime()) return;
  if (!(await hasWaitersWithin(tx, slot.venueId, slot))) return;
  const venue = await findVenueWithLocalSlot(tx, slot.venueId, slot);
  const interval: FreedInterval = { startsAt: slot.startsAt.getTime(), endsAt: slot.endsAt.getTime() };
  await outbox.signalWithStart(
    tx,
    workflowTypes.slotOfferWorkflow,
    slotOfferWorkflowId(slot.venueId, slot.startsAt, slot.endsAt),
    { venueId: slot.venueId, freed: [] },
    slotFreedSignal,
    [interval],
    {
      staticSummary: `Waitlist offers · ${venue?.name ?? `Venue ${slot.venueId}`} · ${venue?.date ?? ''} ${venue?.start_time ?? ''}–${venue?.end_time ?? ''}`,
    },
  );
}
