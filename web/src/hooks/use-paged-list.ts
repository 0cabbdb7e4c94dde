import { useRef, useState } from 'preact/hooks';
import { errorMessage } from '../api/api-error';
import type { Page } from '../api/page';
import { useLoad } from './use-load';

export interface PagedList<T> {
  items: T[];
  next: string | null;
  loading: boolean;
  error: string | null;
  loadingOlder: boolean;
  loadOlder: () => void;
  reload: () => void;
}

/**
 * A keyset-paged list: the first page from `firstUrl(limit)`, more with loadOlder() (the Link
 * header's next URL). A reload refetches as many rows as are shown, so older pages stay put.
 */
export function usePagedList<T>(
  firstUrl: (limit: number) => string,
  fetch: (url: string) => Promise<Page<T>>,
  deps: readonly unknown[],
  pageSize = 20,
): PagedList<T> {
  const [older, setOlder] = useState<{ items: T[]; next: string | null }>({ items: [], next: null });
  const [olderError, setOlderError] = useState<string | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const shown = useRef(pageSize);

  const first = useLoad(async () => {
    const page = await fetch(firstUrl(Math.min(100, shown.current)));
    setOlder({ items: [], next: null });
    return page;
  }, deps);

  const items = [...(first.data?.items ?? []), ...older.items];
  const next = older.items.length > 0 ? older.next : (first.data?.next ?? null);
  shown.current = Math.max(pageSize, items.length);

  const loadOlder = () => {
    if (!next) return;
    setLoadingOlder(true);
    fetch(next).then(
      (page) => {
        setOlder((old) => ({ items: [...old.items, ...page.items], next: page.next }));
        setOlderError(null);
        setLoadingOlder(false);
      },
      (error: unknown) => {
        setOlderError(errorMessage(error));
        setLoadingOlder(false);
      },
    );
  };

  return {
    items,
    next,
    loading: first.loading,
    error: olderError ?? (first.error ? errorMessage(first.error) : null),
    loadingOlder,
    loadOlder,
    reload: first.reload,
  };
}
