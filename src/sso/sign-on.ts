import { verifyRefreshToken } from '../auth/tokens';
import type { Config } from '../config/config';
import type { OidcConfig } from '../config/oidc';
import type { ActingUser } from '../domain/acting-user';
import { forbidden, isDomainError } from '../domain/errors';
import { maskEmail, type Logger } from '../log/logger';
import { changeUser } from '../users/commands';
import { startSession, type SessionDeps, type SessionTokens } from '../users/sessions';
import { insertSignedOnUser, retireEmailedPassword } from '../users/single-sign-on';
import { findUser, findUserByEmail, markSignedIn, type UserRow } from '../users/store';
import { appointVenueAdmin, dismissVenueAdmin } from '../venues/commands';
import { findVenuesBySlug, venuesAdministeredBy } from '../venues/store';
import { linkedUserId, linkIdentity } from './identities';
import type { ProvidedIdentity } from './identity';
import { hallAdminSlugs, roleFromGroups } from './role-mapping';
import { recordSsoSession } from './sso-sessions';

export interface SignOnDeps extends SessionDeps {
  config: Pick<Config, 'lifecycle' | 'defaultTimeZone'> & { oidc: OidcConfig };
  logger: Logger;
}

/**
 * Who changes a role when the provider's groups do. No user has id 0, so the guard against a super
 * admin demoting themselves (meant for a person at the Users page) does not stand in the way: here
 * the provider decides.
 */
const IDENTITY_PROVIDER: Pick<ActingUser, 'id'> = { id: 0 };

/**
 * A person the identity provider vouched for signs in: their account is found (by the provider's
 * subject, or at the first sign-in by the verified address) or made, their role and venues follow
 * the provider's groups when it decides them, and a session begins as a password sign-in's does,
 * remembering the ID token for signing out at the provider too.
 */
export async function signOn(
  deps: SignOnDeps,
  identity: ProvidedIdentity,
  idToken: string,
): Promise<{ user: UserRow; tokens: SessionTokens; family: string }> {
  let user = await accountFor(deps, identity);
  const { oidc } = deps.config;
  // The break-glass account stays what it is, whatever the provider says: it is the way back in.
  if (oidc.roles && identity.groups && identity.email !== oidc.breakGlassEmail)
    user = await followProvidedRole(deps, user, identity.groups, oidc.roles);
  await markSignedIn(deps.sql, user.id);
  const tokens = await startSession(deps, user);
  const family = (await verifyRefreshToken(deps.sessionKey, tokens.refresh))!.family;
  await recordSsoSession(deps.sql, { family, userId: user.id, idToken, expiresAt: tokens.refreshExpiresAt });
  deps.logger.info({ userId: user.id, issuer: identity.issuer }, 'signed in through the identity provider');
  return { user, tokens, family };
}

/** The account the identity signs in as: linked before, found by its verified address, or new. */
async function accountFor(deps: SignOnDeps, identity: ProvidedIdentity): Promise<UserRow> {
  const { sql } = deps;
  const linked = await linkedUserId(sql, identity.issuer, identity.subject);
  const known = linked === undefined ? undefined : await findUser(sql, linked);
  if (known) return usable(known);
  const user = usable((await findUserByEmail(sql, identity.email)) ?? (await newAccount(deps, identity)));
  if (!(await linkIdentity(sql, identity.issuer, identity.subject, user.id)))
    throw forbidden(
      `The BookIT account for ${identity.email} is linked to another account at the identity provider: ask a BookIT administrator`,
    );
  return (await retireEmailedPassword(sql, user.id)) ?? user;
}

/** A member account for the first sign-in of an address BookIT does not know. */
async function newAccount(deps: SignOnDeps, identity: ProvidedIdentity): Promise<UserRow> {
  const made = await insertSignedOnUser(deps.sql, { email: identity.email, fullName: identity.name });
  if (made)
    deps.logger.info(
      { userId: made.id, account: maskEmail(identity.email) },
      'account made at its first single sign-on',
    );
  // Null: two first sign-ins at once, and the other made it.
  const user = made ?? (await findUserByEmail(deps.sql, identity.email));
  if (!user) throw new Error(`the account for ${maskEmail(identity.email)} was neither made nor found`);
  return user;
}

function usable(user: UserRow): UserRow {
  if (!user.is_active) throw forbidden('This BookIT account is deactivated: ask a BookIT administrator');
  return user;
}

/**
 * Makes the user's role, and a hall admin's venues, what the groups say, through the same commands
 * a super admin's changes go through: a new role ends the user's other sessions (and leaving the
 * hall admin role their venues), a new venue tells them as an assignment does, a venue no longer
 * named is taken away. Groups naming no venue are ignored.
 */
async function followProvidedRole(
  deps: SignOnDeps,
  user: UserRow,
  groups: string[],
  mapping: NonNullable<OidcConfig['roles']>,
): Promise<UserRow> {
  const venues = await findVenuesBySlug(deps.sql, hallAdminSlugs(groups, mapping));
  const provided = roleFromGroups(groups, mapping, (slug) => venues.some((venue) => venue.slug === slug));
  if (provided.role !== user.role) await changeUser(deps, IDENTITY_PROVIDER, user.id, { role: provided.role });
  const added: number[] = [];
  const removed: number[] = [];
  if (provided.role === 'hall_admin') {
    const wanted = venues.filter((venue) => provided.venueSlugs.includes(venue.slug)).map((venue) => venue.id);
    const held = await venuesAdministeredBy(deps.sql, user.id);
    for (const venueId of wanted.filter((id) => !held.includes(id))) {
      await appointVenueAdmin(deps, venueId, user.id);
      added.push(venueId);
    }
    for (const venueId of held.filter((id) => !wanted.includes(id))) {
      // Removed meanwhile by someone else: already as wanted.
      await dismissVenueAdmin(deps.sql, venueId, user.id).catch((error: unknown) => {
        if (!isDomainError(error, 'not_found')) throw error;
      });
      removed.push(venueId);
    }
  }
  if (provided.role !== user.role || added.length || removed.length)
    deps.logger.info(
      { userId: user.id, from: user.role, to: provided.role, venuesAdded: added, venuesRemoved: removed },
      "role follows the identity provider's groups",
    );
  return (await findUser(deps.sql, user.id)) ?? user;
}
