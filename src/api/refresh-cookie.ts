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
 * Over https the cookie is `__Secure-bookit_refresh`: a browser accepts that name only with Secure,
 * from an https answer, so nothing sent over plain http (a network attacker, an http sibling) can
 * plant or overwrite it, and only that name is read. Not `__Host-`, which demands Path=/: the
 * refresh token would then travel with every request to the site (each API call, each asset) and
 * sit in whatever logs or proxies see them, where the path keeps it to the one route that needs it.
 * We never set Domain, so the cookie is this host's alone either way.
 */
const prefixOf = (secure: boolean) => (secure ? ('secure' as const) : undefined);
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
    prefix: prefixOf(secure),
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

export function refreshCookie(c: Context, secure: boolean): string | undefined {
  return getCookie(c, REFRESH_COOKIE, prefixOf(secure)) || undefined;
}

export function clearRefreshCookie(c: Context, secure: boolean): void {
  const attributes = { path: REFRESH_COOKIE_PATH, httpOnly: true, sameSite: 'Strict', secure } as const;
  deleteCookie(c, REFRESH_COOKIE, { ...attributes, prefix: prefixOf(secure) });
  // A cookie from before the prefix (sessions made then sign in once more) goes too.
  if (secure) deleteCookie(c, REFRESH_COOKIE, attributes);
  deleteCookie(c, SESSION_HINT_COOKIE, { path: '/', sameSite: 'Strict', secure });
}
