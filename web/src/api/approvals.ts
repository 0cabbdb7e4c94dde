import { apiCall } from './authorized-fetch';
import type { ApprovalRequest, Booking } from './types';

/** The pending requests at the venues the caller administers (every venue for a super admin), soonest deadline first. */
export const listApprovalRequests = () => apiCall<ApprovalRequest[]>('/api/approvals');

/** A venue's staff approve a pending request; 409 with a sentence when it was already decided. */
export const approveRequest = (id: number) => apiCall<Booking>(`/api/bookings/${id}/approve`, { method: 'POST' });

/** Denies a pending request, with the reason the requester is told (none: "Not approved"). */
export const denyRequest = (id: number, reason: string) =>
  apiCall<Booking>(`/api/bookings/${id}/deny`, {
    method: 'POST',
    body: reason.trim() ? { reason: reason.trim() } : {},
  });

/** The bookings a decision on a repeating request decided: every date of it still waiting. */
export interface SeriesDecided {
  decided: number[];
}

/** Approves every date of a repeating request still waiting; 409 with a sentence when none waits any more. */
export const approveSeriesRequest = (seriesId: number) =>
  apiCall<SeriesDecided>(`/api/booking_series/${seriesId}/approve`, { method: 'POST' });

/** Denies every date of a repeating request still waiting, with the reason its booker is told once. */
export const denySeriesRequest = (seriesId: number, reason: string) =>
  apiCall<SeriesDecided>(`/api/booking_series/${seriesId}/deny`, {
    method: 'POST',
    body: reason.trim() ? { reason: reason.trim() } : {},
  });
