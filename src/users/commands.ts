import { hashPassword, verifyPassword } from '../auth/passwords';
import type { Role } from '../auth/tokens';
import type { Config } from '../config/config';
import { outbox } from '../db/outbox';
import type { Sql, TransactionSql } from '../db/sql';
import {
  claimWelcomeResend,
  findActiveUser,
  findUser,
  insertUser,
  setPasswordHash,
  updateUser,
  type NewUser,
  type UserRow,
} from './store';
import { endSessions, sessionsEnded, startSession, type SessionTokens } from './sessions';
import { withHashingPlace, type SignInDeps } from './sign-in';
import { admitSignInAttempt, recordSignInSuccess, signInKeys } from './sign-in-throttle';
import { removeFromAllVenues } from '../venues/store';
import { deleteVenueFeeds, revokeFeedsOf } from '../calendar/feeds';
import { findEmailBounce, liftEmailBounce } from '../notices/email-log';
import { cancelUpcomingBookingsOf } from '../bookings/commands';
import { closeWaitlistOf } from '../waitlist/commands';
import type { ActingUser } from '../domain/acting-user';
import { conflict, invalid, notFound, throttled } from '../domain/errors';
import { userOnboardingWorkflowId } from '../temporal/workflow-ids';
import { workflowTypes } from '../contracts/workflow-types';

interface Deps {
  sql: Sql;
  config: Pick<Config, 'lifecycle'>;
}

/** A super admin adds a user; the onboarding workflow (started through the outbox) emails them a password. */
export async function createUser(deps: Deps, input: NewUser): Promise<UserRow> {
  const user = await deps.sql.begin(async (tx) => {
    const created = await insertUser(tx, input);
    if (!created) return null;
    // The administrator vouched for the address: an old bounce no longer holds the welcome back.
    await liftEmailBounce(tx, created.email);
    await outbox.start(
      tx,
      workflowTypes.userOnboardingWorkflow,
      userOnboardingWorkflowId(created.id),
      { userId: created.id, emailRetryInitialMs: deps.config.lifecycle.emailRetryInitialMs },
      { staticSummary: `Welcome user ${created.id}` },
    );
    return created;
  });
  if (!user) throw conflict('A user with this email already exists');
  return user as UserRow;
}

export interface UserChanges {
  role?: Role;
  isActive?: boolean;
  fullName?: string;
  email?: string;
}

/** What a deactivation did besides ending the user's sessions; null when the change was not a deactivation. */
export interface Deactivation {
  /** Bookings not yet started, cancelled with the reason "account closed". */
  bookingsCancelled: number[];
  /** Waitlist entries closed (an offer they held passed to the next waiter). */
  waitlistEntriesClosed: number;
}

/**
 * A super admin changes a user's role, active flag or name; never their own role or flag, so someone
 * stays in charge. A deactivation also closes the account's part in the calendar, in the same
 * transaction: its upcoming bookings are cancelled ("account closed") and its waitlist entries
 * closed, so nobody is offered or kept a slot for a person who left.
 */
export async function changeUser(
  deps: Deps,
  actor: Pick<ActingUser, 'id'>,
  id: number,
  changes: UserChanges,
): Promise<UserRow & { deactivation: Deactivation | null }> {
  if (id === actor.id && (changes.isActive === false || (changes.role && changes.role !== 'super_admin'))) {
    throw invalid('You cannot deactivate or demote yourself');
  }
  let deactivation: Deactivation | null = null;
  const user = (await inTransaction(deps.sql, async (tx) => {
    // The address first: a taken one (409) rolls every other field back with it.
    if (changes.email !== undefined) await setEmail(deps, tx, id, changes.email);
    const updated = await updateUser(tx, id, changes);
    if (updated && changes.isActive === false) {
      await revokeFeedsOf(tx, id);
      deactivation = {
        bookingsCancelled: await cancelUpcomingBookingsOf(tx, actor, id),
        waitlistEntriesClosed: await closeWaitlistOf(tx, id),
      };
    }
    // Venue assignments belong to the hall admin role: one who leaves it stops receiving the venues'
    // booking alerts (with bookers' names and emails) now, and a later promotion starts afresh.
    // Nobody is told: the venues' other admins learn nothing they did not know.
    // Their venue feeds go too, and stay gone when a later promotion assigns the venues again.
    if (updated && changes.role !== undefined && updated.role !== 'hall_admin')
      await deleteVenueFeeds(tx, id, await removeFromAllVenues(tx, id));
    // A new role or a deactivation ends the user's sessions: tokens issued before, and open streams.
    if (updated?.sessions_ended) await sessionsEnded(tx, id);
    return updated;
  })) as Awaited<ReturnType<typeof updateUser>>;
  if (!user) throw notFound('User');
  return { ...user, deactivation };
}

export interface PasswordChange {
  oldPassword: string;
  newPassword: string;
  /** Wrong old passwords count against the sign-in throttle: this is a password check too. */
  clientAddress: string;
}

/**
 * The signed-in user replaces their password, proving they know the current one. Every session
 * made with the old one ends (tokens and open streams); the caller gets a new one.
 */
export function changePassword(
  deps: SignInDeps,
  actor: Pick<ActingUser, 'id' | 'email'>,
  change: PasswordChange,
): Promise<SessionTokens> {
  return withHashingPlace(deps, () => checkedPasswordChange(deps, actor, change));
}

async function checkedPasswordChange(
  deps: SignInDeps,
  actor: Pick<ActingUser, 'id' | 'email'>,
  change: PasswordChange,
): Promise<SessionTokens> {
  const { sql, config } = deps;
  const cost = config.auth.passwordHashCost;
  const keys = signInKeys(actor.email, change.clientAddress);
  const admission = await admitSignInAttempt(sql, keys);
  if (!admission.admitted)
    throw throttled(
      `Too many wrong passwords; try again in ${admission.retryAfterSeconds} s`,
      admission.retryAfterSeconds,
    );
  const user = await findActiveUser(sql, actor.id);
  if (!user || !(await verifyPassword(change.oldPassword, user.password_hash, cost)))
    throw invalid('body field "old_password" is not your current password');
  await recordSignInSuccess(sql, keys, admission);
  if (change.oldPassword === change.newPassword)
    throw invalid('body field "new_password" must differ from the current password');
  const newHash = await hashPassword(change.newPassword, cost);
  const changed = await sql.begin(async (tx) => {
    const row = await setPasswordHash(tx, user.id, newHash, false);
    if (row) {
      await sessionsEnded(tx, user.id);
      await revokeFeedsOf(tx, user.id);
    }
    return row;
  });
  if (!changed) throw notFound('User');
  return startSession(deps, changed as UserRow);
}

/**
 * Signs the user out everywhere: every access and refresh token ends, their open streams close, and
 * their calendar feed links stop (a link is a credential too; they make new ones).
 */
export async function signOut(sql: Sql, actor: Pick<ActingUser, 'id'>): Promise<void> {
  await sql.begin(async (tx) => {
    await endSessions(tx, actor.id);
    await revokeFeedsOf(tx, actor.id);
  });
}

const UNIQUE_VIOLATION = '23505';

/** Runs `work` in one transaction; a unique violation (an address another account has) is a 409. */
async function inTransaction<T>(sql: Sql, work: (tx: TransactionSql) => Promise<T>): Promise<T> {
  try {
    return (await sql.begin(work)) as T;
  } catch (error) {
    if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw conflict('A user with this email already exists');
    throw error;
  }
}

/**
 * A super admin sends the welcome again to someone who never signed in (it went astray, or its
 * password was lost): the same notice as a corrected address sends, under a key of its own, whose
 * delivery makes a new password and so retires the one before. Refused with a sentence when the
 * person is deactivated, has signed in, was sent one less than a minute ago (a second click), or their
 * address bounces (the email would be held back).
 */
export async function resendWelcome(deps: Deps, id: number): Promise<UserRow> {
  const claimed = await deps.sql.begin(async (tx) => {
    const row = await claimWelcomeResend(tx, id);
    if (!row) return null;
    // It would be held back unsent: the address must be vouched for again first (which rolls this back).
    if (await findEmailBounce(tx, row.email))
      throw conflict(
        `Emails to ${row.email} bounce: correct the address (or save it again once the mailbox is fixed), then send the welcome`,
      );
    const resend = `again-${Math.trunc(row.resent_ms)}`;
    await startWelcome(deps, tx, id, resend, `Welcome user ${id} again, at a super admin's request`);
    return row;
  });
  if (claimed) return claimed as UserRow;
  const user = await findUser(deps.sql, id);
  if (!user) throw notFound('User');
  if (!user.is_active)
    throw conflict(`${user.full_name} is deactivated: reactivate the account before sending a welcome email`);
  if (user.last_signed_in_at !== null || !user.must_change_password)
    throw conflict(`${user.full_name} has already signed in: a welcome email would only replace their password`);
  throw conflict(`A welcome email was sent to ${user.full_name} less than a minute ago; it is on its way`);
}

/** The onboarding workflow for one more welcome, named by `resend` (a repeated start finds the same one). */
async function startWelcome(deps: Deps, tx: TransactionSql, id: number, resend: string, summary: string) {
  await outbox.start(
    tx,
    workflowTypes.userOnboardingWorkflow,
    userOnboardingWorkflowId(id, resend),
    { userId: id, emailRetryInitialMs: deps.config.lifecycle.emailRetryInitialMs, resend },
    { staticSummary: summary },
  );
}

/**
 * Sets a user's email address. Setting one (a new one, or the same again once its mailbox is
 * fixed) lifts its bounce: the administrator vouched for it, so email to it goes out again; the old
 * address keeps its bounce. A person who never signed in (their first password still the welcome's)
 * is welcomed again at the new address, with a new password: the first welcome went to the wrong
 * one. Sessions go on: tokens name the user by id, and sign-in reads the address afresh.
 */
async function setEmail(deps: Deps, tx: TransactionSql, id: number, email: string): Promise<void> {
  const [row] = await tx<{ changed: boolean; welcome_pending: boolean; updated_ms: number }[]>`
    update users u set email = ${email}, updated_at = now()
    from (select email from users where id = ${id} for update) old
    where u.id = ${id}
    returning lower(old.email) <> lower(u.email) as changed, u.must_change_password and u.is_active as welcome_pending,
      (extract(epoch from u.updated_at) * 1000)::float8 as updated_ms`;
  if (!row) return;
  await liftEmailBounce(tx, email);
  if (!row.changed || !row.welcome_pending) return;
  await startWelcome(
    deps,
    tx,
    id,
    `to-${Math.trunc(row.updated_ms)}`,
    `Welcome user ${id} again, at a corrected address`,
  );
}
