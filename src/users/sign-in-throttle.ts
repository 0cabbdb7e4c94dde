import type { Sql } from '../db/sql';

/** Failed sign-ins an account may have before each further attempt must wait. */
export const ACCOUNT_FREE_FAILURES = 5;
/** Per client address: more, since an office or a mobile carrier puts many people behind one address. */
export const ADDRESS_FREE_FAILURES = 20;
/** The wait doubles from 1 s with each failure past the free ones, up to this. */
export const LOCK_CEILING_SECONDS = 15 * 60;
/** A count is forgotten after this long without a counted attempt. */
const FORGET_AFTER = '1 hour';
/** How long a successful (account, address) pair stays known, and so exempt from the account's lock. */
const KNOWN_FOR = '30 days';

/**
 * The rows one attempt touches. The account key is the normalized email whether or not such an
 * account exists, so the throttle answers alike for both and tells an attacker nothing.
 */
export interface SignInKeys {
  account: string;
  address: string;
  /** The pair: a client that signed in to this account from this address before. */
  known: string;
}

export function signInKeys(email: string, clientAddress: string): SignInKeys {
  const account = normalizeEmail(email);
  return {
    account: `account:${account}`,
    address: `address:${clientAddress}`,
    known: `known:${account}|${clientAddress}`,
  };
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export type Admission =
  | { admitted: true; locked: Array<'account' | 'address'> }
  | { admitted: false; retryAfterSeconds: number };

class Refused extends Error {}

/**
 * Lets one attempt through to the password check, or says how long to wait. An admitted attempt is
 * counted as a failure at once, before any hashing, and each key's row is counted and checked in one
 * conditional upsert, so a burst of parallel guesses on many processes cannot slip past the count
 * together; a success takes its count back (recordSignInSuccess). The account's lock does not stop a
 * client that signed in to the account from this address before, so an attacker elsewhere cannot
 * lock its owner out; the address's lock still does.
 */
export async function admitSignInAttempt(sql: Sql, keys: SignInKeys): Promise<Admission> {
  try {
    const locked = await sql.begin(async (tx) => {
      const [known] = await tx`select 1 from sign_in_throttle where key = ${keys.known} and expires_at > now()`;
      const engaged: Array<'account' | 'address'> = [];
      // Always account before address: attempts sharing a key lock its row in the same order.
      for (const rule of [
        { name: 'account', key: keys.account, free: ACCOUNT_FREE_FAILURES, exempt: Boolean(known) },
        { name: 'address', key: keys.address, free: ADDRESS_FREE_FAILURES, exempt: false },
      ] as const) {
        // The count this attempt makes: 1 if the row had expired, one more otherwise.
        const counted = tx`(case when t.expires_at <= now() then 1 else t.failures + 1 end)`;
        const [row] = await tx<{ locked: boolean }[]>`
          insert into sign_in_throttle as t (key, failures, locked_until, expires_at)
          values (${rule.key}, 1, null, now() + ${FORGET_AFTER}::interval)
          on conflict (key) do update set
            failures = ${counted},
            locked_until = case when ${counted} >= ${rule.free}
              then now() + make_interval(secs => least(${LOCK_CEILING_SECONDS}, power(2, least(${counted} - ${rule.free}, 20)))) end,
            expires_at = now() + ${FORGET_AFTER}::interval
          where ${rule.exempt} or t.locked_until is null or t.locked_until <= now() or t.expires_at <= now()
          returning locked_until is not null as locked`;
        // Locked: roll back, so a refused attempt counts nowhere (and leaves no row for a made-up email).
        if (!row) throw new Refused();
        if (row.locked) engaged.push(rule.name);
      }
      return engaged;
    });
    await sweepExpired(sql);
    return { admitted: true, locked };
  } catch (error) {
    if (!(error instanceof Refused)) throw error;
    return { admitted: false, retryAfterSeconds: await secondsUntilUnlocked(sql, keys) };
  }
}

async function secondsUntilUnlocked(sql: Sql, keys: SignInKeys): Promise<number> {
  const [row] = await sql<{ seconds: number | null }[]>`
    select ceil(extract(epoch from max(locked_until) - now()))::int as seconds
    from sign_in_throttle
    where expires_at > now() and locked_until > now()
      and (key = ${keys.address}
        or (key = ${keys.account} and not exists (select 1 from sign_in_throttle where key = ${keys.known} and expires_at > now())))`;
  return Math.max(1, row?.seconds ?? 1);
}

/** The account's count starts over, the address's loses this attempt, and the pair becomes known. */
export async function recordSignInSuccess(sql: Sql, keys: SignInKeys): Promise<void> {
  await sql`
    with account as (delete from sign_in_throttle where key = ${keys.account}),
    address as (
      update sign_in_throttle set
        failures = greatest(failures - 1, 0),
        locked_until = case when failures - 1 >= ${ADDRESS_FREE_FAILURES} then locked_until end
      where key = ${keys.address} and expires_at > now()
    )
    insert into sign_in_throttle (key, failures, expires_at) values (${keys.known}, 0, now() + ${KNOWN_FOR}::interval)
    on conflict (key) do update set expires_at = excluded.expires_at`;
}

/** Rows past their time, a few at a time with each admitted attempt, so the table stays small on its own. */
async function sweepExpired(sql: Sql): Promise<void> {
  await sql`
    delete from sign_in_throttle where key in (
      select key from sign_in_throttle where expires_at < now() order by expires_at limit 100 for update skip locked)`;
}
