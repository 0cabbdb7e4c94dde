import { ApiError } from './api-error';
import { apiCall } from './authorized-fetch';
import type { BookingSeries, SeriesConflict, SeriesCreated, SeriesMoved } from './types';

/** What to do with a date someone else already holds. */
export type OnConflict = 'skip' | 'waitlist' | 'fail';

export interface NewSeries {
  venue: number;
  /** The first date, venue-local. */
  date: string;
  start_time: string;
  end_time: string;
  event_name: string;
  event_details?: string;
  /** RFC 5545 RRULE without DTSTART: "FREQ=WEEKLY;BYDAY=TU;COUNT=10". */
  rrule: string;
  on_conflict: OnConflict;
}

export const createSeries = (series: NewSeries) =>
  apiCall<SeriesCreated>('/api/booking_series', { method: 'POST', body: series });

/** The conflicts a 409 lists ("fail" met one, or every date is taken: nothing was booked); empty for any other error. */
export function refusedConflicts(error: unknown): SeriesConflict[] {
  if (!(error instanceof ApiError) || error.status !== 409) return [];
  const body = error.body as { conflicts?: unknown } | null;
  return Array.isArray(body?.conflicts) ? (body.conflicts as SeriesConflict[]) : [];
}

export const fetchSeries = (id: number) => apiCall<BookingSeries>(`/api/booking_series/${id}`);

/** From a date on ("this and following"), or every date not yet started when `from` is null. */
export const cancelSeries = (id: number, from: string | null, reason: string) =>
  apiCall<{ cancelled: number[] }>(`/api/booking_series/${id}/cancel`, {
    method: 'POST',
    body: { ...(from ? { from } : {}), ...(reason.trim() ? { reason: reason.trim() } : {}) },
  });

/** A change to a series: new times for its dates from `from` on, or for every date still to come; a new name (all of it only). */
export interface SeriesChange {
  /** Venue-local YYYY-MM-DD: this date and every later one ("this and following"); absent: every date still to come. */
  from?: string;
  start_time?: string;
  end_time?: string;
  event_name?: string;
  event_details?: string;
  /** A date whose new time someone else holds: keep it at its old time (skip), also wait for the new time, or change nothing. */
  on_conflict?: OnConflict;
}

/** A 409 lists the dates in the way (see `refusedConflicts`); a date that cannot move keeps its old time. */
export const changeSeries = (id: number, change: SeriesChange) =>
  apiCall<SeriesMoved>(`/api/booking_series/${id}`, { method: 'PATCH', body: change });

/** The owner: every remaining date not yet confirmed. */
export const confirmSeries = (id: number) =>
  apiCall<{ confirmed: number[] }>(`/api/booking_series/${id}/confirm`, { method: 'POST' });
