import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';

export const ListQuery = z.object({
  limit: z.coerce
    .number()
    .int('must be a whole number')
    .min(1, 'must be from 1 to 100')
    .max(100, 'must be from 1 to 100')
    .default(50)
    .openapi({ param: { name: 'limit', in: 'query' } }),
  before: z.coerce
    .number()
    .int()
    .positive('must be a positive id')
    .optional()
    .openapi({ param: { name: 'before', in: 'query' } }),
});

/** What a keyset list reads: at most `limit` rows with ids below `before`, newest first. */
export interface PageWindow {
  limit: number;
  before?: number;
}

/**
 * One keyset page: asks `list` for one row more than the page holds, and when that row exists
 * sets the RFC 8288 `Link: <...>; rel="next"` header to continue after the page's last id.
 */
export async function paginate<Row extends { id: number }>(
  c: Context,
  { limit, before }: PageWindow,
  list: (window: PageWindow) => Promise<Row[]>,
): Promise<Row[]> {
  const rows = await list({ limit: limit + 1, before });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  if (rows.length > limit && last) {
    const url = new URL(c.req.url);
    url.searchParams.set('before', String(last.id));
    c.header('Link', `<${url.pathname}${url.search}>; rel="next"`);
  }
  return page;
}
