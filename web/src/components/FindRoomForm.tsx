import { useEffect, useRef, useState } from 'preact/hooks';
import { errorMessage } from '../api/api-error';
import { listAmenities } from '../api/availability';
import { type RoomSearch, searchOn } from '../format/availability-search';
import { todayIn } from '../format/zoned-time';
import { useLoad } from '../hooks/use-load';

const typedValue = (event: Event) => (event.currentTarget as HTMLInputElement).value;

/**
 * What the room finder asks: the day, the part of it, how many people, the amenities (from the
 * server's list) and how long the room must be free. The fields start from `asked` (today alone
 * when nothing is asked) and follow it when the address changes (Back, a shared link), so they show
 * the search the results answer.
 */
export function FindRoomForm({
  asked,
  onSearch,
}: {
  asked: RoomSearch | null;
  onSearch: (search: RoomSearch) => void;
}) {
  const amenities = useLoad(listAmenities, []);
  const startFrom = () => asked ?? searchOn(todayIn(Intl.DateTimeFormat().resolvedOptions().timeZone));
  const [draft, setDraft] = useState(startFrom);
  // Only a change of address resets the fields: never what was typed before the first effect ran.
  const askedKey = asked ? JSON.stringify(asked) : '';
  const shownKey = useRef(askedKey);
  useEffect(() => {
    if (shownKey.current === askedKey) return;
    shownKey.current = askedKey;
    setDraft(startFrom());
  }, [askedKey]);

  const set = (field: Exclude<keyof RoomSearch, 'amenities'>) => (event: Event) =>
    setDraft((old) => ({ ...old, [field]: typedValue(event) }));
  const same = (name: string) => (chosen: string) => chosen.toLowerCase() === name.toLowerCase();
  const has = (name: string) => draft.amenities.some(same(name));
  const toggle = (name: string) =>
    setDraft((old) => ({
      ...old,
      amenities: old.amenities.some(same(name))
        ? old.amenities.filter((chosen) => !same(name)(chosen))
        : [...old.amenities, name],
    }));

  const submit = (event: Event) => {
    event.preventDefault();
    onSearch(draft);
  };

  return (
    <form class="card stack find-form" onSubmit={submit} aria-label="Find a room">
      <div class="field">
        <label for="find-date">Date</label>
        <input id="find-date" type="date" required value={draft.date} onInput={set('date')} />
      </div>
      <div class="field-row">
        <div class="field">
          <label for="find-from">From</label>
          <input
            id="find-from"
            type="time"
            value={draft.from}
            onInput={set('from')}
            aria-describedby="find-times-hint"
          />
        </div>
        <div class="field">
          <label for="find-to">To</label>
          <input id="find-to" type="time" value={draft.to} onInput={set('to')} aria-describedby="find-times-hint" />
        </div>
      </div>
      <p id="find-times-hint" class="hint">
        On each venue's own clock. Leave them empty for the whole day.
      </p>
      <div class="field-row">
        <div class="field">
          <label for="find-capacity">Number of people</label>
          <input
            id="find-capacity"
            type="number"
            inputMode="numeric"
            min={1}
            max={100000}
            step={1}
            value={draft.capacity}
            onInput={set('capacity')}
          />
        </div>
        <div class="field">
          <label for="find-min-minutes">Free for at least (minutes)</label>
          <input
            id="find-min-minutes"
            type="number"
            inputMode="numeric"
            min={1}
            max={1440}
            step={1}
            value={draft.minMinutes}
            onInput={set('minMinutes')}
            aria-describedby="find-min-minutes-hint"
          />
          <p id="find-min-minutes-hint" class="hint">
            Optional: leave it empty for any free time.
          </p>
        </div>
      </div>
      <fieldset class="plain find-amenities">
        <legend>Amenities</legend>
        {amenities.loading && <p class="muted small">Loading amenities…</p>}
        {amenities.error !== null && !amenities.data && (
          <p class="error-text small">Amenities could not be loaded: {errorMessage(amenities.error)}</p>
        )}
        {amenities.data && (
          <ul class="plain-list find-amenity-list">
            {amenities.data.map((amenity) => (
              <li key={amenity.id}>
                <label class="checkbox">
                  <input type="checkbox" checked={has(amenity.name)} onChange={() => toggle(amenity.name)} />
                  {amenity.name}
                </label>
              </li>
            ))}
          </ul>
        )}
      </fieldset>
      <div class="actions">
        <button type="submit" class="primary">
          Find rooms
        </button>
      </div>
    </form>
  );
}
