import { apiCall } from './authorized-fetch';
import { withQuery } from './page';
import type { GridVenue } from './types';

export interface GridAsk {
  date: string;
  days?: number;
  venue?: number;
  capacity?: number;
  amenities?: string[];
}

/** GET /api/schedule: hours, closures, bookings and your free time, per venue and day. */
export const fetchGrid = (ask: GridAsk) =>
  apiCall<GridVenue[]>(
    withQuery('/api/schedule', {
      date: ask.date,
      days: ask.days,
      venue: ask.venue,
      capacity: ask.capacity,
      amenities: ask.amenities?.length ? ask.amenities.join(',') : undefined,
    }),
  );
