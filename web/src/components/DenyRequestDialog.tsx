import { useState } from 'preact/hooks';
import { errorMessage } from '../api/api-error';
import { denyRequest } from '../api/approvals';
import type { ApprovalRequest } from '../api/types';
import { ErrorAlert } from './Feedback';
import { ModalDialog } from './ModalDialog';

/**
 * Asks before a request is denied, with an optional reason the requester reads ("Not approved:
 * <reason>"). The request leaves the list once denied, so focus then goes to `returnFocus`.
 */
export function DenyRequestDialog({
  request,
  onClose,
  onDenied,
  returnFocus,
}: {
  /** The request being denied; none: the dialog is closed. */
  request: ApprovalRequest | null;
  onClose: () => void;
  onDenied: (message: string) => void;
  returnFocus: () => HTMLElement | null;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [denied, setDenied] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!request) return;
    const reason = String(new FormData(event.currentTarget as HTMLFormElement).get('reason') ?? '').trim();
    setBusy(true);
    setError(null);
    try {
      await denyRequest(request.id, reason);
      setDenied(true);
      onDenied(
        `Denied “${request.event_name}” for ${request.user_name}: ${reason ? 'they are told why' : 'they are told it was not approved'}, and the slot is offered to its waitlist.`,
      );
      onClose();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  const close = () => {
    setError(null);
    setDenied(false);
    onClose();
  };

  return (
    <ModalDialog
      open={request !== null}
      title={request ? `Deny “${request.event_name}”?` : 'Deny the request?'}
      onClose={close}
      // Kept (Escape, "Not now"): back to the Deny button. Denied: the button goes with its request.
      returnFocus={() => (denied ? returnFocus() : null)}
    >
      {request && (
        <form onSubmit={submit} class="stack">
          <p>
            {request.user_name} is told it was not approved, and the slot is offered to the first person on its
            waitlist.
          </p>
          <div class="field">
            <label for={`deny-reason-${request.id}`}>Reason</label>
            <textarea
              id={`deny-reason-${request.id}`}
              name="reason"
              rows={3}
              maxLength={500}
              aria-describedby={`deny-reason-hint-${request.id}`}
            />
            <p id={`deny-reason-hint-${request.id}`} class="hint">
              Optional. {request.user_name} reads it as “Not approved: …”.
            </p>
          </div>
          <ErrorAlert message={error} />
          <div class="actions">
            <button type="submit" class="danger" disabled={busy}>
              Deny request
            </button>
            <button type="button" onClick={close}>
              Not now
            </button>
          </div>
        </form>
      )}
    </ModalDialog>
  );
}
