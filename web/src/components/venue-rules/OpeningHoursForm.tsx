import { useId, useState } from 'preact/hooks';
import { errorMessage } from '../../api/api-error';
import type { Venue } from '../../api/types';
import { type OpeningHours, updateVenueRules, type VenueRules } from '../../api/venue-settings';
import { ErrorAlert, Status } from '../Feedback';

/** Monday first, as a week is read; the API numbers Sunday 0. */
const WEEK: Array<[number, string]> = [
  [1, 'Monday'],
  [2, 'Tuesday'],
  [3, 'Wednesday'],
  [4, 'Thursday'],
  [5, 'Friday'],
  [6, 'Saturday'],
  [0, 'Sunday'],
];

/** "HH:MM" for a time input; midnight at the end of the day ("24:00:00") shows as 00:00. */
const clock = (time: string) => (time.startsWith('24:') ? '00:00' : time.slice(0, 5));

/**
 * A venue's opening hours on its own clock, one row a weekday: open or not, from when until when (a
 * close at 00:00 is midnight at the end of the day). No open day at all is open round the clock.
 */
export function OpeningHoursForm({
  venue,
  hours,
  onSaved,
}: {
  venue: Venue;
  hours: OpeningHours[];
  onSaved: (rules: VenueRules) => void;
}) {
  const id = useId();
  const [open, setOpen] = useState(() => new Set(hours.map((h) => h.weekday)));
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const hoursOn = (weekday: number) => hours.find((h) => h.weekday === weekday);

  const save = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const chosen = WEEK.filter(([weekday]) => open.has(weekday)).map(([weekday]) => {
      const closes = String(form.get(`closes-${weekday}`) ?? '');
      return {
        weekday,
        opens: String(form.get(`opens-${weekday}`) ?? ''),
        closes: closes === '00:00' ? '24:00' : closes,
      };
    });
    setBusy(true);
    setStatus(null);
    setError(null);
    try {
      onSaved(await updateVenueRules(venue.id, { hours: chosen }));
      setStatus(
        chosen.length === 0
          ? `Saved: ${venue.name} is open round the clock.`
          : `Saved: ${venue.name} is open on ${chosen.length === 7 ? 'every day' : `${chosen.length} days a week`}.`,
      );
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="stack" onSubmit={save} aria-labelledby={`${id}-heading`}>
      <h4 id={`${id}-heading`}>Opening hours</h4>
      <p class="hint">
        On {venue.name}'s clock ({venue.time_zone}). A close at 00:00 is midnight at the end of the day; no open day at
        all is open round the clock.
      </p>
      <ul class="plain-list opening-hours">
        {WEEK.map(([weekday, name]) => {
          const isOpen = open.has(weekday);
          const known = hoursOn(weekday);
          return (
            <li key={weekday}>
              <fieldset class="plain opening-day">
                <legend class="visually-hidden">{name}</legend>
                <label class="checkbox">
                  <input
                    type="checkbox"
                    checked={isOpen}
                    onChange={(e) => {
                      const next = new Set(open);
                      if ((e.currentTarget as HTMLInputElement).checked) next.add(weekday);
                      else next.delete(weekday);
                      setOpen(next);
                    }}
                  />
                  Open on {name}
                </label>
                <div class="field">
                  <label for={`${id}-opens-${weekday}`}>
                    Opens<span class="visually-hidden"> on {name}</span>
                  </label>
                  <input
                    id={`${id}-opens-${weekday}`}
                    name={`opens-${weekday}`}
                    type="time"
                    required={isOpen}
                    disabled={!isOpen}
                    defaultValue={known ? clock(known.opens) : '08:00'}
                  />
                </div>
                <div class="field">
                  <label for={`${id}-closes-${weekday}`}>
                    Closes<span class="visually-hidden"> on {name}</span>
                  </label>
                  <input
                    id={`${id}-closes-${weekday}`}
                    name={`closes-${weekday}`}
                    type="time"
                    required={isOpen}
                    disabled={!isOpen}
                    defaultValue={known ? clock(known.closes) : '20:00'}
                  />
                </div>
              </fieldset>
            </li>
          );
        })}
      </ul>
      <ErrorAlert message={error} />
      <Status>{status}</Status>
      <div class="actions">
        <button type="submit" disabled={busy}>
          Save opening hours<span class="visually-hidden"> of {venue.name}</span>
        </button>
      </div>
    </form>
  );
}
