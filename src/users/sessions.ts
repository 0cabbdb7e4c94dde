import { randomUUID } from 'node:crypto';
import {
  REFRESH_TTL_SECONDS,
  signAccessToken,
  signRefreshToken,
  verifyRefreshToken,
  type SigningKey,
} from '../auth/tokens';
import { announceSessionsEnded } from '../notifications/store';
import type { Queryable, Sql } from '../db/sql';
import { bumpTokenVersion, findActiveUser, type UserRow } from './store';
import { unauthenticated } from '../domain/errors';

export interface SessionTokens {
  access: string;
  refresh: string;
  /** When the refresh token (and its family: rotation never extends a session) expires. */
  refreshExpiresAt: Date;
}

export interface SessionDeps {
  sql: Sql;
  sessionKey: SigningKey;
}

export const SESSION_ENDED = 'This session has ended (signed out, password or account changed); sign in again';
const REFRESH_REUSED =
  'This refresh token was already used, so it may have been copied: every session of this account has been ended; sign in again';

type SessionUser = Pick<UserRow, 'id' | 'role' | 'token_version'>;

/** A new session for a user who just proved who they are: the first refresh token of a new family. */
export async function startSession(deps: SessionDeps, user: SessionUser): Promise<SessionTokens> {
  return issueTokens(deps.sql, deps.sessionKey, user, randomUUID(), new Date(Date.now() + REFRESH_TTL_SECONDS * 1000));
}

/** Records the refresh token's row (sweeping a few long-expired ones), then signs both tokens. */
async function issueTokens(
  sql: Queryable,
  key: SigningKey,
  user: SessionUser,
  family: string,
  expiresAt: Date,
): Promise<SessionTokens> {
  const tokenId = randomUUID();
  await sql`
    with swept as (
      delete from refresh_tokens where id in (
        select id from refresh_tokens where expires_at < now() order by expires_at limit 100 for update skip locked))
    insert into refresh_tokens (id, user_id, family, expires_at) values (${tokenId}, ${user.id}, ${family}, ${expiresAt})`;
  const claims = { userId: user.id, role: user.role, tokenVersion: user.token_version };
  const [access, refresh] = await Promise.all([
    signAccessToken(key, claims),
    signRefreshToken(key, { ...claims, tokenId, family }, expiresAt),
  ]);
  return { access, refresh, refreshExpiresAt: expiresAt };
}

/**
 * Trades a refresh token for a new access token and the next refresh token of its family (which
 * keeps the family's expiry: rotating never makes a session longer). A token is good once; one
 * presented again after it was rotated was copied, so every session of the user ends.
 */
export async function refreshSession(deps: SessionDeps, refreshToken: string): Promise<SessionTokens> {
  const claims = await verifyRefreshToken(deps.sessionKey, refreshToken);
  if (!claims) throw unauthenticated('The refresh token is invalid or expired');
  const outcome = await deps.sql.begin(async (tx) => {
    const user = await findActiveUser(tx, claims.userId);
    if (!user) return { kind: 'inactive' } as const;
    if (user.token_version !== claims.tokenVersion) return { kind: 'ended' } as const;
    const [rotated] = await tx<{ family: string; expires_at: Date }[]>`
      update refresh_tokens set used_at = now()
      where id = ${claims.tokenId} and user_id = ${user.id} and family = ${claims.family} and used_at is null and expires_at > now()
      returning family, expires_at`;
    if (rotated)
      return {
        kind: 'rotated',
        tokens: await issueTokens(tx, deps.sessionKey, user, rotated.family, rotated.expires_at),
      } as const;
    const [seen] = await tx<
      { used: boolean }[]
    >`select used_at is not null as used from refresh_tokens where id = ${claims.tokenId} and user_id = ${user.id}`;
    if (!seen?.used) return { kind: 'unknown' } as const;
    await endSessions(tx, user.id);
    return { kind: 'reused' } as const;
  });
  switch (outcome.kind) {
    case 'rotated':
      return outcome.tokens;
    case 'inactive':
      throw unauthenticated('The account for this token is inactive or no longer exists');
    case 'ended':
      throw unauthenticated(SESSION_ENDED);
    case 'reused':
      throw unauthenticated(REFRESH_REUSED);
    case 'unknown':
      throw unauthenticated('The refresh token is invalid or expired');
  }
}

/** Ends every access and refresh token of the user, and the streams they opened. */
export async function endSessions(sql: Queryable, userId: number): Promise<void> {
  await bumpTokenVersion(sql, userId);
  await sessionsEnded(sql, userId);
}

/** After the token version moved some other way (a new password, a role change): drops the dead refresh tokens and closes open streams. */
export async function sessionsEnded(sql: Queryable, userId: number): Promise<void> {
  await sql`delete from refresh_tokens where user_id = ${userId}`;
  await announceSessionsEnded(sql, userId);
}
