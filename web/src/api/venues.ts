import { apiCall } from './authorized-fetch';
import { withQuery } from './page';
import type { ApprovalRule, CheckInRule, Message, NoShowCount, Venue, VenueSchedule } from './types';

export const listVenues = () => apiCall<Venue[]>('/api/venues');

export const fetchVenueSchedule = (venueId: number, date: string) =>
  apiCall<VenueSchedule>(withQuery(`/api/venues/${venueId}/schedule`, { date }));

export interface NewVenue {
  name: string;
  location?: string;
  capacity?: number | null;
  time_zone?: string;
}

export const createVenue = (venue: NewVenue) => apiCall<Venue>('/api/venues', { method: 'POST', body: venue });

export const assignVenueAdmin = (venueId: number, userId: number) =>
  apiCall<Message>(`/api/venues/${venueId}/assign_admin`, { method: 'POST', body: { user_id: userId } });

export const removeVenueAdmin = (venueId: number, userId: number) =>
  apiCall<Message>(`/api/venues/${venueId}/admins/${userId}`, { method: 'DELETE' });

/** A super admin, or a hall admin of the venue; applies to its bookings that have not reached their window yet. */
export const updateVenueCheckIn = (venueId: number, rule: CheckInRule) =>
  apiCall<Venue>(`/api/venues/${venueId}`, { method: 'PATCH', body: { check_in: rule } });

/** A super admin, or a hall admin of the venue; bookings made before keep what they had. */
export const updateVenueApproval = (venueId: number, rule: ApprovalRule) =>
  apiCall<Venue>(`/api/venues/${venueId}`, { method: 'PATCH', body: { approval: rule } });

export const listNoShows = (venueId: number) => apiCall<NoShowCount[]>(`/api/venues/${venueId}/no_shows`);
