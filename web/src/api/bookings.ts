import { api, urlFor } from './contract';
import type { BodyOf, QueryOf } from './operations';
import { fetchPage, type Page } from './page';
import type { Booking } from './types';

export type BookingsWhen = NonNullable<QueryOf<'/api/bookings', 'get'>['when']>;

export interface BookingsQuery {
  when?: BookingsWhen;
  venue?: number;
  /** Only the caller's own bookings (admins otherwise see their venues' too). */
  mine?: boolean;
  status?: Booking['status'];
  limit?: number;
}

export const bookingsUrl = (query: BookingsQuery): string =>
  urlFor('/api/bookings', {
    query: {
      when: query.when,
      venue: query.venue,
      mine: query.mine ? 'true' : undefined,
      status: query.status,
      limit: query.limit ?? 20,
    },
  });

export const listBookings = (query: BookingsQuery): Promise<Page<Booking>> => fetchPage<Booking>(bookingsUrl(query));

export const fetchBooking = (id: number) => api.get('/api/bookings/{id}', { path: { id } });

export type NewBooking = BodyOf<'/api/bookings', 'post'>;

export const createBooking = (booking: NewBooking) => api.post('/api/bookings', { body: booking });

export type BookingChange = BodyOf<'/api/bookings/{id}', 'patch'>;

export const rescheduleBooking = (id: number, change: BookingChange) =>
  api.patch('/api/bookings/{id}', { path: { id }, body: change });

export const cancelBooking = (id: number, reason: string) =>
  api.post('/api/bookings/{id}/cancel', { path: { id }, body: reason.trim() ? { reason: reason.trim() } : {} });

export const confirmBooking = (id: number) => api.post('/api/bookings/{id}/confirm', { path: { id } });

export const overrideAutoCancel = (id: number) => api.post('/api/bookings/{id}/override_autocancel', { path: { id } });

/** Inside the venue's check-in window only; outside it the server answers 409 with a sentence. */
export const checkInBooking = (id: number) => api.post('/api/bookings/{id}/check_in', { path: { id } });
