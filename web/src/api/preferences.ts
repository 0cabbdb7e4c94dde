import { api } from './contract';
import type { PreferenceChanges } from './types';

export const fetchPreferences = () => api.get('/api/preferences');

/** A partial update, e.g. `{ booking_confirmed: { email: false } }`; answers every preference as it now stands. */
export const updatePreferences = (changes: PreferenceChanges) => api.put('/api/preferences', { body: changes });

/** Only for a venue the user administers; both answer every preference as it now stands. */
export const muteVenueAlerts = (venueId: number) =>
  api.put('/api/preferences/venue_mutes/{venue_id}', { path: { venue_id: venueId } });

export const unmuteVenueAlerts = (venueId: number) =>
  api.delete('/api/preferences/venue_mutes/{venue_id}', { path: { venue_id: venueId } });
