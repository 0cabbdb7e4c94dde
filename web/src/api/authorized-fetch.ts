import { accessToken } from '../session/access-token';
import { refreshAccessToken } from '../session/refresh-access';
import { sessionEnded } from '../session/session-state';
import { ApiError } from './api-error';
import { jsonFetch, type JsonAnswer, type JsonRequest } from './json-fetch';

const isUnauthenticated = (error: unknown) => error instanceof ApiError && error.status === 401;

/**
 * A call with the access token. A 401 means the token expired or the session ended: refresh once
 * (unless another call already did) and try again; a second 401 or a refused refresh ends the
 * session, which sends the user to sign-in with the reason.
 */
export async function authorizedFetch<T>(
  path: string,
  request: Omit<JsonRequest, 'token'> = {},
): Promise<JsonAnswer<T>> {
  const sentWith = accessToken();
  try {
    return await jsonFetch<T>(path, { ...request, token: sentWith });
  } catch (error) {
    if (!isUnauthenticated(error)) throw error;
  }
  const current = accessToken();
  let token = current !== null && current !== sentWith ? current : null;
  if (token === null) {
    const outcome = await refreshAccessToken();
    if (!outcome.ok) {
      if (outcome.unreachable) throw new TypeError('unreachable');
      sessionEnded(outcome.message);
      throw new ApiError(401, outcome.message ?? 'Your session ended.');
    }
    token = outcome.access;
  }
  try {
    return await jsonFetch<T>(path, { ...request, token });
  } catch (error) {
    if (isUnauthenticated(error)) sessionEnded((error as ApiError).message);
    throw error;
  }
}

/** The answer's body only. */
export async function apiCall<T>(path: string, request: Omit<JsonRequest, 'token'> = {}): Promise<T> {
  return (await authorizedFetch<T>(path, request)).data;
}
