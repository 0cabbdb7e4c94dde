import { api } from './contract';

export interface GridAsk {
  date: string;
  days?: number;
  venue?: number;
  capacity?: number;
  amenities?: string[];
}

/** GET /api/schedule: hours, closures, bookings and your free time, per venue and day. */
export const fetchGrid = (ask: GridAsk) =>
  api.get('/api/schedule', {
    query: {
      date: ask.date,
      days: ask.days,
      venue: ask.venue,
      capacity: ask.capacity,
      amenities: ask.amenities?.length ? ask.amenities.join(',') : undefined,
    },
  });
