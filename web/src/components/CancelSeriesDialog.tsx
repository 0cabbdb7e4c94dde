import { useRef, useState } from 'preact/hooks';
import { errorMessage } from '../api/api-error';
import { cancelSeries } from '../api/booking-series';
import { cancelBooking } from '../api/bookings';
import type { BookingSeries, SeriesOccurrence } from '../api/types';
import { datesCount, isUpcoming } from '../format/series-words';
import { dayOfDate } from '../format/zoned-time';
import { ErrorAlert } from './Feedback';
import { ModalDialog } from './ModalDialog';

/** What a cancel of a series reaches: one date (that booking's own cancel), a date and those after it, or every date left. */
export type CancelScope =
  | { kind: 'date'; occurrence: SeriesOccurrence }
  | { kind: 'following'; occurrence: SeriesOccurrence }
  | { kind: 'all' };

export interface CancelSeriesDialogProps {
  series: BookingSeries;
  /** The cancel asked for; null while the dialog is closed. */
  scope: CancelScope | null;
  onClose: () => void;
  /** After the server cancelled: what was cancelled, in a sentence. */
  onCancelled: (message: string) => void;
  /** Where focus goes once the dialog closes after cancelling (the button that opened it is gone then). */
  focusAfterCancel: () => HTMLElement | null;
}

function wording(series: BookingSeries, scope: CancelScope) {
  const name = `“${series.event_name}”`;
  const left = series.occurrences.filter((o) => isUpcoming(o));
  if (scope.kind === 'date') {
    const day = dayOfDate(scope.occurrence.date);
    return {
      title: `Cancel ${name} on ${day}?`,
      explain: `Only ${day} is cancelled; the other dates stay booked. The slot is freed at once and offered to the first person on its waitlist.`,
      confirm: 'Cancel this date',
      keep: 'Keep this date',
    };
  }
  if (scope.kind === 'following') {
    const day = dayOfDate(scope.occurrence.date);
    const later = left.filter((o) => o.date > scope.occurrence.date).length;
    return {
      title: `Cancel ${name} from ${day} on?`,
      explain: `${day}${later > 0 ? ` and the ${datesCount(later)} after it are` : ' is'} cancelled; earlier dates stay booked. Each freed slot is offered to the first person on its waitlist.`,
      confirm: 'Cancel these dates',
      keep: 'Keep them',
    };
  }
  return {
    title: `Cancel every date of ${name}?`,
    explain: `The ${datesCount(left.length)} still to come ${left.length === 1 ? 'is' : 'are'} cancelled. Each freed slot is offered to the first person on its waitlist.`,
    confirm: 'Cancel all dates',
    keep: 'Keep them',
  };
}

async function cancel(series: BookingSeries, scope: CancelScope, reason: string): Promise<string> {
  if (scope.kind === 'date') {
    await cancelBooking(scope.occurrence.booking_id, reason);
    return `Cancelled ${dayOfDate(scope.occurrence.date)}.`;
  }
  const from = scope.kind === 'following' ? scope.occurrence.date : null;
  const { cancelled } = await cancelSeries(series.id, from, reason);
  if (from === null)
    return cancelled.length > 0
      ? `Cancelled ${datesCount(cancelled.length)}: the series is cancelled.`
      : 'The series is cancelled; no date was left to cancel.';
  return cancelled.length > 0
    ? `Cancelled ${datesCount(cancelled.length)} from ${dayOfDate(from)} on.`
    : `The series now ends before ${dayOfDate(from)}; no date was left to cancel.`;
}

/** Asks before cancelling part or all of a series, with an optional reason, as a booking's own cancel does. */
export function CancelSeriesDialog({ series, scope, onClose, onCancelled, focusAfterCancel }: CancelSeriesDialogProps) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const cancelled = useRef(false);
  const words = scope ? wording(series, scope) : null;

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!scope) return;
    const reason = String(new FormData(event.currentTarget as HTMLFormElement).get('reason') ?? '');
    setBusy(true);
    setError(null);
    try {
      onCancelled(await cancel(series, scope, reason));
      cancelled.current = true;
      onClose();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  const close = () => {
    setError(null);
    onClose();
  };

  return (
    <ModalDialog
      open={scope !== null}
      title={words?.title ?? 'Cancel'}
      onClose={close}
      returnFocus={() => {
        const done = cancelled.current;
        cancelled.current = false;
        return done ? focusAfterCancel() : null;
      }}
    >
      {words && (
        <form onSubmit={submit} class="stack">
          <p>{words.explain}</p>
          <div class="field">
            <label for="cancel-series-reason">Reason</label>
            <textarea id="cancel-series-reason" name="reason" rows={3} maxLength={500} />
          </div>
          <ErrorAlert message={error} />
          <div class="actions">
            <button type="submit" class="danger" disabled={busy}>
              {words.confirm}
            </button>
            <button type="button" onClick={close}>
              {words.keep}
            </button>
          </div>
        </form>
      )}
    </ModalDialog>
  );
}
