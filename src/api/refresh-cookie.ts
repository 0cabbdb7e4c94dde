import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { SessionTokens } from '../users/sessions';

/**
 * How a client wants its refresh token: in the JSON answer (REST clients, which keep it
 * themselves), or in a cookie (the web app: script on the page never sees it, so an injected
 * script cannot take the session away with it).
 */
export type RefreshTransport = 'body' | 'cookie';

export const REFRESH_COOKIE = 'bookit_refresh';
/** The only route that reads it; the browser sends it nowhere else. */
export const REFRESH_COOKIE_PATH = '/api/auth/refresh';
/**
 * A hint page script can read, beside the refresh cookie and with its lifetime: a session cookie
 * may be there. It holds no secret (only "1"); the web app asks the refresh route only when it is
 * set, so a signed-out first load makes no request that must fail.
 */
export const SESSION_HINT_COOKIE = 'bookit_session';

/**
 * The answer's token fields for the chosen transport. With `cookie`, the refresh token goes into
 * an HttpOnly, SameSite=Strict cookie scoped to the refresh route (Secure when the public URL is
 * https), living as long as the session, and the JSON carries only the access token.
 */
export function deliverTokens(
  c: Context,
  tokens: SessionTokens,
  transport: RefreshTransport,
  secure: boolean,
): { access: string; refresh?: string } {
  if (transport === 'body') return { access: tokens.access, refresh: tokens.refresh };
  setCookie(c, REFRESH_COOKIE, tokens.refresh, {
    path: REFRESH_COOKIE_PATH,
    httpOnly: true,
    sameSite: 'Strict',
    secure,
    maxAge: Math.max(0, Math.floor((tokens.refreshExpiresAt.getTime() - Date.now()) / 1000)),
  });
  setCookie(c, SESSION_HINT_COOKIE, '1', {
    path: '/',
    sameSite: 'Strict',
    secure,
    maxAge: Math.max(0, Math.floor((tokens.refreshExpiresAt.getTime() - Date.now()) / 1000)),
  });
  return { access: tokens.access };
}

export function refreshCookie(c: Context): string | undefined {
  return getCookie(c, REFRESH_COOKIE) || undefined;
}

export function clearRefreshCookie(c: Context, secure: boolean): void {
  deleteCookie(c, REFRESH_COOKIE, { path: REFRESH_COOKIE_PATH, httpOnly: true, sameSite: 'Strict', secure });
  deleteCookie(c, SESSION_HINT_COOKIE, { path: '/', sameSite: 'Strict', secure });
}
