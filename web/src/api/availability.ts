import { queryOfSearch, type RoomSearch } from '../format/availability-search';
import { apiCall } from './authorized-fetch';
import { withQuery } from './page';
import type { FreeVenue } from './types';

/** GET /api/amenities: one of the amenities venues may have. */
export interface Amenity {
  id: number;
  name: string;
}

export const listAmenities = () => apiCall<Amenity[]>('/api/amenities');

/** The venues the caller may book that have free time as asked, by name; those with none are left out. */
export const findFreeVenues = (search: RoomSearch) =>
  apiCall<FreeVenue[]>(withQuery('/api/availability', queryOfSearch(search)));

/** One venue's free time on a day, in stretches of at least `minMinutes` (the clash's nearest free times). */
export const freeTimesAt = (venue: number, date: string, minMinutes: number) =>
  apiCall<FreeVenue[]>(withQuery('/api/availability', { date, venue, min_minutes: minMinutes })).then(
    (venues) => venues.find((found) => found.venue_id === venue)?.free ?? [],
  );
