import { useEffect, useRef, useState } from 'preact/hooks';
import { errorMessage } from '../api/api-error';
import type { Booking } from '../api/types';
import { checkAndJoinWaitlist, listMyWaitingEntries, type SlotRequest } from '../api/waitlist';
import { bookingSlot, bookingState } from '../format/booking-state';
import type { FreeTime } from '../format/nearest-free';
import { wallTimeWords } from '../format/zoned-time';
import { ErrorAlert, Status } from './Feedback';

export type Outcome =
  | { kind: 'booked'; booking: Booking }
  | { kind: 'taken'; message: string; slot: SlotRequest; nearest: FreeTime[] }
  | { kind: 'failed'; message: string }
  | null;

/**
 * What became of "Book": booked (with a link), or taken with the offer to wait for the slot. The
 * parent gives each attempt a new key, so the waitlist state starts afresh.
 */
export function BookingOutcome({ outcome, onPick }: { outcome: Outcome; onPick?: (time: FreeTime) => void }) {
  const [joined, setJoined] = useState<{ id: number; ahead: number | null } | null>(null);
  // The answer may sit below the fold: focus moves to it (and so it scrolls into view), where the
  // next step (open the booking, join the waitlist) is.
  const region = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (outcome) region.current?.focus();
  }, [outcome]);
  const [joinMessage, setJoinMessage] = useState<string | null>(null);
  const [joinError, setJoinError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const join = async (slot: SlotRequest) => {
    setBusy(true);
    setJoinError(null);
    try {
      const answer = await checkAndJoinWaitlist(slot);
      if (answer.slot_available || answer.waitlist_id === undefined) {
        setJoinMessage(answer.message ?? 'The slot is free now: book it.');
        return;
      }
      const id = answer.waitlist_id;
      // The answer gives a priority, not a place: the open entries say how many are ahead.
      const entries = await listMyWaitingEntries().catch(() => []);
      setJoined({ id, ahead: entries.find((entry) => entry.id === id)?.users_ahead ?? null });
    } catch (failure) {
      setJoinError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div ref={region} tabIndex={-1} class="booking-outcome">
      <Status>
        {outcome?.kind === 'booked' && (
          <p>
            {outcome.booking.approval_status === 'pending'
              ? // At a venue whose staff approve bookings: asked for, not yet booked.
                `Requested: ${outcome.booking.event_name}, ${bookingSlot(outcome.booking)} — ${bookingState(outcome.booking, outcome.booking.user)}.`
              : `Booked: ${outcome.booking.event_name}, ${bookingSlot(outcome.booking)} — we will remind you before it starts.`}{' '}
            <a href={`/bookings/${outcome.booking.id}`}>Open the booking</a>
          </p>
        )}
        {joined && (
          <p>
            You are on the waitlist{joined.ahead === null ? '' : ` (${joined.ahead} ahead of you)`}.{' '}
            <a href={`/waitlist/${joined.id}`}>See my waitlist</a>
          </p>
        )}
        {joinMessage && <p>{joinMessage}</p>}
      </Status>
      {/* Once on the waitlist, the clash is answered: only the success stays. */}
      <ErrorAlert
        message={(outcome?.kind === 'taken' && !joined) || outcome?.kind === 'failed' ? outcome.message : null}
      />
      {joinError && <ErrorAlert message={joinError} />}
      {outcome?.kind === 'taken' && !joined && outcome.nearest.length > 0 && onPick && (
        // What was typed stays in the form: a nearer free time only changes the times.
        <div class="nearest-free">
          <p id="nearest-free-heading">Free nearby, as long:</p>
          <ul class="inline-list" aria-labelledby="nearest-free-heading">
            {outcome.nearest.map((time) => (
              <li key={time.start_time}>
                <button
                  type="button"
                  aria-label={`Use ${wallTimeWords(time.start_time)}–${wallTimeWords(time.end_time)} instead`}
                  onClick={() => onPick(time)}
                >
                  {wallTimeWords(time.start_time)}–{wallTimeWords(time.end_time)}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {outcome?.kind === 'taken' && !joined && (
        <p>
          <button type="button" class="primary" disabled={busy} onClick={() => join(outcome.slot)}>
            Join the waitlist
          </button>
        </p>
      )}
    </div>
  );
}
