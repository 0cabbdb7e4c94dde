import { ApiError } from '../api/api-error';
import { jsonFetch } from '../api/json-fetch';
import type { RefreshAnswer } from '../api/types';
import { setAccessToken } from './access-token';

export type RefreshOutcome =
  | { ok: true; access: string }
  /** `unreachable`: a network failure, so the session may well still be alive. */
  | { ok: false; unreachable: boolean; message: string | null };

let inFlight: Promise<RefreshOutcome> | null = null;

/**
 * A new access token from the refresh cookie. Each cookie works once and a second use of one ends
 * every session, so refreshes never overlap: one at a time in this tab (callers share the one in
 * flight) and, through the Web Locks API, one at a time across this browser's tabs. A tab waiting
 * for the lock then sends the cookie the previous tab's refresh left behind.
 */
export function refreshAccessToken(): Promise<RefreshOutcome> {
  inFlight ??= withRefreshLock(exchangeCookie).finally(() => {
    inFlight = null;
  });
  return inFlight;
}

function withRefreshLock(task: () => Promise<RefreshOutcome>): Promise<RefreshOutcome> {
  // Undefined outside secure contexts and in old browsers: then tabs may race, as without locks.
  const locks = typeof navigator !== 'undefined' ? (navigator.locks as LockManager | undefined) : undefined;
  if (!locks) return task();
  return locks.request('bookit-refresh', task);
}

async function exchangeCookie(): Promise<RefreshOutcome> {
  try {
    const { data } = await jsonFetch<RefreshAnswer>('/api/auth/refresh', { method: 'POST', body: {} });
    setAccessToken(data.access);
    return { ok: true, access: data.access };
  } catch (error) {
    if (error instanceof ApiError && error.status < 500)
      return { ok: false, unreachable: false, message: error.message };
    return { ok: false, unreachable: true, message: null };
  }
}
