import { describeDuration } from '../../config/duration';
import { formatInstant, formatSlot } from '../../mail/format-time';
import { findWaitlistEntryDetails, type WaitlistEntryDetails } from '../../waitlist/details';
import type { NoticeContext, NoticeKind, Recipient } from '../kind';
import { NOTHING } from '../kind';
import type { NoticeOf } from '../../contracts/notice';

/**
 * Freed time offered to a waiter: the part on offer (the rest of a slot already begun, when that is
 * all that is left), held until the claim deadline, with a signed Claim link. Not emailed once the
 * offer is no longer open.
 */
export const waitlistOffer: NoticeKind<NoticeOf<'waitlist_offer'>> = {
  async plan(context, notice) {
    const entry = await findWaitlistEntryDetails(context.sql, notice.entryId);
    if (!entry) return NOTHING;
    const key = `waitlist:${entry.id}:offer:${notice.offeredAt}`;
    const deadline = entry.offer_expires_at
      ? ` Claim it before ${formatInstant(entry.offer_expires_at, entry.time_zone)}.`
      : '';
    return {
      messages: [
        {
          key,
          recipient: waiter(entry),
          preference: { type: 'waitlist_slot_available' },
          inApp: {
            type: 'waitlist_slot_available',
            title: 'A slot you wanted is free',
            message: `${entry.venue_name}, ${slotWords(entry)} is available.${deadline}`,
            link: `/waitlist/${entry.id}`,
          },
          email: {
            template: 'waitlist_slot_available',
            compose: async (secrets) => {
              if (entry.status !== 'offered' || !entry.offer_expires_at) return null;
              return {
                content: {
                  waiterName: entry.user_name,
                  venueName: entry.venue_name,
                  slot: { start: entry.starts_at, end: entry.ends_at, timeZone: entry.time_zone },
                  claimBy: entry.offer_expires_at,
                  offerWindow: describeDuration(context.config.lifecycle.offerWindowMs),
                  claimUrl: await secrets.actionUrl('claim', entry.id, entry.user_id, entry.offer_expires_at),
                },
              };
            },
          },
        },
      ],
      webhook: { id: key, type: 'waitlist.offer', occurredAt: context.now.toISOString(), data: entryFacts(entry) },
    };
  },
};

/** A waitlist notice shown in-app only, with its webhook event: the entry's waiter told how it ended. */
async function inAppWaitlistNotice(
  context: NoticeContext,
  entryId: number,
  what: {
    ending: 'expired' | 'closed';
    title: string;
    message: (entry: WaitlistEntryDetails) => string;
    extra?: Record<string, unknown>;
  },
) {
  const entry = await findWaitlistEntryDetails(context.sql, entryId);
  if (!entry) return NOTHING;
  const key = `waitlist:${entry.id}:${what.ending}`;
  return {
    messages: [
      {
        key,
        recipient: waiter(entry),
        preference: { type: 'waitlist_offer_expired' as const },
        inApp: {
          type: 'waitlist_offer_expired' as const,
          title: what.title,
          message: what.message(entry),
          link: '/waitlist',
        },
        email: null,
      },
    ],
    webhook: {
      id: key,
      type: what.ending === 'expired' ? ('waitlist.offer_expired' as const) : ('waitlist.closed' as const),
      occurredAt: context.now.toISOString(),
      data: { ...entryFacts(entry), ...what.extra },
    },
  };
}

/** An offer that lapsed unclaimed and passed to the next person (in-app only). */
export const waitlistOfferExpired: NoticeKind<NoticeOf<'waitlist_offer_expired'>> = {
  plan: (context, notice) =>
    inAppWaitlistNotice(context, notice.entryId, {
      ending: 'expired',
      title: 'Your waitlist offer expired',
      message: (entry) =>
        `The offer for ${entry.venue_name}, ${slotWords(entry)} expired and passed to the next person in line.`,
    }),
};

/** A wait closed because the venue closed over its time: the waiter told nothing is coming, and why. */
export const waitlistClosed: NoticeKind<NoticeOf<'waitlist_closed'>> = {
  plan: (context, notice) =>
    inAppWaitlistNotice(context, notice.entryId, {
      ending: 'closed',
      title: 'Nothing is coming: the venue is closed',
      message: (entry) =>
        `${entry.venue_name} is closed ${slotWords(entry)} (${notice.reason}), so no offer will come and your wait for it has ended.`,
      extra: { reason: notice.reason },
    }),
};

// The entry's user is active when the offer is made (only active members are offered); a row
// read later for a deactivated one finds the offer closed, and the email no longer applies.
const waiter = (entry: WaitlistEntryDetails): Recipient => ({
  id: entry.user_id,
  email: entry.user_email,
  fullName: entry.user_name,
  isActive: true,
});
const slotWords = (entry: WaitlistEntryDetails) => formatSlot(entry.starts_at, entry.ends_at, entry.time_zone);

function entryFacts(entry: WaitlistEntryDetails): Record<string, unknown> {
  return {
    waitlist_entry_id: entry.id,
    venue_id: entry.venue_id,
    venue_name: entry.venue_name,
    time_zone: entry.time_zone,
    user_id: entry.user_id,
    starts_at: entry.starts_at.toISOString(),
    ends_at: entry.ends_at.toISOString(),
    status: entry.status,
    offer_expires_at: entry.offer_expires_at?.toISOString() ?? null,
  };
}
