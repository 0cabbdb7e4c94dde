import { errors, jwtVerify, SignJWT } from 'jose';
import type { SigningKey } from './tokens';

export const LINK_ACTIONS = [
  'confirm',
  'cancel',
  'claim',
  'check_in',
  'approve',
  'deny',
  'approve_series',
  'deny_series',
] as const;
export type LinkAction = (typeof LINK_ACTIONS)[number];
const isLinkAction = (value: unknown): value is LinkAction => (LINK_ACTIONS as readonly unknown[]).includes(value);

export interface ActionClaims {
  action: LinkAction;
  /** The booking (confirm, cancel, approve, deny), waitlist entry (claim) or series (approve_series, deny_series) the link acts on. */
  targetId: number;
  userId: number;
  /**
   * For a booking's links: its schedule_version when the email was written, so a link from before a
   * reschedule acts on nothing. Absent in links signed before versions were (and in claim links).
   */
  scheduleVersion?: number;
}

const ISSUER = 'bookit';
const AUDIENCE = 'bookit:action';

/** A link token for an email button; signed with its own key, so no session token passes for one. */
export async function signActionToken(key: SigningKey, claims: ActionClaims, expiresAt: Date): Promise<string> {
  const version = claims.scheduleVersion === undefined ? {} : { ver: claims.scheduleVersion };
  return new SignJWT({ act: claims.action, tid: claims.targetId, typ: 'action', ...version })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(String(claims.userId))
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(await key);
}

export type ActionTokenCheck = { ok: true; claims: ActionClaims } | { ok: false; reason: 'expired' | 'invalid' };

export async function verifyActionToken(key: SigningKey, token: string): Promise<ActionTokenCheck> {
  try {
    const { payload } = await jwtVerify(token, await key, {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    const action = payload.act;
    const targetId = Number(payload.tid);
    const userId = Number(payload.sub);
    const scheduleVersion = payload.ver === undefined ? undefined : Number(payload.ver);
    if (
      payload.typ !== 'action' ||
      !isLinkAction(action) ||
      !Number.isSafeInteger(targetId) ||
      !Number.isSafeInteger(userId)
    ) {
      return { ok: false, reason: 'invalid' };
    }
    if (scheduleVersion !== undefined && !Number.isSafeInteger(scheduleVersion))
      return { ok: false, reason: 'invalid' };
    return {
      ok: true,
      claims: { action, targetId, userId, ...(scheduleVersion === undefined ? {} : { scheduleVersion }) },
    };
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, reason: 'expired' };
    if (error instanceof errors.JOSEError) return { ok: false, reason: 'invalid' };
    throw error;
  }
}
