import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  /** True until the first answer; a reload keeps showing the old data meanwhile. */
  loading: boolean;
  reload: () => void;
}

/** Runs `load` now and whenever `deps` change or reload() is called; only the latest answer counts. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: null,
    loading: true,
  });
  const latest = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const run = useCallback(() => {
    const call = ++latest.current;
    loadRef.current().then(
      (data) => {
        if (call === latest.current) setState({ data, error: null, loading: false });
      },
      (error: unknown) => {
        if (call === latest.current) setState((old) => ({ data: old.data, error, loading: false }));
      },
    );
  }, []);

  useEffect(() => {
    setState((old) => ({ ...old, loading: old.data === undefined }));
    run();
  }, deps);

  return { ...state, reload: run };
}
