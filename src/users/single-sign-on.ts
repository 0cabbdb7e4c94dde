import type { Queryable } from '../db/sql';
import type { UserRow } from './store';

/**
 * Accounts that single sign-on makes or adopts. The identity provider vouched for the person, so
 * such an account has no password of BookIT's and nothing to change first.
 */

/** A member account for someone the provider vouched for; null when the address is taken (any case). */
export async function insertSignedOnUser(
  sql: Queryable,
  user: { email: string; fullName: string },
): Promise<UserRow | null> {
  const [row] = await sql<UserRow[]>`
    insert into users (email, full_name, role, password_hash, must_change_password)
    values (${user.email}, ${user.fullName}, 'member', null, false)
    on conflict (lower(email)) do nothing
    returning *`;
  return row ?? null;
}

/**
 * An account whose only password is still the emailed one (never chosen, never changed) signs in
 * through the provider: that password is retired, so it cannot stand beside single sign-on, and
 * nothing is left to change first. A password the person chose is kept. The row, changed or not.
 */
export async function retireEmailedPassword(sql: Queryable, id: number): Promise<UserRow | undefined> {
  const [row] = await sql<UserRow[]>`
    update users set
      password_hash = case when must_change_password then null else password_hash end,
      must_change_password = false,
      updated_at = case when must_change_password then now() else updated_at end
    where id = ${id}
    returning *`;
  return row;
}
