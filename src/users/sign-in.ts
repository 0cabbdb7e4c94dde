import { hashPassword, needsRehash, takeHashingPlace, verifyPassword } from '../auth/passwords';
import type { Config } from '../config/config';
import { findUserByEmail, markSignedIn, upgradePasswordHash, type UserRow } from './store';
import { busy, throttled, unauthenticated } from '../domain/errors';
import { maskEmail, type Logger } from '../log/logger';
import { startSession, type SessionDeps, type SessionTokens } from './sessions';
import { admitSignInAttempt, normalizeEmail, recordSignInSuccess, signInKeys } from './sign-in-throttle';

export interface SignInDeps extends SessionDeps {
  config: Pick<Config, 'auth'>;
  logger: Logger;
}

export interface SignInRequest {
  email: string;
  password: string;
  /** Where the attempt comes from, as the API determined it (see src/api/client-address.ts). */
  clientAddress: string;
}

export const INVALID_SIGN_IN = 'No active account found with the given email and password';

/** What a sign-in refused for a full line of password checks is told to wait: a few hashes' time. */
export const HASHING_BUSY_RETRY_SECONDS = 5;

/**
 * Runs a password check (sign-in, password change) holding a place in the bounded line for hashes,
 * taken before anything else; with the line full it is refused at once (503, Retry-After).
 */
export async function withHashingPlace<T>(deps: Pick<SignInDeps, 'config'>, check: () => Promise<T>): Promise<T> {
  const release = takeHashingPlace(deps.config.auth.passwordHashQueue);
  if (!release)
    throw busy(
      `Too many sign-ins at once; try again in ${HASHING_BUSY_RETRY_SECONDS} seconds`,
      HASHING_BUSY_RETRY_SECONDS,
    );
  try {
    return await check();
  } finally {
    release();
  }
}

/**
 * Email and password for a new session. The throttle is asked first, so a refused attempt costs a
 * query and no hash; every refusal reads the same whether or not the account exists. A success
 * rehashes a password stored under weaker parameters than configured.
 */
export function signIn(deps: SignInDeps, request: SignInRequest): Promise<{ user: UserRow; tokens: SessionTokens }> {
  return withHashingPlace(deps, () => checkedSignIn(deps, request));
}

async function checkedSignIn(
  deps: SignInDeps,
  request: SignInRequest,
): Promise<{ user: UserRow; tokens: SessionTokens }> {
  const email = normalizeEmail(request.email);
  const keys = signInKeys(email, request.clientAddress);
  const context = { account: maskEmail(email), address: request.clientAddress };
  const admission = await admitSignInAttempt(deps.sql, keys);
  if (!admission.admitted) {
    deps.logger.debug(
      { ...context, retryAfterSeconds: admission.retryAfterSeconds },
      'sign-in throttled; no password checked',
    );
    throw throttled(
      `Too many failed sign-in attempts; try again in ${admission.retryAfterSeconds} s`,
      admission.retryAfterSeconds,
    );
  }
  if (admission.locked.length) deps.logger.warn({ ...context, locked: admission.locked }, 'sign-in throttle engaged');

  const cost = deps.config.auth.passwordHashCost;
  const user = await findUserByEmail(deps.sql, email);
  const valid = await verifyPassword(request.password, user?.password_hash ?? null, cost);
  if (!user || !valid || !user.is_active) {
    // One line per password checked: operators see guessing, and the drill counts the hashes.
    deps.logger.info({ ...context, passwordChecked: true }, 'sign-in failed');
    throw unauthenticated(INVALID_SIGN_IN);
  }
  await recordSignInSuccess(deps.sql, keys, admission);
  await markSignedIn(deps.sql, user.id);
  if (needsRehash(user.password_hash, cost)) {
    await upgradePasswordHash(deps.sql, user.id, user.password_hash!, await hashPassword(request.password, cost));
  }
  deps.logger.info({ userId: user.id, address: request.clientAddress, passwordChecked: true }, 'signed in');
  return { user, tokens: await startSession(deps, user) };
}
