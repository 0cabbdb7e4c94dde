import {
  allHandlersFinished,
  condition,
  continueAsNew,
  deprecatePatch,
  setCurrentDetails,
  setHandler,
  setWorkflowOptions,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { MadeOffer } from '../src/contracts/slot-offer-signals';
import { databaseSteps } from './database-steps';
import { venueIdKey } from '../src/contracts/search-attributes';
import { noticeSender, ONE_NOTICES_PIPELINE } from './notices';
import { addFreedInterval, type FreedInterval } from '../src/contracts/slot-offer-policy';
import {
  offerSettledSignal,
  slotFreedSignal,
  slotOfferStateQuery,
  type OfferRecord,
  type SettledOutcome,
  type SlotOfferEnd,
  type SlotOfferInput,
  type SlotOfferState,
} from '../src/contracts/slot-offer-signals';
import { versioningOf } from './versioning';

/**
 * A claim (or a leave) and the end of the offer window can land in one workflow task, and the
 * order they reach the code in is not guaranteed to be the same when the history is replayed (a
 * query on a finished workflow, a worker restart): taking the signal's word on one side and the
 * row's on the other made the two runs issue different commands, and the replay fed one step's
 * result to another. Every offer is now settled by its row, whichever came first.
 */
const SETTLE_EVERY_OFFER_BY_ITS_ROW = 'settle-every-offer-by-its-row';

/** Offers kept in the `state` query across a continue-as-new. */
const CARRIED_OFFERS = 20;

setWorkflowOptions(versioningOf('slotOfferWorkflow'), slotOfferWorkflow);

/**
 * Hands freed time at a venue down the waitlist, one waiter at a time: offer it to the first
 * eligible waiter, tell them, hold it for the offer window, and on expiry or a leave pass it to the
 * next. It ends once nobody eligible is left (a claim makes the rest of the queue overlap a booking;
 * a started slot makes it unservable), closing the waits whose slot has begun. PostgreSQL decides
 * every race: offers, claims, leaves and expiries are conditional updates on the entry's row.
 */
export async function slotOfferWorkflow(input: SlotOfferInput): Promise<SlotOfferEnd> {
  const { workflowId } = workflowInfo();
  const { loadSlotOfferSettings, offerNextWaiter, expireOffer, closeStartedWaiters } = databaseSteps();
  let freed: FreedInterval[] = input.freed.reduce<FreedInterval[]>(addFreedInterval, []);
  const settled = new Map<number, SettledOutcome>();
  const state: SlotOfferState = {
    venueId: input.venueId,
    venueName: input.carried?.settings.venueName ?? null,
    phase: 'offering',
    freed: [],
    current: null,
    offers: input.carried?.offers ?? [],
    end: null,
    closedEntries: 0,
  };
  setHandler(slotFreedSignal, (interval) => {
    freed = addFreedInterval(freed, interval);
    state.freed = freed.map(isoInterval);
  });
  setHandler(offerSettledSignal, ({ entryId, outcome }) => void settled.set(entryId, outcome));
  setHandler(slotOfferStateQuery, () => state);
  state.freed = freed.map(isoInterval);

  const settings = input.carried?.settings ?? (await loadSlotOfferSettings(input.venueId));
  state.venueName = settings.venueName;
  // Retired patches (workflows/patch-ledger.ts), asked where they were asked, so runs that recorded them replay.
  deprecatePatch(ONE_NOTICES_PIPELINE);
  const notices = noticeSender(settings.emailRetryInitialMs);
  deprecatePatch(SETTLE_EVERY_OFFER_BY_ITS_ROW);
  upsertSearchAttributes([{ key: venueIdKey, value: input.venueId }]);
  const allDelivered = () => notices.allDelivered();

  let lastOutcome: OfferRecord['outcome'] | null = null;
  for (;;) {
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await allDelivered();
      await continueAsNew<typeof slotOfferWorkflow>({
        venueId: input.venueId,
        freed,
        carried: { settings, offers: state.offers.slice(-CARRIED_OFFERS) },
      });
    }
    const offer = await offerNextWaiter({
      venueId: input.venueId,
      workflowId,
      freed,
      atMs: Date.now(),
      offerWindowMs: settings.offerWindowMs,
    });
    if (!offer) break;

    const record = recordOf(offer);
    state.current = record;
    state.offers.push(record);
    showDetails(settings.venueName, freed, record);
    await notices.send({ kind: 'waitlist_offer', entryId: offer.entryId, offeredAt: offer.offeredAt });

    const remaining = offer.expiresAt - Date.now();
    // A claim or a leave (its signal) ends the wait early; either way the row decides.
    if (remaining > 0)
      await condition(() => settled.has(offer.entryId), remaining, {
        summary: `Offer to waitlist entry ${offer.entryId} expires`,
      });
    // A claim or leave that committed first makes this change nothing and says what it did;
    // otherwise the offer expires now.
    const status = await expireOffer(offer.entryId);
    record.outcome = status === 'claimed' || status === 'left' ? status : 'expired';
    if (status === 'expired') await notices.send({ kind: 'waitlist_offer_expired', entryId: offer.entryId });
    lastOutcome = record.outcome;
    state.current = null;
  }

  state.closedEntries = await closeStartedWaiters(input.venueId, freed, Date.now());
  state.end = lastOutcome === 'claimed' ? 'taken' : 'nobody_eligible';
  state.phase = 'finished';
  showDetails(settings.venueName, freed, null);
  await allDelivered();
  return state.end;

  function showDetails(venueName: string, intervals: FreedInterval[], current: OfferRecord | null): void {
    const lines = [
      `**Freed at ${venueName}:** ${intervals.map((i) => `${iso(i.startsAt)} – ${iso(i.endsAt)}`).join(', ')}`,
    ];
    if (current) {
      lines.push(
        `**Offered to:** waitlist entry ${current.entryId} (user ${current.userId}, priority ${current.priority}) for ${current.startsAt} – ${current.endsAt}`,
      );
      lines.push(`**Offer expires:** ${current.expiresAt}`);
    } else {
      lines.push(
        `**Finished:** ${state.end === 'taken' ? 'the slot was claimed' : 'nobody eligible is left'}; ${state.closedEntries} waits closed`,
      );
    }
    lines.push(`**Offers made:** ${state.offers.length}`);
    setCurrentDetails(lines.join('\n\n'));
  }
}

function recordOf(offer: MadeOffer): OfferRecord {
  return {
    entryId: offer.entryId,
    userId: offer.userId,
    priority: offer.priority,
    startsAt: iso(offer.startsAt),
    endsAt: iso(offer.endsAt),
    offeredAt: iso(offer.offeredAt),
    expiresAt: iso(offer.expiresAt),
    outcome: 'open',
  };
}

const iso = (ms: number) => new Date(ms).toISOString();
const isoInterval = (i: FreedInterval) => ({ startsAt: iso(i.startsAt), endsAt: iso(i.endsAt) });
