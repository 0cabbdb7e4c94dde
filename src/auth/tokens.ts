import { hkdfSync, webcrypto } from 'node:crypto';
import { errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';

export type Role = 'super_admin' | 'hall_admin' | 'member';
export type SessionTokenType = 'access' | 'refresh';

export const ACCESS_TTL_SECONDS = 15 * 60;
/** A session lasts this long from sign-in; rotating its refresh token does not extend it. */
export const REFRESH_TTL_SECONDS = 7 * 24 * 60 * 60;
const ISSUER = 'bookit';

/** An HMAC-SHA-256 key, imported into WebCrypto once. */
export type SigningKey = Promise<webcrypto.CryptoKey>;

/** What each key derived from JWT_SECRET is for; no key serves two purposes. */
export type KeyPurpose = 'session' | 'action' | 'welcome-password' | 'oidc-sign-in';

/** 32 bytes for one purpose, by HKDF-SHA-256 from JWT_SECRET. */
export function deriveKeyBytes(secret: string, purpose: KeyPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'bookit', `bookit:${purpose}`, 32));
}

/**
 * Each purpose signs with its own key derived from JWT_SECRET, so no token can stand in for another
 * kind. Imported once here: handed raw bytes, jose imports the key again on every sign and verify,
 * which was a quarter of the API's CPU per authenticated request.
 */
export function deriveKey(secret: string, purpose: 'session' | 'action'): SigningKey {
  return webcrypto.subtle.importKey('raw', deriveKeyBytes(secret, purpose), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ]);
}

/** `tokenVersion`: the user's token_version when the token was issued; a bump ends the token. */
export interface SessionClaims {
  userId: number;
  role: Role;
  tokenVersion: number;
}

/** A refresh token is also one row of refresh_tokens (`tokenId`), in a chain of rotations (`family`). */
export interface RefreshClaims extends SessionClaims {
  tokenId: string;
  family: string;
}

function sessionJwt(type: SessionTokenType, claims: SessionClaims, extra: JWTPayload = {}): SignJWT {
  return new SignJWT({ role: claims.role, typ: type, ver: claims.tokenVersion, ...extra })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(String(claims.userId))
    .setIssuer(ISSUER)
    .setIssuedAt();
}

export async function signAccessToken(key: SigningKey, claims: SessionClaims): Promise<string> {
  return sessionJwt('access', claims)
    .setExpirationTime(`${ACCESS_TTL_SECONDS}s`)
    .sign(await key);
}

export async function signRefreshToken(key: SigningKey, claims: RefreshClaims, expiresAt: Date): Promise<string> {
  return sessionJwt('refresh', claims, { fam: claims.family })
    .setJti(claims.tokenId)
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(await key);
}

async function verifySessionJwt(
  key: SigningKey,
  type: SessionTokenType,
  token: string,
): Promise<{ claims: SessionClaims; payload: JWTPayload } | null> {
  try {
    const { payload } = await jwtVerify(token, await key, { algorithms: ['HS256'], issuer: ISSUER });
    const userId = Number(payload.sub);
    // A token without a version predates versions: it cannot be checked, so it is refused.
    if (payload.typ !== type || !Number.isSafeInteger(userId) || !Number.isSafeInteger(payload.ver)) return null;
    return { claims: { userId, role: payload.role as Role, tokenVersion: payload.ver as number }, payload };
  } catch (error) {
    if (error instanceof errors.JOSEError) return null;
    throw error;
  }
}

/** Access tokens already verified, per key, until they expire: every request carries one, and the HMAC through WebCrypto is a thread-pool job each time. */
const verifiedAccessTokens = new WeakMap<SigningKey, Map<string, { claims: SessionClaims; expiresAtMs: number }>>();
/** Enough for every session active within a token's 15 minutes on one API process; the oldest go first. */
const VERIFIED_ACCESS_TOKENS_KEPT = 10_000;

/**
 * The claims of a valid access token, or null for a tampered, expired, unversioned or wrong-type
 * token. A token verified before is answered from memory until its expiry; only the signature's
 * check is saved (the caller still checks the user's row and token version on every request).
 */
export async function verifyAccessToken(key: SigningKey, token: string): Promise<SessionClaims | null> {
  let cache = verifiedAccessTokens.get(key);
  if (!cache) {
    cache = new Map();
    verifiedAccessTokens.set(key, cache);
  }
  const known = cache.get(token);
  if (known && known.expiresAtMs > Date.now()) return known.claims;
  if (known) cache.delete(token);
  const verified = await verifySessionJwt(key, 'access', token);
  if (!verified) return null;
  if (typeof verified.payload.exp === 'number') {
    if (cache.size >= VERIFIED_ACCESS_TOKENS_KEPT) cache.delete(cache.keys().next().value!);
    cache.set(token, { claims: verified.claims, expiresAtMs: verified.payload.exp * 1000 });
  }
  return verified.claims;
}

/** The claims of a valid refresh token (its row id and family too), or null. */
export async function verifyRefreshToken(key: SigningKey, token: string): Promise<RefreshClaims | null> {
  const verified = await verifySessionJwt(key, 'refresh', token);
  if (!verified) return null;
  const { jti, fam } = verified.payload;
  if (typeof jti !== 'string' || typeof fam !== 'string') return null;
  return { ...verified.claims, tokenId: jti, family: fam };
}
