import type { WaitingEntry } from '../api/types';
import { formatSlot } from '../format/zoned-time';
import { OfferCountdown } from './OfferCountdown';

export interface WaitlistItemProps {
  entry: WaitingEntry;
  highlighted: boolean;
  busy: boolean;
  onClaim: () => void;
  onLeave: () => void;
  onOfferExpired: () => void;
}

/** One open entry: the slot in its venue's zone, the place in the queue, and an open offer counting down. */
export function WaitlistItem({ entry, highlighted, busy, onClaim, onLeave, onOfferExpired }: WaitlistItemProps) {
  const slot = formatSlot(new Date(entry.starts_at), new Date(entry.ends_at), entry.time_zone);
  const offerEndsAt =
    entry.status === 'offered' && entry.offer_expires_at ? new Date(entry.offer_expires_at).getTime() : null;
  // After a no-show, only the rest of the slot is on offer: that is what a claim books.
  const onOffer =
    entry.offer_starts_at && entry.offer_ends_at
      ? formatSlot(new Date(entry.offer_starts_at), new Date(entry.offer_ends_at), entry.time_zone)
      : null;
  return (
    <li
      id={`waitlist-entry-${entry.id}`}
      class={highlighted ? 'card waitlist-entry highlight' : 'card waitlist-entry'}
      aria-current={highlighted ? 'true' : undefined}
      tabIndex={highlighted ? -1 : undefined}
    >
      <h2 class="card-title">{entry.venue_name}</h2>
      <p>{slot}</p>
      {offerEndsAt !== null && onOffer && <p>On offer: the rest of the slot, {onOffer}</p>}
      <p>{entry.users_ahead === 0 ? 'Nobody ahead of you' : `${entry.users_ahead} ahead of you`}</p>
      {offerEndsAt !== null && <OfferCountdown expiresAt={offerEndsAt} onExpired={onOfferExpired} />}
      <div class="actions">
        {offerEndsAt !== null && (
          <button
            type="button"
            class="primary"
            disabled={busy}
            onClick={onClaim}
            aria-label={`Claim: ${entry.venue_name}, ${onOffer ?? slot}`}
          >
            Claim
          </button>
        )}
        <button
          type="button"
          disabled={busy}
          onClick={onLeave}
          aria-label={`Leave waitlist: ${entry.venue_name}, ${slot}`}
        >
          Leave waitlist
        </button>
      </div>
    </li>
  );
}
