import type { RoomSearch } from '../format/availability-search';
import { api } from './contract';
import type { components } from './schema.gen';

/** GET /api/amenities: one of the amenities venues may have. */
export type Amenity = components['schemas']['Amenity'];

export const listAmenities = () => api.get('/api/amenities');

/** The venues the caller may book that have free time as asked, by name; those with none are left out. */
export const findFreeVenues = (search: RoomSearch) =>
  api.get('/api/availability', {
    query: {
      date: search.date,
      from: search.from || undefined,
      to: search.to || undefined,
      capacity: search.capacity ? Number(search.capacity) : undefined,
      amenities: search.amenities.join(',') || undefined,
      min_minutes: search.minMinutes ? Number(search.minMinutes) : undefined,
    },
  });

/** One venue's free time on a day, in stretches of at least `minMinutes` (the clash's nearest free times). */
export const freeTimesAt = (venue: number, date: string, minMinutes: number) =>
  api
    .get('/api/availability', { query: { date, venue, min_minutes: minMinutes } })
    .then((venues) => venues.find((found) => found.venue_id === venue)?.free ?? []);
