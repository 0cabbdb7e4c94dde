import type { MiddlewareHandler } from 'hono';
import { invalid } from '../domain/errors';

const NUL = '\u0000';

/** The dotted path of the first string holding U+0000 in a parsed JSON value, or null. */
function pathOfNul(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes(NUL) ? path : null;
  if (typeof value !== 'object' || value === null) return null;
  for (const [key, inner] of Object.entries(value)) {
    const found = pathOfNul(inner, path ? `${path}.${key}` : key);
    if (found !== null) return found;
  }
  return null;
}

/**
 * PostgreSQL text cannot hold U+0000. A query parameter or JSON string containing one is refused
 * here with a 400 naming it, instead of failing inside a statement as a 500.
 */
export const refuseNulCharacters: MiddlewareHandler = async (c, next) => {
  for (const [name, value] of new URL(c.req.url).searchParams) {
    if (value.includes(NUL)) throw invalid(`query parameter "${name}" contains a NUL character (U+0000)`);
  }
  if (c.req.header('content-type')?.includes('application/json')) {
    // Hono caches the parsed body, so the route's validator reads the same value (or the same parse error).
    const body: unknown = await c.req.json().catch(() => undefined);
    const path = pathOfNul(body, '');
    if (path !== null)
      throw invalid(
        path ? `body field "${path}" contains a NUL character (U+0000)` : 'body contains a NUL character (U+0000)',
      );
  }
  await next();
};
