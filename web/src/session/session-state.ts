import type { Me } from '../api/types';
import { createStore } from '../state/store';
import { setAccessToken } from './access-token';

export type SessionState =
  | { phase: 'starting' }
  | { phase: 'signed_out'; message: string | null }
  | { phase: 'signed_in'; me: Me };

export const sessionStore = createStore<SessionState>({ phase: 'starting' });

export function signedInAs(me: Me): void {
  sessionStore.set({ phase: 'signed_in', me });
}

const DEFAULT_ENDED = 'Your session ended. Please sign in again.';

/**
 * The session is over (revoked, expired, signed out elsewhere): forget the token and show sign-in
 * with why. The server's sentence is shown when it explains the ending, else a plain one.
 */
export function sessionEnded(serverMessage: string | null = null): void {
  setAccessToken(null);
  const explains = serverMessage !== null && /ended|revoked|copied|already used|inactive/i.test(serverMessage);
  sessionStore.set({ phase: 'signed_out', message: explains ? `Your session ended: ${serverMessage}` : DEFAULT_ENDED });
}

/** Signed out on purpose, or never signed in: sign-in without a message. */
export function signedOut(message: string | null = null): void {
  setAccessToken(null);
  sessionStore.set({ phase: 'signed_out', message });
}
