import { DEFAULT_PASSWORD_HASH_COST } from '../auth/passwords';

// What NODE_ENV=production refuses at start, beyond what every environment checks: settings that
// start fine but leave the deployment guessable or its links and cookies pointed at the wrong place.

/** Fewer different characters than this is no random secret: 32 hex characters have 14 on average. */
const MIN_SECRET_CHARACTERS = 8;
/**
 * The least the secret's own character frequencies may promise (length × Shannon entropy per
 * character). A random secret of 32 hex characters scores about 120 and, in a million draws, never
 * under 64 (at 90, about one in ten thousand would be refused); one letter repeated scores 0, two
 * letters alternating are a repeated run. It cannot see a dictionary word, only too little variety.
 */
const MIN_SECRET_BITS = 64;
/** OWASP's minimum for scrypt (N=2^17): the documented floor for a deployment's password hashes. */
export const PRODUCTION_MIN_PASSWORD_HASH_COST = DEFAULT_PASSWORD_HASH_COST;

interface ProductionSettings {
  JWT_SECRET?: string;
  PUBLIC_BASE_URL?: string;
  PASSWORD_HASH_COST: number;
}

/** The first production rule the settings break, as the rest of a one-line message naming the variable; null when none. */
export function productionProblem(e: ProductionSettings): string | null {
  if (!e.JWT_SECRET) return 'JWT_SECRET must be set (32+ random characters) when NODE_ENV=production';
  const variety = secretVarietyProblem(e.JWT_SECRET);
  if (variety)
    return `JWT_SECRET has too little variety (${variety}) for NODE_ENV=production; use 32+ random characters, e.g. from openssl rand -base64 32`;
  if (!e.PUBLIC_BASE_URL)
    return 'PUBLIC_BASE_URL must be set when NODE_ENV=production: the https:// address people reach the API at (email links and calendar feeds are made from it, and the session cookie is Secure only on https)';
  const url = new URL(e.PUBLIC_BASE_URL);
  if (url.protocol !== 'https:' && !isLoopback(url.hostname))
    return 'PUBLIC_BASE_URL must be https:// when NODE_ENV=production, unless it is localhost (a machine of its own, as docker-compose.yml runs it)';
  if (e.PASSWORD_HASH_COST < PRODUCTION_MIN_PASSWORD_HASH_COST)
    return `PASSWORD_HASH_COST must be at least ${PRODUCTION_MIN_PASSWORD_HASH_COST} when NODE_ENV=production (OWASP's minimum for scrypt; got ${e.PASSWORD_HASH_COST})`;
  return null;
}

/** Why a secret is not random enough, or null. */
function secretVarietyProblem(secret: string): string | null {
  const counts = new Map<string, number>();
  for (const character of secret) counts.set(character, (counts.get(character) ?? 0) + 1);
  if (counts.size < MIN_SECRET_CHARACTERS)
    return `${counts.size} different character${counts.size === 1 ? '' : 's'}; at least ${MIN_SECRET_CHARACTERS}`;
  const period = shortestPeriod(secret);
  if (period < secret.length) return `a run of ${period} characters repeated`;
  let perCharacter = 0;
  for (const count of counts.values()) perCharacter -= (count / secret.length) * Math.log2(count / secret.length);
  const bits = Math.floor(perCharacter * secret.length);
  if (bits < MIN_SECRET_BITS) return `about ${bits} bits by its character frequencies; at least ${MIN_SECRET_BITS}`;
  return null;
}

/** The length of the shortest run that, repeated, makes the whole text (its own length when none does). */
function shortestPeriod(text: string): number {
  for (let period = 1; period <= text.length / 2; period++) {
    let repeats = true;
    for (let i = period; i < text.length && repeats; i++) repeats = text[i] === text[i - period];
    if (repeats) return period;
  }
  return text.length;
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}
