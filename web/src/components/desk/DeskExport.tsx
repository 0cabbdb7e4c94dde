import { useId, useState } from 'preact/hooks';
import { errorMessage } from '../../api/api-error';
import { downloadBookingsCsv } from '../../api/desk';
import type { Venue } from '../../api/types';
import { ErrorAlert, Status } from '../Feedback';

/**
 * A venue's bookings over a range of its dates as a CSV file (GET /api/venues/{id}/bookings.csv,
 * fetched with the access token and saved from the browser), for a spreadsheet.
 */
export function DeskExport({ venues, from }: { venues: Venue[]; from: string }) {
  const id = useId();
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const download = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const venueId = Number(form.get('venue') ?? venues[0]?.id);
    setBusy(true);
    setStatus(null);
    setError(null);
    try {
      const name = await downloadBookingsCsv(venueId, String(form.get('from')), String(form.get('to')));
      setStatus(`Downloaded ${name}.`);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} class="section-heading">
        Export
      </h2>
      <form class="card desk-export" onSubmit={download}>
        <p class="hint">
          Every booking starting on these dates, whatever became of it, as a spreadsheet (CSV): at most 366 days.
        </p>
        <div class="field-row">
          {venues.length > 1 && (
            <div class="field">
              <label for={`${id}-venue`}>Venue</label>
              <select id={`${id}-venue`} name="venue">
                {venues.map((venue) => (
                  <option key={venue.id} value={String(venue.id)}>
                    {venue.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div class="field">
            <label for={`${id}-from`}>From</label>
            <input id={`${id}-from`} name="from" type="date" required defaultValue={from} key={`from-${from}`} />
          </div>
          <div class="field">
            <label for={`${id}-to`}>To</label>
            <input id={`${id}-to`} name="to" type="date" required defaultValue={from} key={`to-${from}`} />
          </div>
        </div>
        <ErrorAlert message={error} />
        <Status>{status}</Status>
        <div class="actions">
          <button type="submit" disabled={busy}>
            Download CSV
          </button>
        </div>
      </form>
    </section>
  );
}
