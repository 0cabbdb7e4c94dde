import { apiCall } from './authorized-fetch';
import { fetchPage, withQuery, type Page } from './page';
import type { Booking, CancelledBooking, Confirmed, Message } from './types';

export type BookingsWhen = 'upcoming' | 'past';

export interface BookingsQuery {
  when?: BookingsWhen;
  venue?: number;
  /** Only the caller's own bookings (admins otherwise see their venues' too). */
  mine?: boolean;
  status?: Booking['status'];
  limit?: number;
}

export const bookingsUrl = (query: BookingsQuery): string =>
  withQuery('/api/bookings', {
    when: query.when,
    venue: query.venue,
    mine: query.mine ? 'true' : undefined,
    status: query.status,
    limit: query.limit ?? 20,
  });

export const listBookings = (query: BookingsQuery): Promise<Page<Booking>> => fetchPage<Booking>(bookingsUrl(query));

export const fetchBooking = (id: number) => apiCall<Booking>(`/api/bookings/${id}`);

export interface NewBooking {
  venue: number;
  date: string;
  start_time: string;
  end_time: string;
  event_name: string;
  event_details?: string;
}

export const createBooking = (booking: NewBooking) =>
  apiCall<Booking>('/api/bookings', { method: 'POST', body: booking });

export interface BookingChange {
  date?: string;
  start_time?: string;
  end_time?: string;
}

export const rescheduleBooking = (id: number, change: BookingChange) =>
  apiCall<Booking>(`/api/bookings/${id}`, { method: 'PATCH', body: change });

export const cancelBooking = (id: number, reason: string) =>
  apiCall<CancelledBooking>(`/api/bookings/${id}/cancel`, {
    method: 'POST',
    body: reason.trim() ? { reason: reason.trim() } : {},
  });

export const confirmBooking = (id: number) => apiCall<Confirmed>(`/api/bookings/${id}/confirm`, { method: 'POST' });

export const overrideAutoCancel = (id: number) =>
  apiCall<Message>(`/api/bookings/${id}/override_autocancel`, { method: 'POST' });

/** Inside the venue's check-in window only; outside it the server answers 409 with a sentence. */
export const checkInBooking = (id: number) => apiCall<Booking>(`/api/bookings/${id}/check_in`, { method: 'POST' });
