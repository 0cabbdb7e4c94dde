import { hkdfSync } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';

export type Role = 'super_admin' | 'hall_admin' | 'member';
export type SessionTokenType = 'access' | 'refresh';

export const ACCESS_TTL_SECONDS = 15 * 60;
export const REFRESH_TTL_SECONDS = 7 * 24 * 60 * 60;
const ISSUER = 'bookit';

/** Each purpose signs with its own key derived from JWT_SECRET, so no token can stand in for another kind. */
export function deriveKey(secret: string, purpose: 'session' | 'action'): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', secret, 'bookit', `bookit:${purpose}`, 32));
}

export interface SessionClaims {
  userId: number;
  role: Role;
}

export async function signSessionToken(key: Uint8Array, type: SessionTokenType, claims: SessionClaims): Promise<string> {
  return new SignJWT({ role: claims.role, typ: type })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(String(claims.userId))
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(`${type === 'access' ? ACCESS_TTL_SECONDS : REFRESH_TTL_SECONDS}s`)
    .sign(key);
}

/** The claims of a valid token of the expected type, or null for a tampered, expired or wrong-type token. */
export async function verifySessionToken(key: Uint8Array, type: SessionTokenType, token: string): Promise<SessionClaims | null> {
  try {
    const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], issuer: ISSUER });
    const userId = Number(payload.sub);
    if (payload.typ !== type || !Number.isSafeInteger(userId)) return null;
    return { userId, role: payload.role as Role };
  } catch (error) {
    if (error instanceof errors.JOSEError) return null;
    throw error;
  }
}
