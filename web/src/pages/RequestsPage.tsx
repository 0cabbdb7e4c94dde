import { useEffect, useRef, useState } from 'preact/hooks';
import { errorMessage } from '../api/api-error';
import { approveRequest } from '../api/approvals';
import type { ApprovalRequest } from '../api/types';
import { ApprovalRequestItem } from '../components/ApprovalRequestItem';
import { DenyRequestDialog } from '../components/DenyRequestDialog';
import { ErrorAlert, Status } from '../components/Feedback';
import { PageHeading } from '../components/PageHeading';
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

/**
 * The Requests inbox of hall and super admins: bookings at venues whose staff approve them, soonest
 * deadline first, each approved in one click or denied with an optional reason. The list follows
 * booking news live, and is read again after every decision.
 */
export function RequestsPage() {
  const requests = useLoad(readPendingRequests, []);
  useLiveRefetch(isBookingNews, requests.reload);
  useReloadAfterDeadline(requests.data, requests.reload);
  const [denying, setDenying] = useState<ApprovalRequest | null>(null);
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

  const approve = async (request: ApprovalRequest) => {
    setBusy(true);
    setStatus(null);
    setError(null);
    refocus.current = true;
    try {
      await approveRequest(request.id);
      setStatus(`Approved “${request.event_name}” for ${request.user_name}: they are told, and it is booked.`);
    } catch (failure) {
      // Most likely decided meanwhile (by someone else, or the deadline): the list is read again.
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
      requests.reload();
    }
  };

  const items = requests.data ?? [];
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
        ) : items.length === 0 ? (
          <p class="muted">No requests waiting.</p>
        ) : (
          <ul class="card-list">
            {items.map((request) => (
              <li key={request.id}>
                <ApprovalRequestItem
                  request={request}
                  busy={busy}
                  onApprove={() => approve(request)}
                  onDeny={() => {
                    setError(null);
                    setDenying(request);
                  }}
                />
              </li>
            ))}
          </ul>
        )}
      </section>
      <DenyRequestDialog
        request={denying}
        onClose={() => setDenying(null)}
        onDenied={(message) => {
          setStatus(message);
          requests.reload();
        }}
        returnFocus={() => list.current}
      />
    </>
  );
}
