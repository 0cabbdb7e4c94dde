import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { seal, unseal, type SealingKey } from '../auth/sealed-box';
import type { PendingSignIn } from '../sso/oidc-client';

/**
 * A single sign-on in progress, kept in the browser that started it: state, nonce, PKCE verifier
 * and the page to return to, sealed (AES-256-GCM: neither read nor altered) in an HttpOnly cookie
 * that only the callback receives. SameSite=Lax, because the provider sends the browser back from
 * another site (a top-level GET, which Lax lets through, while Strict would not); it lives ten
 * minutes and is used once.
 */
const SIGN_IN_COOKIE = 'bookit_oidc';
const SIGN_IN_COOKIE_PATH = '/api/auth/oidc';
const SIGN_IN_TTL_SECONDS = 10 * 60;
/** Authenticated with the sealed box, so a box made for something else does not open as this. */
const SEAL_CONTEXT = 'bookit:oidc-sign-in';

/**
 * Which session a browser's single sign-on began (its refresh-token family): sent only to the
 * logout route, which then also signs out at the provider. It grants nothing by itself.
 */
const SSO_SESSION_COOKIE = 'bookit_sso';
const SSO_SESSION_COOKIE_PATH = '/api/auth/logout';
/**
 * Over https both are `__Secure-` cookies, as the refresh cookie is: a browser takes that name only
 * with Secure from an https answer, so nothing over plain http can plant one.
 */
const prefixOf = (secure: boolean) => (secure ? ('secure' as const) : undefined);

export function keepPendingSignIn(c: Context, key: SealingKey, pending: PendingSignIn, secure: boolean): void {
  const expiresAt = Date.now() + SIGN_IN_TTL_SECONDS * 1000;
  const box = seal(key, JSON.stringify({ ...pending, expiresAt }), SEAL_CONTEXT).toString('base64url');
  setCookie(c, SIGN_IN_COOKIE, box, {
    path: SIGN_IN_COOKIE_PATH,
    httpOnly: true,
    sameSite: 'Lax',
    secure,
    prefix: prefixOf(secure),
    maxAge: SIGN_IN_TTL_SECONDS,
  });
}

/** The sign-in this browser started, once (the cookie is removed); null when absent, altered or expired. */
export function takePendingSignIn(c: Context, key: SealingKey, secure: boolean): PendingSignIn | null {
  const box = getCookie(c, SIGN_IN_COOKIE, prefixOf(secure));
  if (!box) return null;
  deleteCookie(c, SIGN_IN_COOKIE, {
    path: SIGN_IN_COOKIE_PATH,
    httpOnly: true,
    sameSite: 'Lax',
    secure,
    prefix: prefixOf(secure),
  });
  const opened = unseal(key, Buffer.from(box, 'base64url'), SEAL_CONTEXT);
  if (opened === null) return null;
  try {
    const { state, nonce, codeVerifier, next, expiresAt } = JSON.parse(opened) as PendingSignIn & { expiresAt: number };
    if (typeof expiresAt !== 'number' || expiresAt < Date.now()) return null;
    return { state, nonce, codeVerifier, next };
  } catch {
    return null;
  }
}

export function rememberSsoSession(c: Context, family: string, expiresAt: Date, secure: boolean): void {
  setCookie(c, SSO_SESSION_COOKIE, family, {
    path: SSO_SESSION_COOKIE_PATH,
    httpOnly: true,
    sameSite: 'Strict',
    secure,
    prefix: prefixOf(secure),
    maxAge: Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000)),
  });
}

/**
 * The single sign-on session this browser was in, if the cookie came (only the logout route gets
 * it); the cookie is removed either way (signing out, or a password sign-in replacing the session).
 */
export function forgetSsoSession(c: Context, secure: boolean): string | undefined {
  const family = getCookie(c, SSO_SESSION_COOKIE, prefixOf(secure)) || undefined;
  deleteCookie(c, SSO_SESSION_COOKIE, {
    path: SSO_SESSION_COOKIE_PATH,
    httpOnly: true,
    sameSite: 'Strict',
    secure,
    prefix: prefixOf(secure),
  });
  return family;
}
