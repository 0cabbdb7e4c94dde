import type { Role } from '../auth/tokens';
import type { Queryable, Sql } from './sql';

export interface UserRow {
  id: number;
  email: string;
  full_name: string;
  role: Role;
  password_hash: string | null;
  must_change_password: boolean;
  is_active: boolean;
  created_at: Date;
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

export async function setPasswordHash(sql: Queryable, id: number, passwordHash: string, mustChange: boolean): Promise<boolean> {
  const rows = await sql`
    update users set password_hash = ${passwordHash}, must_change_password = ${mustChange}, updated_at = now()
    where id = ${id}
    returning id`;
  return rows.length === 1;
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

export async function listUsers(sql: Queryable, { limit, before }: { limit: number; before?: number }): Promise<UserRow[]> {
  return sql<UserRow[]>`
    select * from users where ${before ? sql`id < ${before}` : sql`true`}
    order by id desc limit ${limit}`;
}

export async function updateUser(sql: Queryable, id: number, changes: { role?: Role; isActive?: boolean; fullName?: string }): Promise<UserRow | undefined> {
  const [row] = await sql<UserRow[]>`
    update users set
      role = coalesce(${changes.role ?? null}, role),
      is_active = coalesce(${changes.isActive ?? null}, is_active),
      full_name = coalesce(${changes.fullName ?? null}, full_name),
      updated_at = now()
    where id = ${id}
    returning *`;
  return row;
}
