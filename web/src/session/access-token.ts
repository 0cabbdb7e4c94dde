import { createStore } from '../state/store';

/**
 * The access token lives here, in memory only: never in localStorage or sessionStorage, where any
 * script on the page could read it after the tab is closed. A reload starts from the refresh cookie.
 */
export const accessTokenStore = createStore<string | null>(null);

export const accessToken = (): string | null => accessTokenStore.get();

export function setAccessToken(token: string | null): void {
  accessTokenStore.set(token);
}

/**
 * How long the token is good for, in ms from when it was received: `exp - iat` from its payload,
 * which does not depend on this device's clock being right (an absolute `exp` compared with a clock
 * that runs fast would look expired at once). Without `iat`, `exp` against the local clock. Null
 * when the token has no `exp`. The payload is only decoded, not verified: the server verifies it.
 */
export function lifetimeOf(token: string, now = Date.now()): number | null {
  const claims = payloadOf(token);
  const exp = claims?.exp;
  if (typeof exp !== 'number') return null;
  const iat = claims?.iat;
  return typeof iat === 'number' ? (exp - iat) * 1000 : exp * 1000 - now;
}

function payloadOf(token: string): Record<string, unknown> | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const base64 = payload
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(payload.length / 4) * 4, '=');
    const claims: unknown = JSON.parse(atob(base64));
    return typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
