import { enqueueOutbox } from '../db/outbox';
import type { Queryable } from '../db/sql';
import { hasWaitersWithin } from '../db/waitlist';
import { slotOfferWorkflowId } from '../temporal/workflow-ids';
import type { SlotOfferInput } from '../../workflows/slot-offer-signals';
import type { FreedInterval } from '../../workflows/slot-offer-policy';

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
  if (slot.startsAt.getTime() <= now.getTime()) return;
  if (!(await hasWaitersWithin(tx, slot.venueId, slot))) return;
  const [venue] = await tx<{ name: string; date: string; start_time: string; end_time: string }[]>`
    select name,
      to_char(${slot.startsAt}::timestamptz at time zone time_zone, 'YYYY-MM-DD') as date,
      to_char(${slot.startsAt}::timestamptz at time zone time_zone, 'HH24:MI') as start_time,
      to_char(${slot.endsAt}::timestamptz at time zone time_zone, 'HH24:MI') as end_time
    from venues where id = ${slot.venueId}`;
  const interval: FreedInterval = { startsAt: slot.startsAt.getTime(), endsAt: slot.endsAt.getTime() };
  const input: SlotOfferInput = { venueId: slot.venueId, freed: [] };
  await enqueueOutbox(tx, {
    kind: 'signal_with_start',
    workflowId: slotOfferWorkflowId(slot.venueId, slot.startsAt, slot.endsAt),
    workflowType: 'slotOfferWorkflow',
    args: [input],
    signal: 'slotFreed',
    signalArgs: [interval],
    staticSummary: `Waitlist offers · ${venue?.name ?? `Venue ${slot.venueId}`} · ${venue?.date ?? ''} ${venue?.start_time ?? ''}–${venue?.end_time ?? ''}`,
  });
}
