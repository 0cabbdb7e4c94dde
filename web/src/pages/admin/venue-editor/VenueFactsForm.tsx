import { useId, useState } from 'preact/hooks';
import { errorMessage } from '../../../api/api-error';
import type { Venue } from '../../../api/types';
import type { Amenity } from '../../../api/availability';
import { updateVenue } from '../../../api/venue-settings';
import { ErrorAlert, Status } from '../../../components/Feedback';

const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim();

/** What a venue is: its name, capacity, building and floor, a description and its amenities (from the list). */
export function VenueFactsForm({
  venue,
  amenities,
  onSaved,
}: {
  venue: Venue;
  /** The list to choose from; null while unknown (then the venue's amenities are left as they are). */
  amenities: Amenity[] | null;
  onSaved: (venue: Venue) => void;
}) {
  const id = useId();
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const capacity = text(form, 'capacity');
    setBusy(true);
    setStatus(null);
    setError(null);
    try {
      const saved = await updateVenue(venue.id, {
        name: text(form, 'name'),
        capacity: capacity ? Number(capacity) : null,
        building: text(form, 'building'),
        floor: text(form, 'floor'),
        description: String(form.get('description') ?? ''),
        amenities: amenities ? form.getAll('amenities').map(String) : undefined,
      });
      setStatus(`Saved: ${saved.name}${saved.capacity ? `, for ${saved.capacity}` : ''}.`);
      onSaved(saved);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="stack" onSubmit={save} aria-labelledby={`${id}-heading`}>
      <h4 id={`${id}-heading`}>Facts</h4>
      <div class="field">
        <label for={`${id}-name`}>Name</label>
        <input id={`${id}-name`} name="name" type="text" required maxLength={200} defaultValue={venue.name} />
      </div>
      <div class="field-row">
        <div class="field">
          <label for={`${id}-capacity`}>Capacity</label>
          <input
            id={`${id}-capacity`}
            name="capacity"
            type="number"
            min={1}
            step={1}
            inputMode="numeric"
            defaultValue={venue.capacity === null ? '' : String(venue.capacity)}
          />
        </div>
        <div class="field">
          <label for={`${id}-building`}>Building</label>
          <input id={`${id}-building`} name="building" type="text" maxLength={200} defaultValue={venue.building} />
        </div>
        <div class="field">
          <label for={`${id}-floor`}>Floor</label>
          <input id={`${id}-floor`} name="floor" type="text" maxLength={50} defaultValue={venue.floor} />
        </div>
      </div>
      <div class="field">
        <label for={`${id}-description`}>Description</label>
        <textarea
          id={`${id}-description`}
          name="description"
          rows={3}
          maxLength={5000}
          defaultValue={venue.description}
        />
      </div>
      {amenities && amenities.length > 0 && (
        <fieldset class="plain choice-group venue-amenities">
          <legend>Amenities</legend>
          {amenities.map((amenity) => (
            <label key={amenity.id} class="checkbox">
              <input
                type="checkbox"
                name="amenities"
                value={amenity.name}
                defaultChecked={venue.amenities.includes(amenity.name)}
              />
              {amenity.name}
            </label>
          ))}
        </fieldset>
      )}
      <ErrorAlert message={error} />
      <Status>{status}</Status>
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          Save facts<span class="visually-hidden"> of {venue.name}</span>
        </button>
      </div>
    </form>
  );
}
