import { apiCall } from './authorized-fetch';
import type { PreferenceChanges, Preferences } from './types';

export const fetchPreferences = () => apiCall<Preferences>('/api/preferences');

/** A partial update, e.g. `{ booking_confirmed: { email: false } }`; answers every preference as it now stands. */
export const updatePreferences = (changes: PreferenceChanges) =>
  apiCall<Preferences>('/api/preferences', { method: 'PUT', body: changes });

/** Only for a venue the user administers; both answer every preference as it now stands. */
export const muteVenueAlerts = (venueId: number) =>
  apiCall<Preferences>(`/api/preferences/venue_mutes/${venueId}`, { method: 'PUT' });

export const unmuteVenueAlerts = (venueId: number) =>
  apiCall<Preferences>(`/api/preferences/venue_mutes/${venueId}`, { method: 'DELETE' });
