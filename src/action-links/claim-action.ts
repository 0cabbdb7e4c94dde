import { forbidden, isDomainError, notFound } from '../domain/errors';
import { formatInstant, formatSlot } from '../mail/format-time';
import { claimOffer } from '../waitlist/commands';
import { findWaitlistEntryDetails, type WaitlistEntryDetails } from '../waitlist/details';
import type { ActionHandler, ActionPage, ActionPrompt, ActionRequest } from './action-handler';

/** The claim button in the "slot available" email: the waiter takes the offered slot as a booking. */
export const claimOfferAction: ActionHandler = {
  async describe(request) {
    const entry = await ownEntry(request);
    return (
      claimSettled(entry) ?? {
        ...page(
          'ok',
          'info',
          'Claim this slot',
          `${entry.venue_name} is free on ${whenOf(entry)}, held for you until ${formatInstant(entry.offer_expires_at!, entry.time_zone)}.`,
          entry,
        ),
        button: { label: 'Claim slot', tone: 'primary' },
      }
    );
  },

  async perform(request) {
    const { deps, user, targetId } = request;
    try {
      const { bookingId, claimedNow } = await claimOffer(deps, user, targetId);
      const entry = await ownEntry(request);
      return claimedNow
        ? page(
            'ok',
            'success',
            'Slot claimed',
            `${entry.venue_name} on ${whenOf(entry)} is now your booking (number ${bookingId}).`,
            entry,
          )
        : alreadyClaimed(entry);
    } catch (error) {
      // Expired, left, or booked by someone else meanwhile: say what became of the offer.
      if (isDomainError(error, 'invalid', 'conflict')) {
        const settled = claimSettled(await ownEntry(request));
        if (settled) return settled;
      }
      throw error;
    }
  },
};

/** The page for an offer that can no longer be claimed; null while it can. */
function claimSettled(entry: WaitlistEntryDetails): ActionPrompt | null {
  if (entry.status === 'claimed') return { ...alreadyClaimed(entry), button: null };
  const lapsed =
    entry.status === 'expired' ||
    (entry.status === 'offered' && (!entry.offer_expires_at || entry.offer_expires_at <= new Date()));
  if (lapsed) {
    return {
      ...page(
        'gone',
        'warning',
        'This offer has expired',
        'The time to claim it has passed, and the slot was offered to the next person in line.',
        entry,
      ),
      button: null,
    };
  }
  if (entry.status !== 'offered') {
    return {
      ...page(
        'conflict',
        'error',
        'There is no open offer',
        `This waitlist entry is ${entry.status}, so there is nothing to claim.`,
        entry,
      ),
      button: null,
    };
  }
  return null;
}

function alreadyClaimed(entry: WaitlistEntryDetails): ActionPage {
  const booking = entry.booking_id ? ` It is booking number ${entry.booking_id}.` : '';
  return page('ok', 'success', 'Slot already claimed', `You have already claimed this slot.${booking}`, entry);
}

async function ownEntry({ deps, user, targetId }: ActionRequest): Promise<WaitlistEntryDetails> {
  const entry = await findWaitlistEntryDetails(deps.sql, targetId);
  if (!entry) throw notFound('Waitlist entry');
  if (entry.user_id !== user.id) throw forbidden('This waitlist entry belongs to someone else');
  return entry;
}

function page(
  outcome: ActionPage['outcome'],
  tone: ActionPage['tone'],
  title: string,
  message: string,
  entry: WaitlistEntryDetails,
): ActionPage {
  // Once claimed, the booking is where the reader goes on; before, their waitlist.
  const link = entry.booking_id
    ? { href: `/bookings/${entry.booking_id}`, label: 'Open your booking in BookIT' }
    : { href: `/waitlist/${entry.id}`, label: 'Open your waitlist in BookIT' };
  return {
    outcome,
    tone,
    title,
    message,
    details: [
      { label: 'Venue', value: entry.venue_name },
      { label: 'When', value: whenOf(entry) },
    ],
    link,
  };
}

function whenOf(entry: WaitlistEntryDetails): string {
  return formatSlot(entry.starts_at, entry.ends_at, entry.time_zone);
}
