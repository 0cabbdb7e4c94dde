// Data for drills and benchmarks, written straight to PostgreSQL (thousands of users cannot each
// sign in through scrypt in reasonable time), and access tokens signed with the cluster's secret.
import { DEFAULT_PASSWORD_HASH_COST, hashPassword } from '../../../src/auth/passwords';
import { deriveKey, signAccessToken, type Role } from '../../../src/auth/tokens';
import type { Sql } from '../../../src/db/sql';

export interface FixtureUser {
  id: number;
  email: string;
  role: Role;
  token: string;
  /** The user's token_version, which their tokens must carry (a new user's is 0). */
  tokenVersion?: number;
}

/** Every fixture user's password, for drills that sign in through the API. */
export const FIXTURE_PASSWORD = 'fixture-password-1234';
let sharedHash: Promise<string> | undefined;

/** Users with tokens left empty: signing 10 000 up front is wasted work; see withTokens. */
export async function createUsers(sql: Sql, count: number, role: Role, prefix: string): Promise<FixtureUser[]> {
  const hash = await (sharedHash ??= hashPassword(FIXTURE_PASSWORD, DEFAULT_PASSWORD_HASH_COST));
  const users: FixtureUser[] = [];
  for (let offset = 0; offset < count; offset += 5000) {
    const size = Math.min(5000, count - offset);
    const emails = Array.from({ length: size }, (_, i) => `${prefix}-${offset + i}@bookit.test`);
    const rows = await sql<{ id: number; email: string; token_version: number }[]>`
      insert into users (email, full_name, role, password_hash, must_change_password)
      select e, 'Fixture ' || e, ${role}, ${hash}, false from unnest(${emails}::text[]) as e
      returning id, email, token_version`;
    for (const row of rows) users.push({ id: row.id, email: row.email, role, token: '', tokenVersion: row.token_version });
  }
  return users;
}

export async function tokenFor(jwtSecret: string, user: Pick<FixtureUser, 'id' | 'role' | 'tokenVersion'>): Promise<string> {
  return signAccessToken(deriveKey(jwtSecret, 'session'), { userId: user.id, role: user.role, tokenVersion: user.tokenVersion ?? 0 });
}

export async function withTokens(jwtSecret: string, users: FixtureUser[]): Promise<FixtureUser[]> {
  for (const user of users) user.token = await tokenFor(jwtSecret, user);
  return users;
}

export async function createVenues(sql: Sql, count: number, prefix: string, timeZone = 'UTC'): Promise<number[]> {
  const names = Array.from({ length: count }, (_, i) => `${prefix} hall ${i + 1}`);
  const rows = await sql<{ id: number }[]>`
    insert into venues (name, location, capacity, time_zone)
    select n, 'Drill street', 100, ${timeZone} from unnest(${names}::text[]) as n
    returning id`;
  return rows.map((row) => row.id);
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
export async function call<T = Record<string, unknown>>(baseUrl: string, method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<ApiAnswer<T>> {
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
export function utcSlotToTheSecond(startsAt: number, durationMs: number): { date: string; start_time: string; end_time: string } {
  const start = new Date(startsAt).toISOString();
  const end = new Date(startsAt + durationMs).toISOString();
  if (start.slice(0, 10) !== end.slice(0, 10)) throw new Error('utcSlotToTheSecond: the slot must end on the day it starts');
  return { date: start.slice(0, 10), start_time: start.slice(11, 19), end_time: end.slice(11, 19) };
}

export async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, what: string, timeoutMs: number, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** `work` over every item, `width` at a time. */
export async function inParallel<T>(items: T[], width: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index]!, index);
    }
  }));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
