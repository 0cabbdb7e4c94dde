import { generatePassword, hashPassword } from '../auth/passwords';
import { seal, unseal, type SealingKey } from '../auth/sealed-box';
import type { Queryable, Sql } from '../db/sql';
import { findUser, setGeneratedPasswordHash } from './store';

/** Longer than the 24 hours a welcome email is retried for, so the password outlives every attempt. */
const KEPT_FOR = '48 hours';

export interface WelcomePasswordDeps {
  sql: Sql;
  sealingKey: SealingKey;
  passwordHashCost: number;
}

class UserTookOver extends Error {}

/**
 * The password a welcome email carries. Made at the email's first attempt, stored as the user's
 * password (only while they have none of their own) and kept sealed until the email is sent, so
 * every retry sends the same one. Null when the email no longer applies: the user is gone or
 * inactive, or their password was replaced since (by them, or by a newer welcome).
 */
export async function welcomePasswordFor(
  deps: WelcomePasswordDeps,
  userId: number,
  emailKey: string,
): Promise<string | null> {
  const { sql } = deps;
  const context = `${emailKey}|${userId}`;
  const [waiting] = await sql<{ sealed: Uint8Array; password_hash: string }[]>`
    select sealed, password_hash from welcome_passwords where email_key = ${emailKey} and user_id = ${userId} and expires_at > now()`;
  const user = await findUser(sql, userId);
  if (!user || !user.is_active) {
    await forgetWelcomePassword(sql, emailKey);
    return null;
  }
  if (waiting) {
    if (waiting.password_hash !== user.password_hash) {
      await forgetWelcomePassword(sql, emailKey);
      return null;
    }
    const password = unseal(deps.sealingKey, waiting.sealed, context);
    if (password !== null) return password;
    // Sealed under a JWT_SECRET since rotated: the user cannot have it, so a new one replaces it.
    await forgetWelcomePassword(sql, emailKey);
  }
  // A password the user chose is never written over.
  if (user.password_hash !== null && !user.must_change_password) return null;

  const password = generatePassword();
  const passwordHash = await hashPassword(password, deps.passwordHashCost);
  try {
    return await sql
      .begin(async (tx) => {
        const [kept] = await tx`
        with swept as (delete from welcome_passwords where expires_at < now())
        insert into welcome_passwords (email_key, user_id, sealed, password_hash, expires_at)
        values (${emailKey}, ${userId}, ${seal(deps.sealingKey, password, context)}, ${passwordHash}, now() + ${KEPT_FOR}::interval)
        on conflict (email_key) do nothing
        returning email_key`;
        // Another attempt of this email got there first (they should not overlap, but): send its password.
        if (!kept) return null;
        if (!(await setGeneratedPasswordHash(tx, userId, passwordHash))) throw new UserTookOver();
        return password;
      })
      .then((made) => made ?? welcomePasswordFor(deps, userId, emailKey));
  } catch (error) {
    if (error instanceof UserTookOver) return null;
    throw error;
  }
}

/** Wipes the waiting password once its email is sent, given up on, or no longer applies. */
export async function forgetWelcomePassword(sql: Queryable, emailKey: string): Promise<void> {
  await sql`delete from welcome_passwords where email_key = ${emailKey}`;
}
