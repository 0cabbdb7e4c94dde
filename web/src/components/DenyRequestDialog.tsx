import { useId, useState } from 'preact/hooks';
import { ApiError, errorMessage } from '../api/api-error';
import { denyRequest, denySeriesRequest } from '../api/approvals';
import type { ApprovalRequest } from '../api/types';
import { ErrorAlert } from './Feedback';
import { ModalDialog } from './ModalDialog';
import type { SeriesRequest } from './SeriesRequestItem';
import { allDates, datesWord, dayOfRequest } from './SeriesRequestWords';

/** What is denied: a single request, every date of a repeating request still waiting, or one date of it alone. */
export type DenyTarget =
  | { kind: 'request'; request: ApprovalRequest }
  | { kind: 'series'; series: SeriesRequest }
  | { kind: 'date'; request: ApprovalRequest };

interface Denial {
  /** A request of the target: who asked, for what. */
  request: ApprovalRequest;
  title: string;
  /** What a denial does, said before it is made. */
  consequence: string;
  submit: string;
  /** Denies, and answers what happened in words. */
  deny: (reason: string) => Promise<string>;
}

const told = (reason: string) => (reason ? 'they are told why' : 'they are told it was not approved');

function denialOf(target: DenyTarget): Denial {
  if (target.kind === 'series') {
    const { seriesId, dates } = target.series;
    const [request] = dates;
    const what = `“${request.event_name}”`;
    return {
      request,
      title: `Deny ${allDates(dates.length)} of ${what}?`,
      consequence: `${request.user_name} is told once that the repeating booking was not approved, and each date's slot is offered to the first person on its waitlist.`,
      submit: `Deny ${allDates(dates.length)}`,
      deny: async (reason) => {
        const { decided } = await denySeriesRequest(seriesId, reason);
        const slots =
          decided.length === 1 ? 'the slot is offered to its waitlist' : 'the slots are offered to their waitlists';
        return `Denied ${datesWord(decided.length)} of ${what} for ${request.user_name}: ${told(reason)}, and ${slots}.`;
      },
    };
  }
  const { request } = target;
  const what = `“${request.event_name}”`;
  if (target.kind === 'date') {
    const day = dayOfRequest(request);
    return {
      request,
      title: `Deny ${what} on ${day}?`,
      consequence: `${request.user_name} is told this date was not approved, and its slot is offered to the first person on its waitlist. The other dates still wait for a decision.`,
      submit: 'Deny this date',
      deny: async (reason) => {
        await denyRequest(request.id, reason);
        return `Denied ${what} on ${day} for ${request.user_name}: ${told(reason)}, and the slot is offered to its waitlist. The other dates still wait for a decision.`;
      },
    };
  }
  return {
    request,
    title: `Deny ${what}?`,
    consequence: `${request.user_name} is told it was not approved, and the slot is offered to the first person on its waitlist.`,
    submit: 'Deny request',
    deny: async (reason) => {
      await denyRequest(request.id, reason);
      return `Denied ${what} for ${request.user_name}: ${told(reason)}, and the slot is offered to its waitlist.`;
    },
  };
}

/**
 * Asks before a request (a repeating one as a whole, or one date of it) is denied, with an optional
 * reason the requester reads ("Not approved: <reason>"). What it denies leaves the list, so focus
 * then goes to `returnFocus`; so it does when someone else decided first (409), which the page says.
 */
export function DenyRequestDialog({
  target,
  onClose,
  onDenied,
  onDecidedElsewhere,
  returnFocus,
}: {
  /** What is being denied; none: the dialog is closed. */
  target: DenyTarget | null;
  onClose: () => void;
  onDenied: (message: string) => void;
  /** The server's sentence when nothing was left to deny: the list is to be read again. */
  onDecidedElsewhere: (message: string) => void;
  returnFocus: () => HTMLElement | null;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [gone, setGone] = useState(false);
  const reasonId = useId();
  const denial = target && denialOf(target);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!denial) return;
    const reason = String(new FormData(event.currentTarget as HTMLFormElement).get('reason') ?? '').trim();
    setBusy(true);
    setError(null);
    try {
      const message = await denial.deny(reason);
      setGone(true);
      onDenied(message);
      onClose();
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 409) {
        setGone(true);
        onDecidedElsewhere(failure.message);
        onClose();
      } else setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  const close = () => {
    setError(null);
    setGone(false);
    onClose();
  };

  return (
    <ModalDialog
      open={denial !== null}
      title={denial?.title ?? 'Deny the request?'}
      onClose={close}
      // Kept (Escape, "Not now"): back to the button that opened it. Denied: that button goes with its request.
      returnFocus={() => (gone ? returnFocus() : null)}
    >
      {denial && (
        <form onSubmit={submit} class="stack">
          <p>{denial.consequence}</p>
          <div class="field">
            <label for={reasonId}>Reason</label>
            <textarea id={reasonId} name="reason" rows={3} maxLength={500} aria-describedby={`${reasonId}-hint`} />
            <p id={`${reasonId}-hint`} class="hint">
              Optional. {denial.request.user_name} reads it as “Not approved: …”.
            </p>
          </div>
          <ErrorAlert message={error} />
          <div class="actions">
            <button type="submit" class="danger" disabled={busy}>
              {denial.submit}
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
