import { useId, useRef, useState } from 'preact/hooks';
import { ApiError, errorMessage } from '../../api/api-error';
import type { Venue } from '../../api/types';
import {
  addClosure,
  type ClosedOutBooking,
  type Closure,
  type NewClosure,
  removeClosure,
} from '../../api/venue-settings';
import { dayOfDate, formatWallSlot } from '../../format/zoned-time';
import { useAction } from '../../hooks/use-action';
import { ErrorAlert, Status } from '../Feedback';

const span = (c: { first: string; last: string }) =>
  c.first === c.last ? dayOfDate(c.first, true) : `${dayOfDate(c.first, true)} – ${dayOfDate(c.last, true)}`;

const bookingsWord = (n: number) => (n === 1 ? '1 booking' : `${n} bookings`);

/** The bookings a 409 said the closure would cancel. */
const closedOutOf = (failure: unknown): ClosedOutBooking[] | null => {
  if (!(failure instanceof ApiError) || failure.status !== 409) return null;
  const body = failure.body as { bookings?: ClosedOutBooking[] } | null;
  return Array.isArray(body?.bookings) ? body.bookings : null;
};

/**
 * A venue's closures (dates it cannot be booked, with why): each removable; a new one is asked for
 * first, and when bookings fall in it the server's list of them is shown before anything is
 * cancelled, so closing and cancelling them is a second, deliberate step.
 */
export function VenueClosures({
  venue,
  closures,
  onChanged,
}: {
  venue: Venue;
  closures: Closure[];
  onChanged: () => void;
}) {
  const id = useId();
  const removal = useAction(onChanged);
  const [preview, setPreview] = useState<{ closure: NewClosure; bookings: ClosedOutBooking[] } | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const list = useRef<HTMLDivElement>(null);

  const close = async (closure: NewClosure) => {
    setBusy(true);
    setStatus(null);
    setError(null);
    try {
      const made = await addClosure(venue.id, closure);
      setPreview(null);
      form.current?.reset();
      setStatus(
        `Closed ${venue.name} ${span(made)}: ${made.reason}.${made.cancelled.length > 0 ? ` ${bookingsWord(made.cancelled.length)} cancelled, their bookers told.` : ''}`,
      );
      onChanged();
    } catch (failure) {
      const bookings = closedOutOf(failure);
      if (bookings) setPreview({ closure, bookings });
      else setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  const submit = (event: Event) => {
    event.preventDefault();
    const fields = new FormData(event.currentTarget as HTMLFormElement);
    void close({
      first: String(fields.get('first') ?? ''),
      last: String(fields.get('last') ?? '') || String(fields.get('first') ?? ''),
      reason: String(fields.get('reason') ?? '').trim(),
    });
  };

  return (
    <div class="stack venue-closures" ref={list} tabIndex={-1}>
      <h4 id={`${id}-heading`}>Closures</h4>
      <Status>{removal.status}</Status>
      <ErrorAlert message={removal.error} />
      {closures.length === 0 ? (
        <p class="muted">No closures.</p>
      ) : (
        <ul class="plain-list closure-list">
          {closures.map((closure) => (
            <li key={closure.id} class="admin-row">
              <span>
                {span(closure)}: {closure.reason}
              </span>
              <button
                type="button"
                disabled={removal.busy}
                aria-label={`Remove closure: ${span(closure)}, ${closure.reason}`}
                onClick={() =>
                  removal.run(async () => {
                    await removeClosure(venue.id, closure.id);
                    list.current?.focus();
                    return `Reopened ${venue.name} ${span(closure)}. Bookings it cancelled stay cancelled.`;
                  })
                }
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form ref={form} class="stack" onSubmit={submit}>
        <div class="field-row">
          <div class="field">
            <label for={`${id}-first`}>First closed day</label>
            <input id={`${id}-first`} name="first" type="date" required />
          </div>
          <div class="field">
            <label for={`${id}-last`}>Last closed day</label>
            <input id={`${id}-last`} name="last" type="date" aria-describedby={`${id}-last-hint`} />
            <p id={`${id}-last-hint`} class="hint small">
              Empty: the first day alone.
            </p>
          </div>
        </div>
        <div class="field">
          <label for={`${id}-reason`}>Why</label>
          <input id={`${id}-reason`} name="reason" type="text" required maxLength={500} />
        </div>
        <ErrorAlert message={error} />
        <Status>{status}</Status>
        {!preview && (
          <div class="actions">
            <button type="submit" disabled={busy}>
              Close {venue.name}
            </button>
          </div>
        )}
      </form>
      {preview && (
        <div class="card closure-preview" role="alert">
          <p>
            Closing {venue.name} {span(preview.closure)} would cancel {bookingsWord(preview.bookings.length)}; each
            booker is told why:
          </p>
          <ul>
            {preview.bookings.map((booking) => (
              <li key={booking.id}>
                {formatWallSlot(booking.date, booking.start_time, booking.end_time, venue.time_zone)}:{' '}
                {booking.event_name} ({booking.user_name})
              </li>
            ))}
          </ul>
          <div class="actions">
            <button
              type="button"
              class="danger"
              disabled={busy}
              onClick={() => close({ ...preview.closure, cancel_bookings: true })}
            >
              Close and cancel {bookingsWord(preview.bookings.length)}
            </button>
            <button
              type="button"
              disabled={busy}
              onClick={() => {
                setPreview(null);
                list.current?.focus();
              }}
            >
              Keep it open
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
