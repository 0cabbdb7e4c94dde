import { useId, useState } from 'preact/hooks';
import { errorMessage } from '../api/api-error';
import type { Venue } from '../api/types';
import { updateVenueCheckIn } from '../api/venues';
import { ErrorAlert, Status } from './Feedback';

const ruleWords = (venue: Venue) =>
  venue.check_in.required
    ? `Saved: bookers at ${venue.name} check in from ${venue.check_in.opens_before_minutes} minutes before the start until ${venue.check_in.closes_after_minutes} minutes after it.`
    : `Saved: ${venue.name} asks for no check-in.`;

/**
 * A venue's check-in rule (for its administrators): whether bookers must check in, and the window
 * around each start. Not checked in by its close, a booking is released as a no-show.
 */
export function CheckInRuleForm({ venue, onSaved }: { venue: Venue; onSaved: (venue: Venue) => void }) {
  const id = useId();
  const [required, setRequired] = useState(venue.check_in.required);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    setStatus(null);
    setError(null);
    try {
      const saved = await updateVenueCheckIn(venue.id, {
        required,
        opens_before_minutes: Number(form.get('opens_before_minutes')),
        closes_after_minutes: Number(form.get('closes_after_minutes')),
      });
      setStatus(ruleWords(saved));
      onSaved(saved);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="check-in-rule" onSubmit={save}>
      <fieldset>
        <legend>Check-in at {venue.name}</legend>
        <label class="checkbox">
          <input
            type="checkbox"
            checked={required}
            onChange={(e) => setRequired((e.currentTarget as HTMLInputElement).checked)}
            aria-describedby={`${id}-hint`}
          />
          Require check-in
        </label>
        <p id={`${id}-hint`} class="hint">
          Not checked in by the close, a booking is released as a no-show and its time offered to the waitlist. A change
          also applies to bookings already made whose window has not opened yet.
        </p>
        <div class="field-row">
          <div class="field">
            <label for={`${id}-opens`}>Opens (minutes before start)</label>
            <input
              id={`${id}-opens`}
              name="opens_before_minutes"
              type="number"
              min={0}
              max={1440}
              step={1}
              inputMode="numeric"
              required
              defaultValue={String(venue.check_in.opens_before_minutes)}
            />
          </div>
          <div class="field">
            <label for={`${id}-closes`}>Closes (minutes after start)</label>
            <input
              id={`${id}-closes`}
              name="closes_after_minutes"
              type="number"
              min={1}
              max={1440}
              step={1}
              inputMode="numeric"
              required
              defaultValue={String(venue.check_in.closes_after_minutes)}
            />
          </div>
        </div>
        <ErrorAlert message={error} />
        <Status>{status}</Status>
        <div class="actions">
          <button type="submit" disabled={busy}>
            Save check-in rule<span class="visually-hidden"> for {venue.name}</span>
          </button>
        </div>
      </fieldset>
    </form>
  );
}
