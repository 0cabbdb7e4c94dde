import { api } from './contract';
import type { BodyOf } from './operations';
import type { ApprovalRule, CheckInRule } from './types';

export const listVenues = () => api.get('/api/venues');

export type NewVenue = BodyOf<'/api/venues', 'post'>;

export const createVenue = (venue: NewVenue) => api.post('/api/venues', { body: venue });

export const assignVenueAdmin = (venueId: number, userId: number) =>
  api.post('/api/venues/{id}/assign_admin', { path: { id: venueId }, body: { user_id: userId } });

export const removeVenueAdmin = (venueId: number, userId: number) =>
  api.delete('/api/venues/{id}/admins/{user_id}', { path: { id: venueId, user_id: userId } });

/** A super admin, or a hall admin of the venue; applies to its bookings that have not reached their window yet. */
export const updateVenueCheckIn = (venueId: number, rule: CheckInRule) =>
  api.patch('/api/venues/{id}', { path: { id: venueId }, body: { check_in: rule } });

/** A super admin, or a hall admin of the venue; bookings made before keep what they had. */
export const updateVenueApproval = (venueId: number, rule: ApprovalRule) =>
  api.patch('/api/venues/{id}', { path: { id: venueId }, body: { approval: rule } });

export const listNoShows = (venueId: number) => api.get('/api/venues/{id}/no_shows', { path: { id: venueId } });
