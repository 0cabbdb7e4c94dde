import {
  closeStartedWaiting,
  findOpenOfferOf,
  lockNextEligibleEntry,
  markExpired,
  markOffered,
  type WaitlistStatus,
} from '../src/waitlist/entries';
import type { TransactionSql } from '../src/db/sql';
import { findVenue } from '../src/venues/store';
import { offerExpiresAt, type FreedInterval } from '../src/contracts/slot-offer-policy';
import type { MadeOffer, SlotOfferSettings } from '../src/contracts/slot-offer-signals';
import type { ActivityDeps } from './deps';

export interface OfferRequest {
  venueId: number;
  workflowId: string;
  freed: FreedInterval[];
  /** Workflow time: the offer's record and its deadline follow the workflow's clock. */
  atMs: number;
  offerWindowMs: number;
}

const toIntervals = (freed: FreedInterval[]) =>
  freed.map((f) => ({ startsAt: new Date(f.startsAt), endsAt: new Date(f.endsAt) }));

/** The slot-offer workflow's reads and conditional updates of waitlist rows. */
export function waitlistActivities({ sql, config, logger }: ActivityDeps) {
  return {
    async loadSlotOfferSettings(venueId: number): Promise<SlotOfferSettings> {
      const venue = await findVenue(sql, venueId);
      return {
        venueName: venue?.name ?? `Venue ${venueId}`,
        offerWindowMs: config.lifecycle.offerWindowMs,
        emailRetryInitialMs: config.lifecycle.emailRetryInitialMs,
      };
    },

    /**
     * Offers the freed time to the next eligible waiter, or answers null when nobody is left. The
     * row is locked (skipping rows others hold) and then changed only if it is still waiting.
     */
    async offerNextWaiter(request: OfferRequest): Promise<MadeOffer | null> {
      if (request.freed.length === 0) return null;
      const at = new Date(request.atMs);
      const offerToNextEligible = async (tx: TransactionSql) => {
        const next = await lockNextEligibleEntry(tx, request.venueId, toIntervals(request.freed), at);
        if (!next) return undefined;
        // The rest of a slot that has begun is held until the window closes or the slot ends.
        const begun = next.offer_starts_at.getTime() <= request.atMs;
        const cutoff = begun ? next.offer_ends_at.getTime() : next.offer_starts_at.getTime();
        const expiresAt = new Date(offerExpiresAt(request.atMs, request.offerWindowMs, cutoff));
        const part = begun ? { startsAt: next.offer_starts_at, endsAt: next.offer_ends_at } : null;
        const offered = await markOffered(tx, next.id, { at, expiresAt, workflowId: request.workflowId, part });
        if (offered) logger.info({ entryId: offered.id, venueId: request.venueId, expiresAt }, 'waitlist slot offered');
        return offered;
      };
      return sql.begin(async (tx) => {
        const offered = (await findOpenOfferOf(tx, request.workflowId)) ?? (await offerToNextEligible(tx));
        if (!offered) return null;
        return {
          entryId: offered.id,
          userId: offered.user_id,
          priority: offered.priority,
          startsAt: offered.starts_at.getTime(),
          endsAt: offered.ends_at.getTime(),
          offeredAt: offered.notified_at.getTime(),
          expiresAt: offered.offer_expires_at.getTime(),
        };
      }) as Promise<MadeOffer | null>;
    },

    /** 'expired', or the status a claim or leave that committed first left the entry in. */
    async expireOffer(entryId: number): Promise<WaitlistStatus | null> {
      return (await markExpired(sql, entryId)) ?? null;
    },

    async closeStartedWaiters(venueId: number, freed: FreedInterval[], atMs: number): Promise<number> {
      if (freed.length === 0) return 0;
      return closeStartedWaiting(sql, venueId, toIntervals(freed), new Date(atMs));
    },
  };
}
