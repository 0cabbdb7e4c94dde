import { muteVenueAlerts, unmuteVenueAlerts } from '../../api/preferences';
import type { Venue } from '../../api/types';
import { ErrorAlert, Status } from '../../components/Feedback';
import type { PreferencesState } from './use-preferences';

/** For a hall admin: a venue at a time whose new-booking alerts (email and in-app) stay quiet. */
export function VenueAlertMutes({ venues, state }: { venues: Venue[]; state: PreferencesState }) {
  const muted = new Set(state.preferences?.muted_venue_ids ?? []);
  const outcome = state.outcome?.key.startsWith('mute-') ? state.outcome : null;

  return (
    <section class="card" aria-labelledby="venue-mutes-heading">
      <h2 id="venue-mutes-heading">Mute new-booking alerts</h2>
      <p id="venue-mutes-about" class="hint">
        A muted venue sends you no email or in-app alert when someone books it. The other venues you administer still
        do.
      </p>
      <fieldset class="plain" aria-describedby="venue-mutes-about">
        <legend class="visually-hidden">Mute new-booking alerts</legend>
        <div class="channel-choices">
          {venues.map((venue) => (
            <label key={venue.id} class="checkbox">
              <input
                type="checkbox"
                checked={muted.has(venue.id)}
                aria-label={`Mute new-booking alerts: ${venue.name}`}
                onChange={(event) => {
                  const mute = (event.currentTarget as HTMLInputElement).checked;
                  state.save(
                    `mute-${venue.id}`,
                    (p) => ({
                      ...p,
                      muted_venue_ids: mute
                        ? [...p.muted_venue_ids, venue.id]
                        : p.muted_venue_ids.filter((id) => id !== venue.id),
                    }),
                    () => (mute ? muteVenueAlerts(venue.id) : unmuteVenueAlerts(venue.id)),
                  );
                }}
              />
              {venue.name}
            </label>
          ))}
        </div>
      </fieldset>
      <Status class="inline-status">{outcome && outcome.error === null ? 'Saved' : null}</Status>
      <ErrorAlert message={outcome?.error} />
    </section>
  );
}
