import { useRoute } from 'preact-iso/router';
import { useEffect, useState } from 'preact/hooks';
import { errorMessage } from '../api/api-error';
import type { WaitlistEntry } from '../api/types';
import { claimOffer, leaveWaitlist, listMyEntries, listMyWaitingEntries } from '../api/waitlist';
import { ErrorAlert, Status } from '../components/Feedback';
import { PageHeading } from '../components/PageHeading';
import { WaitlistItem } from '../components/WaitlistItem';
import { isWaitlistNews, useLiveRefetch } from '../hooks/use-live-refetch';
import { formatSlot } from '../format/zoned-time';
import { useLoad } from '../hooks/use-load';

const STATUS_WORDS: Record<WaitlistEntry['status'], string> = {
  waiting: 'waiting',
  offered: 'offered to you',
  claimed: 'claimed: it is your booking now',
  expired: 'expired: the offer passed to the next person',
  left: 'left',
  closed: 'closed: the slot has begun or the venue is gone',
};

export function WaitlistPage() {
  const { params } = useRoute();
  const highlightId = params.id && /^\d+$/.test(params.id) ? Number(params.id) : null;
  const [status, setStatus] = useState<{ text: string; bookingId?: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // The open entries say all the page shows; the full list is read only for an entry a link named
  // that is no longer open (claimed, expired…), to say what became of it.
  const data = useLoad(async () => {
    const open = await listMyWaitingEntries();
    const named =
      highlightId !== null && !open.some((e) => e.id === highlightId)
        ? (await listMyEntries()).find((e) => e.id === highlightId)
        : undefined;
    return { open, named };
  }, [highlightId]);
  useLiveRefetch(isWaitlistNews, data.reload);

  const loaded = data.data;
  const highlightedOpen = loaded?.open.some((e) => e.id === highlightId) ?? false;
  useEffect(() => {
    if (highlightedOpen) document.getElementById(`waitlist-entry-${highlightId}`)?.scrollIntoView({ block: 'center' });
  }, [highlightedOpen, highlightId]);

  const act = async (action: () => Promise<{ text: string; bookingId?: number }>) => {
    setBusy(true);
    setError(null);
    try {
      setStatus(await action());
      data.reload();
    } catch (failure) {
      setError(errorMessage(failure));
      data.reload();
    } finally {
      setBusy(false);
    }
  };

  // An entry the link named that is no longer open (claimed, expired…) says what became of it,
  // unless this page just said so itself.
  const closedHighlight = !status ? loaded?.named : undefined;

  return (
    <>
      <PageHeading title="My waitlist" />
      <Status>
        {status && (
          <p>
            {status.text}
            {status.bookingId !== undefined && (
              <>
                {' '}
                <a href={`/bookings/${status.bookingId}`}>Open the booking</a>
              </>
            )}
          </p>
        )}
      </Status>
      <ErrorAlert message={error ?? (data.error ? errorMessage(data.error) : null)} />
      {closedHighlight && (
        <p class="notice">
          Your entry for {closedHighlight.venue_name},{' '}
          {formatSlot(
            new Date(closedHighlight.starts_at),
            new Date(closedHighlight.ends_at),
            closedHighlight.time_zone,
          )}{' '}
          is {STATUS_WORDS[closedHighlight.status]}.
          {closedHighlight.booking_id !== null && (
            <>
              {' '}
              <a href={`/bookings/${closedHighlight.booking_id}`}>Open the booking</a>
            </>
          )}
        </p>
      )}
      {data.loading ? (
        <p class="muted">Loading your waitlist…</p>
      ) : !loaded || loaded.open.length === 0 ? (
        <p class="muted">
          You are not waiting for any slot. When a slot you want is taken, <a href="/book">try to book it</a> and join
          its waitlist.
        </p>
      ) : (
        <ul class="card-list">
          {loaded.open.map((entry) => (
            <WaitlistItem
              key={entry.id}
              entry={entry}
              highlighted={entry.id === highlightId}
              busy={busy}
              onClaim={() =>
                act(async () => {
                  const claimed = await claimOffer(entry.id);
                  return { text: 'Claimed — it is now your booking.', bookingId: claimed.booking_id };
                })
              }
              onLeave={() => act(async () => ({ text: (await leaveWaitlist(entry.id)).message }))}
              onOfferExpired={data.reload}
            />
          ))}
        </ul>
      )}
    </>
  );
}
