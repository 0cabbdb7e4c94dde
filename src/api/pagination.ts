import { z } from '@hono/zod-openapi';

export const ListQuery = z.object({
  limit: z.coerce.number().int('must be a whole number').min(1, 'must be from 1 to 100').max(100, 'must be from 1 to 100').default(50).openapi({ param: { name: 'limit', in: 'query' } }),
  before: z.coerce.number().int().positive('must be a positive id').optional().openapi({ param: { name: 'before', in: 'query' } }),
});

/** RFC 8288 `Link` to the next keyset page, or undefined on the last page. */
export function nextPageLink(requestUrl: string, lastId: number | undefined): string | undefined {
  if (lastId === undefined) return undefined;
  const url = new URL(requestUrl);
  url.searchParams.set('before', String(lastId));
  return `<${url.pathname}${url.search}>; rel="next"`;
}
