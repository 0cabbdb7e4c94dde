import { useState } from 'preact/hooks';
import { errorMessage } from '../api/api-error';

export interface Action {
  /** True while an action runs: the buttons that start one wait. */
  busy: boolean;
  /** The last action's outcome, in a sentence. */
  status: string | null;
  error: string | null;
  run: (action: () => Promise<string>) => Promise<void>;
}

/**
 * One action at a time on a list (turn a thing on or off, delete it…): busy while it runs, then its
 * sentence or its error, and `settled` either way, since a refusal may mean the list is out of date.
 */
export function useAction(settled: () => void): Action {
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<string>) => {
    setBusy(true);
    setStatus(null);
    setError(null);
    try {
      setStatus(await action());
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
      settled();
    }
  };

  return { busy, status, error, run };
}
