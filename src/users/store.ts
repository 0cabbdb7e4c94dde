import type { Role } from '../auth/tokens';
import type { Queryable, Sql } from '../db/sql';

export interface UserRow {
  id: number;
  email: string;
  full_name: string;
  role: Role;
  password_hash: string | null;
  must_change_password: boolean;
  is_active: boolean;
  /** Carried by every access and refresh token; bumping it ends every token issued before. */
  token_version: number;
  created_at: Date;
  /** The last sign-in (password or single sign-on); null when none was recorded (see migrations/022). */
  last_signed_in_at: Date | null;
  /** When a super admin last had the welcome email sent again. */
  welcome_resent_at: Date | null;
}

export async function findActiveUser(sql: Queryable, id: number): Promise<UserRow | undefined> {
  const [user] = await sql<UserRow[]>`select * from users where id = ${id} and is_active`;
  return user;
}

export async function findUserByEmail(sql: Queryable, email: string): Promise<UserRow | undefined> {
  const [user] = await sql<UserRow[]>`select * from users where lower(email) = lower(${email})`;
  return user;
}

export async function findUser(sql: Queryable, id: number): Promise<UserRow | undefined> {
  const [user] = await sql<UserRow[]>`select * from users where id = ${id}`;
  return user;
}

/** A new password ends every session made with the old one: the token version moves with it. */
export async function setPasswordHash(
  sql: Queryable,
  id: number,
  passwordHash: string,
  mustChange: boolean,
): Promise<UserRow | undefined> {
  const [row] = await sql<UserRow[]>`
    update users set password_hash = ${passwordHash}, must_change_password = ${mustChange}, token_version = token_version + 1, updated_at = now()
    where id = ${id}
    returning *`;
  return row;
}

/**
 * A generated password for a user who has not set their own: only while there is no password yet or
 * the current one is itself generated (must_change_password). Never over one the user chose.
 */
export async function setGeneratedPasswordHash(sql: Queryable, id: number, passwordHash: string): Promise<boolean> {
  const rows = await sql`
    update users set password_hash = ${passwordHash}, must_change_password = true, token_version = token_version + 1, updated_at = now()
    where id = ${id} and is_active and (password_hash is null or must_change_password)
    returning id`;
  return rows.length === 1;
}

/** The same password under stronger parameters; changes nothing if the password changed meanwhile. */
export async function upgradePasswordHash(
  sql: Queryable,
  id: number,
  oldHash: string,
  newHash: string,
): Promise<boolean> {
  const rows =
    await sql`update users set password_hash = ${newHash} where id = ${id} and password_hash = ${oldHash} returning id`;
  return rows.length === 1;
}

/** Ends every access and refresh token issued to the user so far; the new version, or null for no such user. */
export async function bumpTokenVersion(sql: Queryable, id: number): Promise<number | null> {
  const [row] = await sql<{ token_version: number }[]>`
    update users set token_version = token_version + 1, updated_at = now() where id = ${id} returning token_version`;
  return row?.token_version ?? null;
}

/**
 * Creates the configured super admin when the system has none; with a super admin present it
 * changes nothing, so restarts and several processes starting at once are harmless.
 */
export async function ensureSuperAdmin(sql: Sql, admin: { email: string; passwordHash: string }): Promise<boolean> {
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('bookit:super-admin'))`;
    const [existing] = await tx`select id from users where role = 'super_admin' limit 1`;
    if (existing) return false;
    await tx`
      insert into users (email, full_name, role, password_hash, must_change_password)
      values (${admin.email}, 'BookIT Administrator', 'super_admin', ${admin.passwordHash}, false)
      on conflict (lower(email)) do update set role = 'super_admin', password_hash = excluded.password_hash, is_active = true`;
    return true;
  }) as Promise<boolean>;
}

export interface NewUser {
  email: string;
  fullName: string;
  role: Role;
}

/** Null when the email is taken (any case). */
export async function insertUser(sql: Queryable, user: NewUser): Promise<UserRow | null> {
  const [row] = await sql<UserRow[]>`
    insert into users (email, full_name, role) values (${user.email}, ${user.fullName}, ${user.role})
    on conflict (lower(email)) do nothing
    returning *`;
  return row ?? null;
}

/** Every active super admin: whom an undecided approval request is escalated to. */
export async function activeSuperAdmins(sql: Queryable): Promise<UserRow[]> {
  return sql<UserRow[]>`select * from users where role = 'super_admin' and is_active order by id`;
}

/** Who an administrator sees as what: deactivated, never signed in (their password still the welcome's), or active. */
export const USER_STATUSES = ['active', 'deactivated', 'never_signed_in'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/** Active, and neither a recorded sign-in nor a password of their own: the welcome is all they have. */
const neverSignedIn = (sql: Queryable) => sql`(is_active and last_signed_in_at is null and must_change_password)`;

/** The status the users list shows and filters by, read from one row. */
export function userStatus(
  user: Pick<UserRow, 'is_active' | 'last_signed_in_at' | 'must_change_password'>,
): UserStatus {
  if (!user.is_active) return 'deactivated';
  return user.last_signed_in_at === null && user.must_change_password ? 'never_signed_in' : 'active';
}

export interface UserFilter {
  /** Part of the name or the email address, any case. */
  text?: string;
  role?: Role;
  status?: UserStatus;
}

function statusCondition(sql: Queryable, status: UserStatus | undefined) {
  switch (status) {
    case undefined:
      return sql`true`;
    case 'deactivated':
      return sql`not is_active`;
    case 'never_signed_in':
      return neverSignedIn(sql);
    case 'active':
      return sql`(is_active and not ${neverSignedIn(sql)})`;
  }
}

/** Newest first, in keyset pages; strpos, not LIKE, so a % or _ typed into the search is only itself. */
export async function listUsers(
  sql: Queryable,
  { limit, before, text, role, status }: { limit: number; before?: number } & UserFilter,
): Promise<UserRow[]> {
  return sql<UserRow[]>`
    select * from users
    where ${before ? sql`id < ${before}` : sql`true`}
      and ${text ? sql`(strpos(lower(full_name), lower(${text})) > 0 or strpos(lower(email), lower(${text})) > 0)` : sql`true`}
      and ${role ? sql`role = ${role}` : sql`true`}
      and ${statusCondition(sql, status)}
    order by id desc limit ${limit}`;
}

/** A password sign-in succeeded: the users list shows when. */
export async function markSignedIn(sql: Queryable, id: number): Promise<void> {
  await sql`update users set last_signed_in_at = now() where id = ${id}`;
}

/** How long after one resent welcome another is refused: a second click meant the first. */
const RESEND_GAP = '1 minute';

/**
 * Claims a resent welcome: only for an active user who never signed in, and not again within a
 * minute of the last one. The conditional UPDATE is the lock: of two claims at once, the second
 * reads the first one's time and changes nothing. Undefined when nothing was claimed.
 */
export async function claimWelcomeResend(
  sql: Queryable,
  id: number,
): Promise<(UserRow & { resent_ms: number }) | undefined> {
  const [row] = await sql<(UserRow & { resent_ms: number })[]>`
    update users set welcome_resent_at = now(), updated_at = now()
    where id = ${id} and ${neverSignedIn(sql)}
      and (welcome_resent_at is null or welcome_resent_at < now() - ${RESEND_GAP}::interval)
    returning *, (extract(epoch from welcome_resent_at) * 1000)::float8 as resent_ms`;
  return row;
}

/**
 * A role change or a deactivation also moves the token version (`sessions_ended`), so tokens issued
 * under the old role or to the active account stop working at once. (SET reads the row as it was.)
 */
export async function updateUser(
  sql: Queryable,
  id: number,
  changes: { role?: Role; isActive?: boolean; fullName?: string },
): Promise<(UserRow & { sessions_ended: boolean }) | undefined> {
  const role = changes.role ?? null;
  const isActive = changes.isActive ?? null;
  const [row] = await sql<(UserRow & { sessions_ended: boolean })[]>`
    with previous as (select id, token_version from users where id = ${id} for update)
    update users set
      role = coalesce(${role}, role),
      is_active = coalesce(${isActive}, is_active),
      full_name = coalesce(${changes.fullName ?? null}, full_name),
      token_version = users.token_version + case when (${role}::text is not null and ${role}::text <> role) or (${isActive}::boolean = false and is_active) then 1 else 0 end,
      updated_at = now()
    from previous
    where users.id = previous.id
    returning users.*, users.token_version <> previous.token_version as sessions_ended`;
  return row;
}
