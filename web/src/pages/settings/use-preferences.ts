import { useRef, useState } from 'preact/hooks';
import { errorMessage } from '../../api/api-error';
import { fetchPreferences } from '../../api/preferences';
import type { Preferences } from '../../api/types';
import { useLoad } from '../../hooks/use-load';

export interface PreferencesState {
  preferences: Preferences | undefined;
  loading: boolean;
  loadError: unknown;
  /** The last save's outcome, by the key of the control that made it (so it shows beside it): saved (error null) or refused with the server's sentence. */
  outcome: { key: string; error: string | null } | null;
  /** Shows `expected` at once and sends `call`; the server's answer then replaces it. */
  save: (key: string, expected: (current: Preferences) => Preferences, call: () => Promise<Preferences>) => void;
}

/**
 * The user's notification preferences, changed one checkbox at a time. Saves go one after another
 * (a quick second click must not overtake the first); only the latest answer is shown, and a refusal
 * puts back what the server holds.
 */
export function usePreferences(): PreferencesState {
  const loaded = useLoad(fetchPreferences, []);
  const [local, setLocal] = useState<Preferences | undefined>(undefined);
  const [outcome, setOutcome] = useState<PreferencesState['outcome']>(null);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const latest = useRef(0);
  const preferences = local ?? loaded.data;

  const save: PreferencesState['save'] = (key, expected, call) => {
    if (!preferences) return;
    setLocal(expected(preferences));
    setOutcome(null);
    const mine = ++latest.current;
    queue.current = queue.current.then(async () => {
      try {
        const answer = await call();
        if (mine === latest.current) {
          setLocal(answer);
          setOutcome({ key, error: null });
        }
      } catch (failure) {
        setOutcome({ key, error: errorMessage(failure) });
        setLocal(await fetchPreferences().catch(() => undefined));
      }
    });
  };

  return { preferences, loading: loaded.loading, loadError: loaded.error, outcome, save };
}
