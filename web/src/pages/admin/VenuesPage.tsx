import { useState } from 'preact/hooks';
import { errorMessage } from '../../api/api-error';
import { listAllUsers } from '../../api/users';
import { assignVenueAdmin, createVenue, listVenues, removeVenueAdmin } from '../../api/venues';
import { ApprovalRuleForm } from '../../components/ApprovalRuleForm';
import { CheckInRuleForm } from '../../components/CheckInRuleForm';
import { ErrorAlert, Status } from '../../components/Feedback';
import { PageHeading } from '../../components/PageHeading';
import { TimeZoneInput } from '../../components/TimeZoneInput';
import { VenueEditor } from './venue-editor/VenueEditor';
import { VenueAdmins } from '../../components/VenueAdmins';
import { textOf, useFormSubmit } from '../../hooks/use-form-submit';
import { useLoad } from '../../hooks/use-load';

export function VenuesPage() {
  const data = useLoad(async () => {
    const [venues, users] = await Promise.all([listVenues(), listAllUsers()]);
    return { venues, users };
  }, []);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState<number | null>(null);

  const create = useFormSubmit(async (fields) => {
    const text = (name: string) => textOf(fields, name);
    const venue = await createVenue({
      name: text('name'),
      location: text('location') || undefined,
      capacity: text('capacity') ? Number(text('capacity')) : null,
      time_zone: text('time_zone') || undefined,
    });
    data.reload();
    return `Created ${venue.name} (${venue.time_zone}).`;
  });

  const act = async (action: () => Promise<{ message: string }>) => {
    setBusy(true);
    setError(null);
    try {
      setStatus((await action()).message);
      data.reload();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  const users = data.data?.users ?? [];
  const usersById = new Map(users.map((user) => [user.id, user]));
  const hallAdmins = users.filter((user) => user.role === 'hall_admin');

  return (
    <>
      <PageHeading title="Venues" />
      <section class="card" aria-labelledby="create-venue-heading">
        <h2 id="create-venue-heading">Create a venue</h2>
        <form onSubmit={create.onSubmit} class="stack">
          <div class="field">
            <label for="venue-name">Name</label>
            <input id="venue-name" name="name" type="text" required maxLength={200} />
          </div>
          <div class="field">
            <label for="venue-location">Location</label>
            <input id="venue-location" name="location" type="text" maxLength={500} />
          </div>
          <div class="field-row">
            <div class="field">
              <label for="venue-capacity">Capacity</label>
              <input id="venue-capacity" name="capacity" type="number" min={1} step={1} inputMode="numeric" />
            </div>
            <div class="field">
              <label for="venue-zone">Time zone</label>
              <TimeZoneInput id="venue-zone" name="time_zone" />
            </div>
          </div>
          <ErrorAlert message={create.error} />
          <Status>{create.done}</Status>
          <div class="actions">
            <button type="submit" class="primary" disabled={create.busy}>
              Create venue
            </button>
          </div>
        </form>
      </section>
      <h2 class="section-heading">All venues</h2>
      <Status>{status}</Status>
      <ErrorAlert message={error ?? (data.error ? errorMessage(data.error) : null)} />
      {data.loading ? (
        <p class="muted">Loading venues…</p>
      ) : (data.data?.venues.length ?? 0) === 0 ? (
        <p class="muted">No venues yet.</p>
      ) : (
        <ul class="card-list">
          {data.data?.venues.map((venue) => (
            <li key={venue.id} class="card">
              <h3 class="card-title">{venue.name}</h3>
              <p class="muted">
                {venue.archived && 'Archived · '}
                {[
                  venue.location || null,
                  [venue.building, venue.floor && `floor ${venue.floor}`].filter(Boolean).join(', ') || null,
                  venue.capacity ? `capacity ${venue.capacity}` : null,
                  venue.time_zone,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </p>
              <div class="actions">
                <button
                  type="button"
                  aria-expanded={editing === venue.id}
                  aria-controls={editing === venue.id ? `venue-editor-${venue.id}` : undefined}
                  onClick={() => setEditing(editing === venue.id ? null : venue.id)}
                >
                  Edit<span class="visually-hidden"> {venue.name}</span>
                </button>
              </div>
              {editing === venue.id && (
                <VenueEditor id={`venue-editor-${venue.id}`} venue={venue} onSaved={data.reload} />
              )}
              <VenueAdmins
                venue={venue}
                usersById={usersById}
                hallAdmins={hallAdmins}
                busy={busy}
                onAssign={(userId) => act(() => assignVenueAdmin(venue.id, userId))}
                onRemove={(userId) => act(() => removeVenueAdmin(venue.id, userId))}
              />
              <CheckInRuleForm venue={venue} onSaved={data.reload} />
              <ApprovalRuleForm venue={venue} onSaved={data.reload} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
