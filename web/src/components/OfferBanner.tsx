import { useLocation } from 'preact-iso/router';
import { useState } from 'preact/hooks';
import { errorMessage } from '../api/api-error';
import { claimOffer, listMyWaitingEntries } from '../api/waitlist';
import { formatSlot } from '../format/zoned-time';
import { isWaitlistNews, useLiveRefetch } from '../hooks/use-live-refetch';
import { useLoad } from '../hooks/use-load';
import { showToast } from '../state/toasts';
import { OfferCountdown } from './OfferCountdown';

/**
 * A slot offered to the person, on every page but the waitlist's own (which lists it): where and
 * when, the minutes left to claim it, and Claim. Read when the app opens and again on waitlist news
 * (an offer, its expiry, a claim elsewhere).
 */
export function OfferBanner() {
  const { path, route } = useLocation();
  const entries = useLoad(listMyWaitingEntries, []);
  useLiveRefetch(isWaitlistNews, entries.reload);
  const [busy, setBusy] = useState(false);
  const offers = (entries.data ?? []).filter(
    (entry) => entry.status === 'offered' && entry.offer_expires_at && Date.parse(entry.offer_expires_at) > Date.now(),
  );
  if (path.startsWith('/waitlist') || offers.length === 0) return null;

  const claim = async (id: number) => {
    setBusy(true);
    try {
      const claimed = await claimOffer(id);
      showToast({ message: 'Claimed — it is now your booking.', tone: 'info' });
      route(`/bookings/${claimed.booking_id}`);
    } catch (failure) {
      showToast({ message: errorMessage(failure), tone: 'error' });
    } finally {
      setBusy(false);
      entries.reload();
    }
  };

  return (
    <section class="offer-banner container" aria-label="A slot offered to you">
      {offers.map((entry) => {
        const slot = formatSlot(
          new Date(entry.offer_starts_at ?? entry.starts_at),
          new Date(entry.offer_ends_at ?? entry.ends_at),
          entry.time_zone,
        );
        return (
          <div key={entry.id} class="offer-banner-item">
            <p>
              <strong>{entry.venue_name}</strong>, {slot} is free for you.
            </p>
            <OfferCountdown expiresAt={Date.parse(entry.offer_expires_at as string)} onExpired={entries.reload} />
            <div class="actions">
              <button
                type="button"
                class="primary"
                disabled={busy}
                aria-label={`Claim: ${entry.venue_name}, ${slot}`}
                onClick={() => claim(entry.id)}
              >
                Claim
              </button>
              <a href={`/waitlist/${entry.id}`}>See it on the waitlist</a>
            </div>
          </div>
        );
      })}
    </section>
  );
}
