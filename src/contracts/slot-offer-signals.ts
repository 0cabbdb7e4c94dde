import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { FreedInterval } from './slot-offer-policy';

/** What a claim or a leave did to an open offer; the API writes it to the row first, then signals. */
export type SettledOutcome = 'claimed' | 'left';

export interface OfferSettled {
  entryId: number;
  outcome: SettledOutcome;
}

export type OfferOutcome = 'open' | SettledOutcome | 'expired';

export interface SlotOfferInput {
  venueId: number;
  /** Freed intervals known at start; the signal-with-start that starts the workflow adds its own. */
  freed: FreedInterval[];
  /** Carried across continue-as-new. */
  carried?: { offers: OfferRecord[]; settings: SlotOfferSettings };
}

/** Read once per run from the worker's configuration (an activity), so every decision replays alike. */
export interface SlotOfferSettings {
  venueName: string;
  offerWindowMs: number;
  emailRetryInitialMs: number;
}

export interface OfferRecord {
  entryId: number;
  userId: number;
  priority: number;
  /** The waiter's own interval, ISO instants. */
  startsAt: string;
  endsAt: string;
  offeredAt: string;
  expiresAt: string;
  outcome: OfferOutcome;
}

export type SlotOfferPhase = 'offering' | 'finished';
export type SlotOfferEnd = 'taken' | 'nobody_eligible';

/** What the `state` query answers, for operators and tests. */
export interface SlotOfferState {
  venueId: number;
  venueName: string | null;
  phase: SlotOfferPhase;
  /** The freed intervals being offered, merged, ISO instants. */
  freed: Array<{ startsAt: string; endsAt: string }>;
  current: OfferRecord | null;
  /** Offers made, oldest first (the most recent ones after a continue-as-new). */
  offers: OfferRecord[];
  end: SlotOfferEnd | null;
  closedEntries: number;
}

// A freed interval (epoch ms) joins what the workflow offers; it is also the signal of the
// signal-with-start that begins the workflow.
export const slotFreedSignal = defineSignal<[FreedInterval]>('slotFreed');
export const offerSettledSignal = defineSignal<[OfferSettled]>('offerSettled');
export const slotOfferStateQuery = defineQuery<SlotOfferState>('state');

/** An offer as the workflow records it; instants as epoch milliseconds. */
export interface MadeOffer {
  entryId: number;
  userId: number;
  priority: number;
  startsAt: number;
  endsAt: number;
  offeredAt: number;
  expiresAt: number;
}
