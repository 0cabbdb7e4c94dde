import { ApiError } from './api-error';
import { api } from './contract';
import type { BodyOf } from './operations';
import type { SeriesConflict } from './types';

export type NewSeries = BodyOf<'/api/booking_series', 'post'>;

/** What to do with a date someone else already holds. */
export type OnConflict = NonNullable<NewSeries['on_conflict']>;

export const createSeries = (series: NewSeries) => api.post('/api/booking_series', { body: series });

/** The conflicts a 409 lists ("fail" met one, or every date is taken: nothing was booked); empty for any other error. */
export function refusedConflicts(error: unknown): SeriesConflict[] {
  if (!(error instanceof ApiError) || error.status !== 409) return [];
  const body = error.body as { conflicts?: unknown } | null;
  return Array.isArray(body?.conflicts) ? (body.conflicts as SeriesConflict[]) : [];
}

export const fetchSeries = (id: number) => api.get('/api/booking_series/{id}', { path: { id } });

/** From a date on ("this and following"), or every date not yet started when `from` is null. */
export const cancelSeries = (id: number, from: string | null, reason: string) =>
  api.post('/api/booking_series/{id}/cancel', {
    path: { id },
    body: { ...(from ? { from } : {}), ...(reason.trim() ? { reason: reason.trim() } : {}) },
  });

/** A change to a series: new times for its dates from `from` (or every date still to come), or a new name (all of it only). */
export type SeriesChange = BodyOf<'/api/booking_series/{id}', 'patch'>;

/** A 409 lists the dates in the way (see `refusedConflicts`); a date that cannot move keeps its old time. */
export const changeSeries = (id: number, change: SeriesChange) =>
  api.patch('/api/booking_series/{id}', { path: { id }, body: change });

/** The owner: every remaining date not yet confirmed. */
export const confirmSeries = (id: number) => api.post('/api/booking_series/{id}/confirm', { path: { id } });
