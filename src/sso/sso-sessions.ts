import type { Queryable } from '../db/sql';

/** Remembers the ID token a session began with, for RP-initiated logout; sweeps a few long-expired rows. */
export async function recordSsoSession(
  sql: Queryable,
  session: { family: string; userId: number; idToken: string; expiresAt: Date },
): Promise<void> {
  await sql`
    with swept as (
      delete from sso_sessions where family in (
        select family from sso_sessions where expires_at < now() order by expires_at limit 100 for update skip locked))
    insert into sso_sessions (family, user_id, id_token, expires_at)
    values (${session.family}, ${session.userId}, ${session.idToken}, ${session.expiresAt})
    on conflict (family) do nothing`;
}

/**
 * Signing out: forgets every single sign-on session of the user (signing out ends all of them) and
 * answers the ID token of the one named, when it is theirs and still current.
 */
export async function endSsoSessions(
  sql: Queryable,
  userId: number,
  family: string | undefined,
): Promise<string | null> {
  const rows = await sql<{ family: string; id_token: string; current: boolean }[]>`
    delete from sso_sessions where user_id = ${userId}
    returning family::text, id_token, expires_at > now() as current`;
  return rows.find((row) => row.family === family && row.current)?.id_token ?? null;
}
