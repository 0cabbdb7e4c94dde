import { randomBytes, randomInt, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** log2 of scrypt's N. 17 is OWASP's minimum for scrypt (N=2^17, r=8, p=1): 128 MiB per hash. */
export const DEFAULT_PASSWORD_HASH_COST = 17;
export const MIN_PASSWORD_HASH_COST = 10;
export const MAX_PASSWORD_HASH_COST = 20;

interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

const KEY_LENGTH = 32;

export function scryptParams(cost: number): ScryptParams {
  return { N: 2 ** cost, r: 8, p: 1 };
}

// OpenSSL needs 128·r·(N + p + 2) bytes, and Node refuses any hash needing more than maxmem
// (32 MiB unless told): N=2^17 needs just over 128 MiB, so the limit is set from the parameters.
function scryptOptions({ N, r, p }: ScryptParams): ScryptOptions {
  return { N, r, p, maxmem: 128 * r * (N + p + 2) + 1024 * 1024 };
}

// Each hash holds 128 MiB and one of libuv's four threads for about half a second. Two at a time per
// process leaves threads for file and DNS work and bounds the memory; a burst of sign-ins queues here.
export const MAX_CONCURRENT_HASHES = 2;
let hashesRunning = 0;
const waitingForHash: Array<() => void> = [];

/** A default for PASSWORD_HASH_QUEUE: 32 sign-ins waiting behind two hashes is about 8 s at cost 17. */
export const DEFAULT_PASSWORD_HASH_QUEUE = 32;
let placesTaken = 0;

/**
 * A place in the line for password checks, which a sign-in (or a password change) takes before
 * anything else, so refusing it costs nothing and counts against no throttle. At most `maxWaiting`
 * callers hold one beyond the hashes that can run at once: a flood of sign-ins is told to come back
 * at once instead of stalling everyone behind an unbounded line. Null when the line is full;
 * otherwise the function that gives the place back (once, however often it is called).
 */
export function takeHashingPlace(maxWaiting: number): (() => void) | null {
  if (placesTaken >= MAX_CONCURRENT_HASHES + maxWaiting) return null;
  placesTaken++;
  let held = true;
  return () => {
    if (held) placesTaken--;
    held = false;
  };
}

async function scryptAsync(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  if (hashesRunning < MAX_CONCURRENT_HASHES) hashesRunning++;
  else await new Promise<void>((resolve) => waitingForHash.push(resolve));
  try {
    // The callback form runs on libuv's thread pool, never on the event loop (scryptSync would).
    return await new Promise<Buffer>((resolve, reject) =>
      scrypt(password, salt, KEY_LENGTH, scryptOptions(params), (error, key) => (error ? reject(error) : resolve(key))),
    );
  } finally {
    // The slot passes straight to the next waiter, so none can be overtaken.
    const next = waitingForHash.shift();
    if (next) next();
    else hashesRunning--;
  }
}

/** `scrypt$N$r$p$salt$hash`: the parameters travel with the hash, so raising them never breaks old ones. */
export async function hashPassword(password: string, cost: number): Promise<string> {
  const params = scryptParams(cost);
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

function parseHash(stored: string | null): { params: ScryptParams; salt: Buffer; hash: Buffer } | null {
  const parts = (stored ?? '').split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  // Only parameters we could have written: a power of two up to 2^20, small r and p.
  const sane =
    Number.isInteger(Math.log2(N)) &&
    N >= 2 &&
    N <= 2 ** MAX_PASSWORD_HASH_COST &&
    r >= 1 &&
    r <= 32 &&
    p >= 1 &&
    p <= 16;
  return sane
    ? { params: { N, r, p }, salt: Buffer.from(parts[4]!, 'base64'), hash: Buffer.from(parts[5]!, 'base64') }
    : null;
}

/**
 * Checks a password against a stored hash, with the parameters stored with it. Without a usable
 * hash (no account) it does the same work at `cost` and says no, so timing tells nothing.
 */
export async function verifyPassword(password: string, stored: string | null, cost: number): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) {
    await scryptAsync(password, randomBytes(16), scryptParams(cost));
    return false;
  }
  const actual = await scryptAsync(password, parsed.salt, parsed.params);
  return actual.length === parsed.hash.length && timingSafeEqual(actual, parsed.hash);
}

/** True when the stored hash is weaker than `cost` asks for: the next successful sign-in rehashes it. */
export function needsRehash(stored: string | null, cost: number): boolean {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const target = scryptParams(cost);
  return parsed.params.N < target.N || parsed.params.r < target.r || parsed.params.p < target.p;
}

// No look-alikes (0/O/o, 1/l/I, 5/S, 2/Z) and no symbols that break when pasted from an email.
const UPPER = 'ABCDEFGHJKMNPQRTUVWXY';
const LOWER = 'abcdefghijkmnpqrstuvwxyz';
const DIGITS = '346789';
const SYMBOLS = '!#%*+-=?@^_';
const ALL = UPPER + LOWER + DIGITS + SYMBOLS;

/**
 * A 16-character password from node:crypto with at least one upper, lower, digit and symbol: about
 * 94 bits from a 62-character alphabet, out of reach of guessing even if a hash leaked, and still
 * short enough to type from an email once.
 */
export function generatePassword(length = 16): string {
  const chars = [UPPER, LOWER, DIGITS, SYMBOLS].map(pick);
  while (chars.length < length) chars.push(pick(ALL));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

function pick(alphabet: string): string {
  return alphabet[randomInt(alphabet.length)]!;
}
