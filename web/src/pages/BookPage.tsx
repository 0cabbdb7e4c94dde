import { useLocation, useRoute } from 'preact-iso/router';
import { useCallback, useRef, useState } from 'preact/hooks';
import { ApiError, errorMessage } from '../api/api-error';
import { createSeries, refusedConflicts } from '../api/booking-series';
import { createBooking } from '../api/bookings';
import type { Venue } from '../api/types';
import { listVenues } from '../api/venues';
import { BookingOutcome, type Outcome } from '../components/BookingOutcome';
import { freeTimesAt } from '../api/availability';
import { GridControls, type GridView } from '../components/GridControls';
import { VenueGrid } from '../components/VenueGrid';
import type { GridSelection } from '../format/grid-model';
import { nearestFreeTimes } from '../format/nearest-free';
import { ErrorAlert } from '../components/Feedback';
import { PageHeading } from '../components/PageHeading';
import { readRepeat, RepeatFields } from '../components/RepeatFields';
import { SeriesOutcome, type SeriesResult } from '../components/SeriesOutcome';
import { instantOfWallTime, todayIn } from '../format/zoned-time';
import { useLoad } from '../hooks/use-load';

const venueLabel = (venue: Venue) =>
  [venue.name, venue.location || null, venue.capacity ? `capacity ${venue.capacity}` : null]
    .filter(Boolean)
    .join(' — ');

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

const WHOLE = /^\d+$/;

/**
 * The page's address holds what is asked, so it can be shared, reloaded and gone back to:
 * `?date=YYYY-MM-DD&view=week&venue=ID&capacity=N&amenities=a,b&start_time=HH:MM&end_time=HH:MM`,
 * each kept only when well formed.
 */
function askedOf(query: Record<string, string | undefined>) {
  return {
    date: query.date && DATE.test(query.date) ? query.date : null,
    view: (query.view === 'week' ? 'week' : 'day') as GridView,
    venue: query.venue && WHOLE.test(query.venue) ? Number(query.venue) : null,
    capacity: query.capacity && WHOLE.test(query.capacity) ? query.capacity : '',
    amenities: (query.amenities ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
    startTime: query.start_time && TIME.test(query.start_time) ? query.start_time : '',
    endTime: query.end_time && TIME.test(query.end_time) ? query.end_time : '',
  };
}

export function BookPage() {
  const { params, query } = useRoute();
  const { route, path } = useLocation();
  const venues = useLoad(listVenues, []);
  const asked = askedOf(query);
  const chosenId = params.id ? Number(params.id) : asked.venue;
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [seriesResult, setSeriesResult] = useState<SeriesResult>(null);
  // Each attempt gets a fresh outcome region; each answer refetches the grid.
  const [attempt, setAttempt] = useState(0);
  const [answered, setAnswered] = useState(0);
  // A booking that went through empties the form; the Repeat fields start afresh with it.
  const [booked, setBooked] = useState(0);
  const [busy, setBusy] = useState(false);
  const [selection, setSelection] = useState<GridSelection | null>(null);
  const [times, setTimes] = useState({ start: asked.startTime, end: asked.endTime });
  const eventField = useRef<HTMLInputElement>(null);

  const list = venues.data ?? [];
  const venue = list.find((v) => v.id === chosenId) ?? list[0];
  // The grid's first day: until the user picks one, today where the venue is, not where the browser is.
  const gridDate = asked.date ?? (venue ? todayIn(venue.time_zone) : '');
  // The booking's day follows the grid's, until a day of a week is chosen.
  const [pickedDate, setPickedDate] = useState<string | null>(null);
  const date = pickedDate ?? gridDate;

  /** The address with some of what is asked changed (replacing the entry: the back button leaves the page). */
  const ask = (change: Record<string, string | number | null>) => {
    const next = new URLSearchParams();
    const current: Record<string, string | number | null> = {
      date: asked.date,
      view: asked.view === 'week' ? 'week' : null,
      venue: chosenId,
      capacity: asked.capacity || null,
      amenities: asked.amenities.join(',') || null,
      ...change,
    };
    for (const [key, value] of Object.entries(current))
      if (value !== null && value !== '') next.set(key, String(value));
    const search = next.toString();
    route(`${path.startsWith('/venues/') ? '/book' : path}${search ? `?${search}` : ''}`, true);
  };

  const choose = useCallback(
    (slot: { venueId: number; date: string; startTime: string; endTime: string }) => {
      setTimes({ start: slot.startTime, end: slot.endTime });
      setPickedDate(slot.date === gridDate ? null : slot.date);
      if (slot.venueId !== chosenId) ask({ venue: slot.venueId });
      // The grid answered where and when; what the event is comes next.
      requestAnimationFrame(() => eventField.current?.focus());
    },
    [chosenId, gridDate, asked.view, asked.capacity, asked.amenities.join(',')],
  );

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!venue) return;
    const formElement = event.currentTarget as HTMLFormElement;
    const form = new FormData(formElement);
    const field = (name: string) => String(form.get(name) ?? '');
    const slot = { venue: venue.id, date, start_time: field('start_time'), end_time: field('end_time') };
    const what = { event_name: field('event_name').trim(), event_details: field('event_details') };
    const repeat = readRepeat(form, date);
    setBusy(true);
    setOutcome(null);
    setSeriesResult(null);
    setAttempt((n) => n + 1);
    try {
      if (repeat) {
        const asked = {
          eventName: what.event_name,
          startTime: slot.start_time,
          endTime: slot.end_time,
          zone: venue.time_zone,
          onConflict: repeat.on_conflict,
        };
        try {
          setSeriesResult({ kind: 'booked', created: await createSeries({ ...slot, ...what, ...repeat }), asked });
        } catch (failure) {
          const conflicts = refusedConflicts(failure);
          if (conflicts.length === 0) throw failure;
          setSeriesResult({ kind: 'refused', message: errorMessage(failure), conflicts, asked });
          return;
        }
      } else {
        setOutcome({ kind: 'booked', booking: await createBooking({ ...slot, ...what }) });
      }
      formElement.reset();
      setTimes({ start: '', end: '' });
      setSelection(null);
      setBooked((n) => n + 1);
    } catch (failure) {
      if (!repeat && failure instanceof ApiError && failure.status === 409) {
        // Taken: the nearest free times as long, from the room finder, beside the waitlist.
        const start = instantOfWallTime(date, slot.start_time, venue.time_zone);
        let end = instantOfWallTime(date, slot.end_time, venue.time_zone);
        if (end <= start) end = new Date(end.getTime() + 24 * 3600_000);
        const minutes = Math.max(1, Math.round((end.getTime() - start.getTime()) / 60_000));
        const free = await freeTimesAt(venue.id, date, minutes).catch(() => []);
        setOutcome({
          kind: 'taken',
          message: failure.message,
          slot: { ...slot, ...what },
          nearest: nearestFreeTimes(free, { start, end }, venue.time_zone),
        });
      } else setOutcome({ kind: 'failed', message: errorMessage(failure) });
    } finally {
      setBusy(false);
      setAnswered((n) => n + 1);
    }
  };

  return (
    <>
      <PageHeading title="Book a venue" />
      <ErrorAlert message={venues.error ? errorMessage(venues.error) : null} />
      {venues.loading && <p class="muted">Loading venues…</p>}
      {!venues.loading && list.length === 0 && !venues.error && <p>There are no venues yet.</p>}
      {venue && (
        <div class="book-layout">
          <GridControls
            view={asked.view}
            date={gridDate}
            venue={venue}
            capacity={asked.capacity}
            amenities={asked.amenities}
            onChange={(change) => {
              setSelection(null);
              if ('date' in change) setPickedDate(null);
              ask(change);
            }}
          />
          <VenueGrid
            view={asked.view}
            date={gridDate}
            venue={venue}
            capacity={asked.capacity}
            amenities={asked.amenities}
            refreshKey={answered}
            selection={selection}
            onSelect={setSelection}
            onChoose={choose}
            weekHref={(id) => `/book?view=week&venue=${id}&date=${gridDate}`}
          />
          <form onSubmit={submit} class="card stack book-form" aria-labelledby="book-form-heading">
            <h2 id="book-form-heading">Your booking</h2>
            <div class="field">
              <label for="book-venue">Venue</label>
              <select
                id="book-venue"
                value={String(venue.id)}
                onChange={(e) => {
                  setSelection(null);
                  ask({ venue: Number((e.currentTarget as HTMLSelectElement).value) });
                }}
              >
                {list.map((v) => (
                  <option key={v.id} value={String(v.id)}>
                    {venueLabel(v)}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="book-date">Date</label>
              <input
                id="book-date"
                type="date"
                required
                value={date}
                onChange={(e) => {
                  const picked = (e.currentTarget as HTMLInputElement).value || null;
                  setSelection(null);
                  // Typed by hand: the grid shows that day (a week view, the week from it).
                  setPickedDate(null);
                  ask({ date: picked });
                }}
                aria-describedby="book-date-hint"
              />
              <p id="book-date-hint" class="hint">
                Dates and times are local to the venue ({venue.time_zone}).
              </p>
            </div>
            {venue.approval.required && (
              <p class="hint">
                {venue.name}'s staff approve each booking: yours holds its slot while it waits for their decision.
              </p>
            )}
            <div class="field-row">
              <div class="field">
                <label for="book-start">Start time</label>
                <input
                  id="book-start"
                  name="start_time"
                  type="time"
                  required
                  value={times.start}
                  onInput={(e) => setTimes((t) => ({ ...t, start: (e.currentTarget as HTMLInputElement).value }))}
                />
              </div>
              <div class="field">
                <label for="book-end">End time</label>
                <input
                  id="book-end"
                  name="end_time"
                  type="time"
                  required
                  value={times.end}
                  onInput={(e) => setTimes((t) => ({ ...t, end: (e.currentTarget as HTMLInputElement).value }))}
                />
              </div>
            </div>
            <div class="field">
              <label for="book-event">Event name</label>
              <input id="book-event" ref={eventField} name="event_name" type="text" required maxLength={200} />
            </div>
            <div class="field">
              <label for="book-details">Details</label>
              <textarea id="book-details" name="event_details" rows={3} maxLength={5000} />
            </div>
            <RepeatFields key={booked} date={date} />
            <div class="actions">
              <button type="submit" class="primary" disabled={busy}>
                Book
              </button>
            </div>
            <BookingOutcome
              key={attempt}
              outcome={outcome}
              onPick={(time) => {
                setTimes({ start: time.start_time, end: time.end_time });
                eventField.current?.focus();
              }}
            />
            <SeriesOutcome result={seriesResult} />
          </form>
        </div>
      )}
    </>
  );
}
