import { useEffect, useRef, useState } from 'preact/hooks';
import { errorMessage } from '../api/api-error';
import { approveRequest, approveSeriesRequest } from '../api/approvals';
import type { ApprovalRequest } from '../api/types';
import { ApprovalRequestItem } from '../components/ApprovalRequestItem';
import { type DenyTarget, DenyRequestDialog } from '../components/DenyRequestDialog';
import { ErrorAlert, Status } from '../components/Feedback';
import { PageHeading } from '../components/PageHeading';
import { type SeriesRequest, SeriesRequestItem } from '../components/SeriesRequestItem';
import { datesWord } from '../components/SeriesRequestWords';
import { isBookingNews, useLiveRefetch } from '../hooks/use-live-refetch';
import { useLoad } from '../hooks/use-load';
import { readPendingRequests } from '../live/pending-requests';

const HOUR = 3_600_000;
/** After a deadline, the time the venue's default may take to be applied before the list is read again. */
const AFTER_DEADLINE_MS = 5_000;

/**
 * Reads the list again once the soonest deadline has passed: the venue's default decides the request
 * then, which tells the requester but not the staff, so no notification would refresh the page.
 */
function useReloadAfterDeadline(requests: ApprovalRequest[] | undefined, reload: () => void): void {
  useEffect(() => {
    const now = Date.now();
    const next = Math.min(...(requests ?? []).map((request) => Date.parse(request.decide_by)).filter((at) => at > now));
    if (!Number.isFinite(next)) return;
    // Capped: a delay over ~24.8 days overflows setTimeout and would fire at once.
    const timer = setTimeout(reload, Math.min(next - now + AFTER_DEADLINE_MS, HOUR));
    return () => clearTimeout(timer);
  }, [requests]);
}

/** One item of the inbox: a single request, or a repeating one with its dates still waiting. */
type InboxEntry = { kind: 'single'; request: ApprovalRequest } | { kind: 'series'; series: SeriesRequest };

/**
 * The server lists one row per booking; a repeating request's rows become one item, where its
 * first row falls (they share one deadline, so they come together, in date order).
 */
function inboxEntries(requests: ApprovalRequest[]): InboxEntry[] {
  const entries: InboxEntry[] = [];
  const seriesById = new Map<number, SeriesRequest>();
  for (const request of requests) {
    if (request.series_id === null) {
      entries.push({ kind: 'single', request });
      continue;
    }
    const known = seriesById.get(request.series_id);
    if (known) known.dates.push(request);
    else {
      const series: SeriesRequest = { seriesId: request.series_id, dates: [request] };
      seriesById.set(request.series_id, series);
      entries.push({ kind: 'series', series });
    }
  }
  return entries;
}

/**
 * The Requests inbox of hall and super admins: bookings at venues whose staff approve them, soonest
 * deadline first, each approved in one click or denied with an optional reason; a repeating booking
 * is one item, approved or denied as a whole, each of its dates deniable alone. The list follows
 * booking news live, and is read again after every decision.
 */
export function RequestsPage() {
  const requests = useLoad(readPendingRequests, []);
  useLiveRefetch(isBookingNews, requests.reload);
  useReloadAfterDeadline(requests.data, requests.reload);
  const [denying, setDenying] = useState<DenyTarget | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const list = useRef<HTMLElement>(null);
  // The buttons of a decided request leave with it: focus stays on the list instead of falling
  // back to the top of the page. (The Deny dialog puts it there itself when it closes.)
  const refocus = useRef(false);
  useEffect(() => {
    if (!refocus.current || !(document.activeElement === document.body || document.activeElement === null)) return;
    refocus.current = false;
    list.current?.focus();
  }, [requests.data]);

  /** Makes a decision and says what it did; a failure (most likely decided meanwhile, by someone else or the deadline) is said instead. */
  const decide = async (decision: () => Promise<string>) => {
    setBusy(true);
    setStatus(null);
    setError(null);
    refocus.current = true;
    try {
      setStatus(await decision());
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
      requests.reload();
    }
  };

  const approve = (request: ApprovalRequest) =>
    decide(async () => {
      await approveRequest(request.id);
      return `Approved “${request.event_name}” for ${request.user_name}: they are told, and it is booked.`;
    });

  const approveSeries = ({ seriesId, dates: [request] }: SeriesRequest) =>
    decide(async () => {
      const { decided } = await approveSeriesRequest(seriesId);
      const booked = decided.length === 1 ? 'the date is booked' : 'the dates are booked';
      return `Approved ${datesWord(decided.length)} of “${request.event_name}” for ${request.user_name}: they are told, and ${booked}.`;
    });

  const deny = (target: DenyTarget) => {
    setError(null);
    setDenying(target);
  };

  const entries = inboxEntries(requests.data ?? []);
  return (
    <>
      <PageHeading title="Requests" />
      <p class="hint intro">
        Bookings at venues whose staff approve them wait here, holding their slot, until you approve or deny them.
      </p>
      <Status>{status}</Status>
      <ErrorAlert message={error ?? (requests.error ? errorMessage(requests.error) : null)} />
      <section aria-labelledby="requests-waiting-heading" ref={list} tabIndex={-1} class="requests">
        <h2 id="requests-waiting-heading" class="visually-hidden">
          Waiting for a decision
        </h2>
        {requests.loading ? (
          <p class="muted">Loading requests…</p>
        ) : entries.length === 0 ? (
          <p class="muted">No requests waiting.</p>
        ) : (
          <ul class="card-list">
            {entries.map((entry) =>
              entry.kind === 'single' ? (
                <li key={entry.request.id}>
                  <ApprovalRequestItem
                    request={entry.request}
                    busy={busy}
                    onApprove={() => approve(entry.request)}
                    onDeny={() => deny({ kind: 'request', request: entry.request })}
                  />
                </li>
              ) : (
                <li key={`series-${entry.series.seriesId}`}>
                  <SeriesRequestItem
                    series={entry.series}
                    busy={busy}
                    onApprove={() => approveSeries(entry.series)}
                    onDeny={() => deny({ kind: 'series', series: entry.series })}
                    onDenyDate={(request) => deny({ kind: 'date', request })}
                  />
                </li>
              ),
            )}
          </ul>
        )}
      </section>
      <DenyRequestDialog
        target={denying}
        onClose={() => setDenying(null)}
        onDenied={(message) => {
          setStatus(message);
          requests.reload();
        }}
        onDecidedElsewhere={(message) => {
          setStatus(null);
          setError(message);
          requests.reload();
        }}
        returnFocus={() => list.current}
      />
    </>
  );
}
