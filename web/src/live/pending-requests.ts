import { listApprovalRequests } from '../api/approvals';
import type { ApprovalRequest } from '../api/types';
import { createStore } from '../state/store';

/** How many requests wait for the signed-in admin's decision (a repeating one counts once), as the server last answered; null until asked. */
export const pendingRequestCountStore = createStore<number | null>(null);

let latestRead = 0;

/**
 * Reads the Requests inbox (the Requests page and the navigation's count both do). Only the newest
 * read sets the count: an older answer arriving later may predate a decision.
 */
export async function readPendingRequests(): Promise<ApprovalRequest[]> {
  const read = ++latestRead;
  const requests = await listApprovalRequests();
  if (read === latestRead) pendingRequestCountStore.set(requestCount(requests));
  return requests;
}

/** A series' dates are one request, decided as a whole. */
export function requestCount(requests: ApprovalRequest[]): number {
  return new Set(requests.map((r) => (r.series_id === null ? `booking:${r.id}` : `series:${r.series_id}`))).size;
}
