import { hkdfSync, webcrypto } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';

export type Role = 'super_admin' | 'hall_admin' | 'member';
export type SessionTokenType = 'access' | 'refresh';

export const ACCESS_TTL_SECONDS = 15 * 60;
export const REFRESH_TTL_SECONDS = 7 * 24 * 60 * 60;
const ISSUER = 'bookit';

/** An HMAC-SHA-256 key, imported into WebCrypto once. */
export type SigningKey = Promise<webcrypto.CryptoKey>;

/**
 * Each purpose signs with its own key derived from JWT_SECRET, so no token can stand in for another
 * kind. Imported once here: handed raw bytes, jose imports the key again on every sign and verify,
 * which was a quarter of the API's CPU per authenticated request.
 */
export function deriveKey(secret: string, purpose: 'session' | 'action'): SigningKey {
  const bytes = new Uint8Array(hkdfSync('sha256', secret, 'bookit', `bookit:${purpose}`, 32));
  return webcrypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
}

export interface SessionClaims {
  userId: number;
  role: Role;
}

export async function signSessionToken(key: SigningKey, type: SessionTokenType, claims: SessionClaims): Promise<string> {
  return new SignJWT({ role: claims.role, typ: type })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(String(claims.userId))
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(`${type === 'access' ? ACCESS_TTL_SECONDS : REFRESH_TTL_SECONDS}s`)
    .sign(await key);
}

/** The claims of a valid token of the expected type, or null for a tampered, expired or wrong-type token. */
export async function verifySessionToken(key: SigningKey, type: SessionTokenType, token: string): Promise<SessionClaims | null> {
  try {
    const { payload } = await jwtVerify(token, await key, { algorithms: ['HS256'], issuer: ISSUER });
    const userId = Number(payload.sub);
    if (payload.typ !== type || !Number.isSafeInteger(userId)) return null;
    return { userId, role: payload.role as Role };
  } catch (error) {
    if (error instanceof errors.JOSEError) return null;
    throw error;
  }
}
