import { api } from './contract';
import type { AnswerOf } from './operations';

/** The pending requests at the venues the caller administers (every venue for a super admin), soonest deadline first. */
export const listApprovalRequests = () => api.get('/api/approvals');

/** A venue's staff approve a pending request; 409 with a sentence when it was already decided. */
export const approveRequest = (id: number) => api.post('/api/bookings/{id}/approve', { path: { id } });

/** Denies a pending request, with the reason the requester is told (none: "Not approved"). */
export const denyRequest = (id: number, reason: string) =>
  api.post('/api/bookings/{id}/deny', { path: { id }, body: reason.trim() ? { reason: reason.trim() } : {} });

/** The bookings a decision on a repeating request decided: every date of it still waiting. */
export type SeriesDecided = AnswerOf<'/api/booking_series/{id}/approve', 'post'>;

/** Approves every date of a repeating request still waiting; 409 with a sentence when none waits any more. */
export const approveSeriesRequest = (seriesId: number) =>
  api.post('/api/booking_series/{id}/approve', { path: { id: seriesId } });

/** Denies every date of a repeating request still waiting, with the reason its booker is told once. */
export const denySeriesRequest = (seriesId: number, reason: string) =>
  api.post('/api/booking_series/{id}/deny', {
    path: { id: seriesId },
    body: reason.trim() ? { reason: reason.trim() } : {},
  });
