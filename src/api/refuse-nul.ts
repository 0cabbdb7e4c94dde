import type { MiddlewareHandler } from 'hono';
import { invalid } from '../domain/errors';

const NUL = '\u0000';
/** Containers (arrays, objects) inside one another that a body may hold; no route's body needs more than a few. */
export const MAX_JSON_DEPTH = 32;

type Found = { problem: 'nul'; path: string } | { problem: 'too_deep' } | null;

/**
 * The first string holding U+0000 in a parsed JSON value (by its dotted path), or that the value
 * nests deeper than MAX_JSON_DEPTH. Walked with a list rather than by recursion: JSON.parse reads
 * 20 KB of `[` without complaint, and recursing through them would overflow the stack.
 */
function findUnstorable(body: unknown): Found {
  const pending: Array<{ value: unknown; path: string; depth: number }> = [{ value: body, path: '', depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, path, depth } = next;
    if (typeof value === 'string') {
      if (value.includes(NUL)) return { problem: 'nul', path };
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth === MAX_JSON_DEPTH) return { problem: 'too_deep' };
    // Pushed in reverse, so the first field is looked at first and named when several hold a NUL.
    for (const [key, inner] of Object.entries(value).reverse())
      pending.push({ value: inner, path: path ? `${path}.${key}` : key, depth: depth + 1 });
  }
  return null;
}

/**
 * PostgreSQL text cannot hold U+0000. A query parameter or JSON string containing one is refused
 * here with a 400 naming it, instead of failing inside a statement as a 500. A JSON body nested
 * deeper than MAX_JSON_DEPTH is refused here too, before a validator or a log line walks it.
 */
export const refuseNulCharacters: MiddlewareHandler = async (c, next) => {
  for (const [name, value] of new URL(c.req.url).searchParams) {
    if (value.includes(NUL)) throw invalid(`query parameter "${name}" contains a NUL character (U+0000)`);
  }
  if (c.req.header('content-type')?.includes('application/json')) {
    // Hono caches the parsed body, so the route's validator reads the same value (or the same parse error).
    const body: unknown = await c.req.json().catch(() => undefined);
    const found = findUnstorable(body);
    if (found?.problem === 'too_deep') throw invalid(`The request body is nested deeper than ${MAX_JSON_DEPTH} levels`);
    if (found?.problem === 'nul')
      throw invalid(
        found.path
          ? `body field "${found.path}" contains a NUL character (U+0000)`
          : 'body contains a NUL character (U+0000)',
      );
  }
  await next();
};
