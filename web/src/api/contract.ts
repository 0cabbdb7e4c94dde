import { apiCall } from './authorized-fetch';
import type { Method as HttpMethod } from './json-fetch';
import type { AnswerOf, Method, PathOf, RequestArgs } from './operations';
import { withQuery } from './page';

// Calls checked against the server's own document (operations.ts, over schema.gen.ts): a path that
// is not documented for the method, a missing or misspelt path parameter, query or body field does
// not compile, and the answer is the documented one. The checking costs no bytes: at run time a call
// is its path filled in and apiCall (bearer token, one refresh on 401, ApiError with the server's
// sentence), as before.

interface AnyRequest {
  path?: Record<string, string | number>;
  query?: Record<string, string | number | undefined | null>;
  body?: unknown;
}

function urlOf(path: string, request: AnyRequest): string {
  const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = request.path?.[name];
    if (value === undefined) throw new Error(`${path} needs its ${name}`);
    return encodeURIComponent(String(value));
  });
  return request.query ? withQuery(filled, request.query) : filled;
}

/** The URL of a documented GET, for the keyset pages (`fetchPage`), whose next pages the server names. */
export const urlFor = <P extends PathOf<'get'>>(path: P, ...[request]: RequestArgs<P, 'get'>): string =>
  urlOf(path, (request ?? {}) as AnyRequest);

function caller<M extends Method>(method: M) {
  return <P extends PathOf<M>>(path: P, ...[request]: RequestArgs<P, M>): Promise<AnswerOf<P, M>> => {
    const sent = (request ?? {}) as AnyRequest;
    return apiCall<AnswerOf<P, M>>(urlOf(path, sent), {
      method: method.toUpperCase() as HttpMethod,
      ...(sent.body === undefined ? {} : { body: sent.body }),
    });
  };
}

/** `api.post('/api/bookings/{id}/cancel', { path: { id }, body: { reason } })`: the documented answer. */
export const api = {
  get: caller('get'),
  post: caller('post'),
  put: caller('put'),
  patch: caller('patch'),
  delete: caller('delete'),
};
