import { authorizedFetch } from './authorized-fetch';
import { nextPageOf } from './next-page';

/** One keyset page and the URL of the next one (from the Link header), null on the last. */
export interface Page<T> {
  items: T[];
  next: string | null;
}

export async function fetchPage<T>(url: string): Promise<Page<T>> {
  const answer = await authorizedFetch<T[]>(url);
  return { items: answer.data, next: nextPageOf(answer.headers.get('link')) };
}

/** `path?query` from parameters, leaving out the unset ones. */
export function withQuery(path: string, query: Record<string, string | number | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/** Every page of a list, up to `max` items (for small lists a select is built from). */
export async function fetchAll<T>(firstUrl: string, max = 1_000): Promise<T[]> {
  const items: T[] = [];
  let url: string | null = firstUrl;
  while (url && items.length < max) {
    const page: Page<T> = await fetchPage<T>(url);
    items.push(...page.items);
    url = page.next;
  }
  return items;
}
