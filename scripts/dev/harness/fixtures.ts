// The rows fixtures stand on (users, venues, their hall admins), written straight to PostgreSQL:
// the one place the bench, the drills and the tests' kit (test/support) write them. Thousands of
// bench users cannot each sign in through scrypt in reasonable time, so access tokens are signed
// here with the cluster's secret; tests sign in through the API instead.
import { DEFAULT_PASSWORD_HASH_COST, hashPassword } from '../../../src/auth/passwords';
import { deriveKey, signAccessToken, type Role } from '../../../src/auth/tokens';
import type { Sql } from '../../../src/db/sql';

export { eventually } from './eventually';

export interface FixtureUser {
  id: number;
  email: string;
  role: Role;
  token: string;
  /** The user's token_version, which their tokens must carry (a new user's is 0). */
  tokenVersion?: number;
}

/** A user as a fixture writes it: active, and past the first sign-in when it has a password. */
export interface UserRow {
  email: string;
  fullName: string;
  role: Role;
  /** null: a newcomer not yet welcomed (no password, one to choose at the first sign-in). */
  password: string | null;
}

/** Every bench and drill user's password, for drills that sign in through the API. */
export const FIXTURE_PASSWORD = 'fixture-password-1234';
const hashes = new Map<string, Promise<string>>();
const hashOf = (password: string, cost: number) => {
  const key = `${cost}:${password}`;
  if (!hashes.has(key)) hashes.set(key, hashPassword(password, cost));
  return hashes.get(key)!;
};

/** Writes `rows`, 5 000 to a statement, hashing each distinct password once at `hashCost`; answers in their order. */
export async function insertUsers(
  sql: Sql,
  rows: UserRow[],
  hashCost = DEFAULT_PASSWORD_HASH_COST,
): Promise<Array<{ id: number; email: string; tokenVersion: number }>> {
  const written: Array<{ id: number; email: string; tokenVersion: number }> = [];
  for (let offset = 0; offset < rows.length; offset += 5000) {
    const batch = rows.slice(offset, offset + 5000);
    const passwordHashes = await Promise.all(
      batch.map((row) => (row.password === null ? null : hashOf(row.password, hashCost))),
    );
    const inserted = await sql<{ id: number; email: string; token_version: number }[]>`
      insert into users (email, full_name, role, password_hash, must_change_password)
      select e, n, r, h, h is null
      from unnest(${batch.map((row) => row.email)}::text[], ${batch.map((row) => row.fullName)}::text[], ${batch.map((row) => row.role)}::text[], ${passwordHashes}::text[]) as u(e, n, r, h)
      returning id, email, token_version`;
    const byEmail = new Map(inserted.map((row) => [row.email, row]));
    for (const { email } of batch) {
      const row = byEmail.get(email)!;
      written.push({ id: row.id, email: row.email, tokenVersion: row.token_version });
    }
  }
  return written;
}

/** `count` users of one role (`prefix-N@bookit.test`, FIXTURE_PASSWORD), tokens left empty: signing 10 000 up front is wasted work; see withTokens. */
export async function createUsers(sql: Sql, count: number, role: Role, prefix: string): Promise<FixtureUser[]> {
  const rows = Array.from({ length: count }, (_, i): UserRow => {
    const email = `${prefix}-${i}@bookit.test`;
    return { email, fullName: `Fixture ${email}`, role, password: FIXTURE_PASSWORD };
  });
  return (await insertUsers(sql, rows)).map((user) => ({ ...user, role, token: '' }));
}

export async function tokenFor(
  jwtSecret: string,
  user: Pick<FixtureUser, 'id' | 'role' | 'tokenVersion'>,
): Promise<string> {
  return signAccessToken(deriveKey(jwtSecret, 'session'), {
    userId: user.id,
    role: user.role,
    tokenVersion: user.tokenVersion ?? 0,
  });
}

export async function withTokens(jwtSecret: string, users: FixtureUser[]): Promise<FixtureUser[]> {
  for (const user of users) user.token = await tokenFor(jwtSecret, user);
  return users;
}

/** A venue as a fixture writes it; what is left out takes the schema's default. */
export interface VenueRow {
  name: string;
  timeZone: string;
  location?: string;
  capacity?: number | null;
  /** It asks for check-in, in a window from `opensBeforeMinutes` before the start to `closesAfterMinutes` after it (15 and 15 unless said). */
  checkIn?: { opensBeforeMinutes?: number; closesAfterMinutes?: number };
}

/** Writes `rows` in one statement; answers their ids in their order. */
export async function insertVenues(sql: Sql, rows: VenueRow[]): Promise<number[]> {
  const inserted = await sql<{ id: number }[]>`
    insert into venues (name, location, capacity, time_zone, check_in_required, check_in_opens_before, check_in_closes_after)
    select n, l, c, z, o is not null, make_interval(mins => coalesce(o, 15)), make_interval(mins => a)
    from unnest(
      ${rows.map((row) => row.name)}::text[], ${rows.map((row) => row.location ?? '')}::text[], ${rows.map((row) => row.capacity ?? null)}::int[],
      ${rows.map((row) => row.timeZone)}::text[],
      ${rows.map((row) => (row.checkIn ? (row.checkIn.opensBeforeMinutes ?? 15) : null))}::int[], ${rows.map((row) => row.checkIn?.closesAfterMinutes ?? 15)}::int[]
    ) as v(n, l, c, z, o, a)
    returning id`;
  // Identities are handed out in the order the rows go in.
  return inserted.map((row) => row.id).sort((a, b) => a - b);
}

/** `count` venues named `prefix hall N`, on Drill street, for 100. */
export async function createVenues(sql: Sql, count: number, prefix: string, timeZone = 'UTC'): Promise<number[]> {
  return insertVenues(
    sql,
    Array.from({ length: count }, (_, i) => ({
      name: `${prefix} hall ${i + 1}`,
      location: 'Drill street',
      capacity: 100,
      timeZone,
    })),
  );
}

export async function assignVenueAdmin(sql: Sql, venueId: number, userId: number): Promise<void> {
  await sql`insert into venue_admins (venue_id, user_id) values (${venueId}, ${userId}) on conflict do nothing`;
}

export interface ApiAnswer<T = unknown> {
  status: number;
  body: T;
  ms: number;
}

/** One JSON call, timed from send to the parsed body. */
export async function call<T = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<ApiAnswer<T>> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: the caller sees the text.
  }
  return { status: response.status, body: body as T, ms: performance.now() - started };
}

/** UTC date and HH:MM of an instant, for venues whose zone is UTC. */
export function utcSlot(startsAt: number, durationMs: number): { date: string; start_time: string; end_time: string } {
  const start = new Date(startsAt).toISOString();
  const end = new Date(startsAt + durationMs).toISOString();
  if (start.slice(0, 10) !== end.slice(0, 10)) throw new Error('utcSlot: the slot must end on the day it starts');
  return { date: start.slice(0, 10), start_time: start.slice(11, 16), end_time: end.slice(11, 16) };
}

/** The same to the second (HH:MM:SS), for compressed lifecycles whose timers a benchmark times. */
export function utcSlotToTheSecond(
  startsAt: number,
  durationMs: number,
): { date: string; start_time: string; end_time: string } {
  const start = new Date(startsAt).toISOString();
  const end = new Date(startsAt + durationMs).toISOString();
  if (start.slice(0, 10) !== end.slice(0, 10))
    throw new Error('utcSlotToTheSecond: the slot must end on the day it starts');
  return { date: start.slice(0, 10), start_time: start.slice(11, 19), end_time: end.slice(11, 19) };
}

/** `work` over every item, `width` at a time. */
export async function inParallel<T>(
  items: T[],
  width: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index]!, index);
      }
    }),
  );
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
