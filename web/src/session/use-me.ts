import type { Me } from '../api/types';
import { useStore } from '../state/use-store';
import { sessionStore } from './session-state';

/** The signed-in user; signed-in pages are only rendered while there is one. */
export function useMe(): Me {
  const session = useStore(sessionStore);
  if (session.phase !== 'signed_in') throw new Error('useMe() outside a signed-in page');
  return session.me;
}
