import type { Queryable } from '../db/sql';

/** The user an identity provider's subject signed in as before, if any. */
export async function linkedUserId(sql: Queryable, issuer: string, subject: string): Promise<number | undefined> {
  const [row] = await sql<{ user_id: number }[]>`
    update sso_identities set last_signed_in_at = now()
    where issuer = ${issuer} and subject = ${subject}
    returning user_id`;
  return row?.user_id;
}

/**
 * Links the subject to the user at its first sign-in. False when the user is already linked to
 * another subject of this provider: someone else there holds (or held) the address.
 */
export async function linkIdentity(sql: Queryable, issuer: string, subject: string, userId: number): Promise<boolean> {
  await sql`
    insert into sso_identities (issuer, subject, user_id) values (${issuer}, ${subject}, ${userId})
    on conflict do nothing`;
  const [row] = await sql<{ subject: string }[]>`
    select subject from sso_identities where issuer = ${issuer} and user_id = ${userId}`;
  return row?.subject === subject;
}
