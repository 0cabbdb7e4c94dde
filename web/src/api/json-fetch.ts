import { ApiError } from './api-error';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface JsonRequest {
  method?: Method;
  body?: unknown;
  /** Sent as `Authorization: Bearer ...` when given. */
  token?: string | null;
}

/** A parsed 2xx answer with the headers a caller may need (Link). */
export interface JsonAnswer<T> {
  data: T;
  status: number;
  headers: Headers;
}

/**
 * One request to the API with a JSON body and answer. Cookies go only to this origin (the refresh
 * cookie is HttpOnly and path-scoped, so only /api/auth/refresh ever carries it).
 */
export async function jsonFetch<T>(path: string, request: JsonRequest = {}): Promise<JsonAnswer<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  const response = await fetch(path, {
    method: request.method ?? 'GET',
    headers,
    body: request.body === undefined ? undefined : JSON.stringify(request.body),
    credentials: 'same-origin',
    cache: 'no-store',
  });
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // A proxy's HTML error page: the status alone has to speak.
  }
  if (!response.ok) {
    const said =
      typeof parsed === 'object' && parsed !== null && 'error' in parsed && typeof parsed.error === 'string'
        ? parsed.error
        : null;
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new ApiError(
      response.status,
      said ?? `The server answered ${response.status} ${response.statusText}`.trim(),
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
      parsed,
    );
  }
  return { data: parsed as T, status: response.status, headers: response.headers };
}
