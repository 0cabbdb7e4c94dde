import type { Sql, TransactionSql } from '../db/sql';

/** Failed sign-ins an account may have before each further attempt must wait. */
export const ACCOUNT_FREE_FAILURES = 5;
/** Per client address: more, since an office or a mobile carrier puts many people behind one address. */
export const ADDRESS_FREE_FAILURES = 20;
/**
 * An address's count drains by one failure this often (20 an hour): a tripped address lets one
 * attempt through each time, and never waits longer, however long the guessing goes on.
 */
export const ADDRESS_DRAIN_SECONDS = 180;
/** An account's (and a known pair's) wait doubles from 1 s with each failure past the free ones, up to this. */
export const LOCK_CEILING_SECONDS = 15 * 60;
/** An account's or a pair's count is forgotten after this long without a counted attempt. */
const FORGET_AFTER = '1 hour';
/** How long a successful (account, address) pair stays known, and so exempt from the account's and the address's locks. */
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
  /** The pair's own failures: the known pair's lock, and what a success takes off the address's count. */
  pair: string;
}

export function signInKeys(email: string, clientAddress: string): SignInKeys {
  const account = normalizeEmail(email);
  return {
    account: `account:${account}`,
    address: `address:${clientAddress}`,
    known: `known:${account}|${clientAddress}`,
    pair: `pair:${account}|${clientAddress}`,
  };
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

type Lock = 'account' | 'address' | 'pair';

export type Admission =
  /** known: the pair signed in before, so only its own record was asked (recordSignInSuccess needs to know). */
  { admitted: true; known: boolean; locked: Lock[] } | { admitted: false; retryAfterSeconds: number };

class Refused extends Error {}

interface Rule {
  name: Lock;
  key: string;
  count: (tx: TransactionSql, key: string) => Promise<{ locked: boolean } | undefined>;
}

/**
 * Lets one attempt through to the password check, or says how long to wait. An admitted attempt is
 * counted as a failure at once, before any hashing, and each key's row is counted and checked in one
 * conditional upsert, so a burst of parallel guesses on many processes cannot slip past the count
 * together; a success takes its count back (recordSignInSuccess).
 *
 * A client that signed in to the account from this address before (a known pair) is judged on the
 * pair's own record alone: an attacker elsewhere who locked the account, or anyone spraying guesses
 * from a shared address (an office, a carrier's NAT, a proxy), cannot lock its owner out; someone
 * guessing from the owner's own address meets the pair's lock, which holds back that account there
 * and nothing else. Any other attempt is counted against the account, the address and the pair.
 */
export async function admitSignInAttempt(sql: Sql, keys: SignInKeys): Promise<Admission> {
  let known = false;
  try {
    const locked = await sql.begin(async (tx) => {
      const [row] = await tx`select 1 from sign_in_throttle where key = ${keys.known} and expires_at > now()`;
      known = Boolean(row);
      const engaged: Lock[] = [];
      // Always account, address, pair: attempts sharing a key lock its row in the same order.
      for (const rule of rulesFor(keys, known)) {
        const counted = await rule.count(tx, rule.key);
        // Locked: roll back, so a refused attempt counts nowhere (and leaves no row for a made-up email).
        if (!counted) throw new Refused();
        if (counted.locked) engaged.push(rule.name);
      }
      return engaged;
    });
    await sweepExpired(sql);
    return { admitted: true, known, locked };
  } catch (error) {
    if (!(error instanceof Refused)) throw error;
    return { admitted: false, retryAfterSeconds: await secondsUntilUnlocked(sql, rulesFor(keys, known)) };
  }
}

function rulesFor(keys: SignInKeys, known: boolean): Rule[] {
  if (known) return [{ name: 'pair', key: keys.pair, count: countDoubling(ACCOUNT_FREE_FAILURES) }];
  return [
    { name: 'account', key: keys.account, count: countDoubling(ACCOUNT_FREE_FAILURES) },
    { name: 'address', key: keys.address, count: countDraining(ADDRESS_FREE_FAILURES, ADDRESS_DRAIN_SECONDS) },
    // Counted, never locked: the account's lock already holds an unknown pair back.
    { name: 'pair', key: keys.pair, count: countOnly },
  ];
}

/**
 * An account's or a pair's rule: `free` failures, then each further one waits twice as long as the
 * last (up to the ceiling); the count is forgotten an hour after the last counted attempt. Strict,
 * since the owner has the known pair's way past it. Undefined when the row is locked.
 */
function countDoubling(free: number) {
  return async (tx: TransactionSql, key: string) => {
    // The count this attempt makes: 1 if the row had expired, one more otherwise.
    const counted = tx`(case when t.expires_at <= now() then 1 else t.failures + 1 end)`;
    const [row] = await tx<{ locked: boolean }[]>`
      insert into sign_in_throttle as t (key, failures, locked_until, expires_at)
      values (${key}, 1, null, now() + ${FORGET_AFTER}::interval)
      on conflict (key) do update set
        failures = ${counted},
        locked_until = case when ${counted} >= ${free}
          then now() + make_interval(secs => least(${LOCK_CEILING_SECONDS}, power(2, least(${counted} - ${free}, 20)))) end,
        expires_at = now() + ${FORGET_AFTER}::interval
      where t.locked_until is null or t.locked_until <= now() or t.expires_at <= now()
      returning locked_until is not null as locked`;
    return row;
  };
}

/** A pair's failures while it is not known, so a success can take them off the address's count. */
async function countOnly(tx: TransactionSql, key: string) {
  const [row] = await tx<{ locked: boolean }[]>`
    insert into sign_in_throttle as t (key, failures, expires_at)
    values (${key}, 1, now() + ${FORGET_AFTER}::interval)
    on conflict (key) do update set
      failures = case when t.expires_at <= now() then 1 else t.failures + 1 end,
      locked_until = null,
      expires_at = now() + ${FORGET_AFTER}::interval
    returning false as locked`;
  return row;
}

/**
 * An address's rule, a leaky bucket: each failure adds `drainSeconds` to the instant the count is
 * empty (expires_at), and an attempt is let through while at most `free - 1` failures are left in it,
 * so `locked_until` is that instant less `free - 1` drains. A tripped address waits one drain at most.
 */
function countDraining(free: number, drainSeconds: number) {
  return async (tx: TransactionSql, key: string) => {
    const drain = tx`make_interval(secs => ${drainSeconds})`;
    const emptyAt = tx`(greatest(t.expires_at, now()) + ${drain})`;
    const lockedUntil = tx`${emptyAt} - make_interval(secs => ${(free - 1) * drainSeconds})`;
    const [row] = await tx<{ locked: boolean }[]>`
      insert into sign_in_throttle as t (key, failures, locked_until, expires_at)
      values (${key}, 1, null, now() + ${drain})
      on conflict (key) do update set
        failures = ceil(extract(epoch from ${emptyAt} - now()) / ${drainSeconds})::int,
        locked_until = case when ${lockedUntil} > now() then ${lockedUntil} end,
        expires_at = ${emptyAt}
      where t.locked_until is null or t.locked_until <= now() or t.expires_at <= now()
      returning coalesce(locked_until > now(), false) as locked`;
    return row;
  };
}

async function secondsUntilUnlocked(sql: Sql, rules: Rule[]): Promise<number> {
  const [row] = await sql<{ seconds: number | null }[]>`
    select ceil(extract(epoch from max(locked_until) - now()))::int as seconds
    from sign_in_throttle
    where key in ${sql(rules.map((rule) => rule.key))} and expires_at > now() and locked_until > now()`;
  return Math.max(1, row?.seconds ?? 1);
}

/**
 * The account's and the pair's counts start over, the pair becomes (or stays) known, and, when the
 * pair was not known, the failures it added to the address's count are taken off it again: a person
 * who mistyped before getting it right leaves nothing behind for their neighbours.
 */
export async function recordSignInSuccess(
  sql: Sql,
  keys: SignInKeys,
  admission: Extract<Admission, { admitted: true }>,
): Promise<void> {
  await sql.begin(async (tx) => {
    const [pair] = await tx<{ failures: number }[]>`
      delete from sign_in_throttle where key = ${keys.pair}
      returning case when expires_at > now() then failures else 0 end as failures`;
    await tx`delete from sign_in_throttle where key = ${keys.account}`;
    const takenBack = admission.known ? 0 : (pair?.failures ?? 0);
    if (takenBack > 0) {
      const emptyAt = tx`greatest(now(), expires_at - make_interval(secs => ${takenBack * ADDRESS_DRAIN_SECONDS}))`;
      const lockedUntil = tx`${emptyAt} - make_interval(secs => ${(ADDRESS_FREE_FAILURES - 1) * ADDRESS_DRAIN_SECONDS})`;
      await tx`
        update sign_in_throttle set
          failures = ceil(extract(epoch from ${emptyAt} - now()) / ${ADDRESS_DRAIN_SECONDS})::int,
          locked_until = case when ${lockedUntil} > now() then ${lockedUntil} end,
          expires_at = ${emptyAt}
        where key = ${keys.address} and expires_at > now()`;
    }
    await tx`
      insert into sign_in_throttle (key, failures, expires_at) values (${keys.known}, 0, now() + ${KNOWN_FOR}::interval)
      on conflict (key) do update set expires_at = excluded.expires_at`;
  });
}

/** Rows past their time, a few at a time with each admitted attempt, so the table stays small on its own. */
async function sweepExpired(sql: Sql): Promise<void> {
  await sql`
    delete from sign_in_throttle where key in (
      select key from sign_in_throttle where expires_at < now() order by expires_at limit 100 for update skip locked)`;
}
