import { useRoute } from 'preact-iso/router';
import { useState } from 'preact/hooks';
import { ApiError, errorMessage } from '../api/api-error';
import { createSeries, refusedConflicts } from '../api/booking-series';
import { createBooking } from '../api/bookings';
import type { Venue } from '../api/types';
import { listVenues } from '../api/venues';
import { BookingOutcome, type Outcome } from '../components/BookingOutcome';
import { DaySchedule } from '../components/DaySchedule';
import { ErrorAlert } from '../components/Feedback';
import { PageHeading } from '../components/PageHeading';
import { readRepeat, RepeatFields } from '../components/RepeatFields';
import { SeriesOutcome, type SeriesResult } from '../components/SeriesOutcome';
import { todayIn } from '../format/zoned-time';
import { useLoad } from '../hooks/use-load';

const venueLabel = (venue: Venue) =>
  [venue.name, venue.location || null, venue.capacity ? `capacity ${venue.capacity}` : null]
    .filter(Boolean)
    .join(' — ');

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** `?date=YYYY-MM-DD&start_time=HH:MM&end_time=HH:MM`, each kept only when well formed. */
function prefill(query: Record<string, string | undefined>) {
  return {
    date: query.date && DATE.test(query.date) ? query.date : null,
    startTime: query.start_time && TIME.test(query.start_time) ? query.start_time : undefined,
    endTime: query.end_time && TIME.test(query.end_time) ? query.end_time : undefined,
  };
}

export function BookPage() {
  const { params, query } = useRoute();
  const venues = useLoad(listVenues, []);
  const [chosenId, setChosenId] = useState<number | null>(params.id ? Number(params.id) : null);
  // Opened from a free time (the room finder's links): its date and times come filled in.
  const asked = prefill(query);
  const [pickedDate, setPickedDate] = useState<string | null>(asked.date);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [seriesResult, setSeriesResult] = useState<SeriesResult>(null);
  // Each attempt gets a fresh outcome region; each answer refetches the day view.
  const [attempt, setAttempt] = useState(0);
  const [answered, setAnswered] = useState(0);
  // A booking that went through empties the form; the Repeat fields start afresh with it.
  const [booked, setBooked] = useState(0);
  const [busy, setBusy] = useState(false);

  const list = venues.data ?? [];
  const venue = list.find((v) => v.id === chosenId) ?? list[0];
  // Until the user picks a date, it is today where the venue is, not where the browser is.
  const date = pickedDate ?? (venue ? todayIn(venue.time_zone) : '');

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
      setBooked((n) => n + 1);
    } catch (failure) {
      setOutcome(
        !repeat && failure instanceof ApiError && failure.status === 409
          ? { kind: 'taken', message: failure.message, slot: { ...slot, ...what } }
          : { kind: 'failed', message: errorMessage(failure) },
      );
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
          <div class="card stack book-pick">
            <div class="field">
              <label for="book-venue">Venue</label>
              <select
                id="book-venue"
                value={String(venue.id)}
                onChange={(e) => setChosenId(Number((e.currentTarget as HTMLSelectElement).value))}
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
                onChange={(e) => setPickedDate((e.currentTarget as HTMLInputElement).value || null)}
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
          </div>
          {date && <DaySchedule venue={venue} date={date} refreshKey={answered} />}
          <form onSubmit={submit} class="card stack book-form">
            <div class="field-row">
              <div class="field">
                <label for="book-start">Start time</label>
                <input
                  id="book-start"
                  name="start_time"
                  type="time"
                  required
                  defaultValue={booked === 0 ? asked.startTime : undefined}
                />
              </div>
              <div class="field">
                <label for="book-end">End time</label>
                <input
                  id="book-end"
                  name="end_time"
                  type="time"
                  required
                  defaultValue={booked === 0 ? asked.endTime : undefined}
                />
              </div>
            </div>
            <div class="field">
              <label for="book-event">Event name</label>
              <input id="book-event" name="event_name" type="text" required maxLength={200} />
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
            <BookingOutcome key={attempt} outcome={outcome} />
            <SeriesOutcome result={seriesResult} />
          </form>
        </div>
      )}
    </>
  );
}
