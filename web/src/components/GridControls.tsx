import { useEffect, useState } from 'preact/hooks';
import { listAmenities } from '../api/availability';
import type { Venue } from '../api/types';
import { dayOfDate, todayIn } from '../format/zoned-time';
import { useLoad } from '../hooks/use-load';

export type GridView = 'day' | 'week';

type Change = Record<string, string | number | null>;

/** A calendar date moved by whole days. */
export function shiftDate(date: string, days: number): string {
  const moved = new Date(`${date}T12:00:00Z`);
  moved.setUTCDate(moved.getUTCDate() + days);
  return moved.toISOString().slice(0, 10);
}

const same = (a: string) => (b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * What the grid shows: every venue on one day or one venue's week; which day (previous, next,
 * today, or picked); and, across venues, only those seating enough people with every amenity asked.
 * Each change is the page's address, so it can be shared and reloaded.
 */
export function GridControls({
  view,
  date,
  venue,
  capacity,
  amenities,
  onChange,
}: {
  view: GridView;
  date: string;
  venue: Venue;
  capacity: string;
  amenities: string[];
  onChange: (change: Change) => void;
}) {
  const known = useLoad(listAmenities, []);
  const [seats, setSeats] = useState(capacity);
  useEffect(() => setSeats(capacity), [capacity]);
  const step = view === 'week' ? 7 : 1;
  const unit = view === 'week' ? 'week' : 'day';
  const today = todayIn(venue.time_zone);
  const has = (name: string) => amenities.some(same(name));
  const toggle = (name: string) =>
    onChange({
      amenities:
        (has(name) ? amenities.filter((chosen) => !same(name)(chosen)) : [...amenities, name]).join(',') || null,
    });

  return (
    <section class="card grid-controls" aria-label="What the grid shows">
      <div class="segmented" role="group" aria-label="Show">
        <button type="button" aria-pressed={view === 'day'} onClick={() => onChange({ view: null })}>
          All rooms, one day
        </button>
        <button
          type="button"
          aria-pressed={view === 'week'}
          onClick={() => onChange({ view: 'week', venue: venue.id })}
        >
          {venue.name}, a week
        </button>
      </div>
      <div class="grid-dates">
        <button
          type="button"
          aria-label={`Previous ${unit}`}
          onClick={() => onChange({ date: shiftDate(date, -step) })}
        >
          ‹ <span class="visually-hidden-narrow">Previous</span>
        </button>
        <input
          type="date"
          aria-label={view === 'week' ? 'Week from' : 'Day shown'}
          value={date}
          required
          onChange={(e) => {
            const value = (e.currentTarget as HTMLInputElement).value;
            if (value) onChange({ date: value });
          }}
        />
        <button type="button" aria-label={`Next ${unit}`} onClick={() => onChange({ date: shiftDate(date, step) })}>
          <span class="visually-hidden-narrow">Next</span> ›
        </button>
        <button type="button" disabled={date === today} onClick={() => onChange({ date: today })}>
          Today
        </button>
        <span class="muted small grid-day-words">
          {view === 'week' ? `${dayOfDate(date)} – ${dayOfDate(shiftDate(date, 6))}` : dayOfDate(date, true)}
        </span>
      </div>
      {view === 'day' && (
        <form
          class="grid-filters"
          onSubmit={(event) => {
            event.preventDefault();
            onChange({ capacity: seats || null });
          }}
        >
          <div class="field inline-field">
            <label for="grid-seats">Seats at least</label>
            <input
              id="grid-seats"
              type="number"
              min={1}
              max={100000}
              inputMode="numeric"
              value={seats}
              onInput={(e) => setSeats((e.currentTarget as HTMLInputElement).value)}
              onChange={(e) => onChange({ capacity: (e.currentTarget as HTMLInputElement).value || null })}
            />
          </div>
          {known.data && known.data.length > 0 && (
            <fieldset class="plain grid-amenities">
              <legend>With</legend>
              <ul class="plain-list inline-list">
                {known.data.map((amenity) => (
                  <li key={amenity.id}>
                    <label class="checkbox">
                      <input type="checkbox" checked={has(amenity.name)} onChange={() => toggle(amenity.name)} />
                      {amenity.name}
                    </label>
                  </li>
                ))}
              </ul>
            </fieldset>
          )}
        </form>
      )}
    </section>
  );
}
