import type { OidcConfig } from '../config/oidc';
import { forbidden } from '../domain/errors';

/** Who the identity provider says signed in, from its ID token: what BookIT trusts it for. */
export interface ProvidedIdentity {
  /** The issuer and subject: the person at the provider, for good (an address can change hands). */
  issuer: string;
  subject: string;
  /** Lower-cased; only how a first sign-in finds an account made before single sign-on. */
  email: string;
  /** The name for an account made at the first sign-in. */
  name: string;
  /** The groups claim's values when the provider decides roles (OIDC_GROUPS_CLAIM); absent otherwise. */
  groups?: string[];
}

/** A claims object as an ID token carries it. */
export type IdTokenClaims = Record<string, unknown> & { iss: string; sub: string };

const EMAIL = /^[^@\s]+@[^@\s]+$/;

/**
 * Reads an ID token's claims (already validated by openid-client: signature, issuer, audience,
 * expiry, nonce). Refuses, with a sentence for the person, a token without an address or, unless
 * configured otherwise, whose address the provider has not verified: the address is what links a
 * first sign-in to an account, so an unverified one could claim someone else's.
 */
export function identityFromClaims(claims: IdTokenClaims, config: Pick<OidcConfig, 'requireEmailVerified' | 'roles'>) {
  const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
  if (!EMAIL.test(email))
    throw forbidden(
      'The identity provider did not say your email address (the email claim): ask its administrator to release it to BookIT',
    );
  // Some providers (Amazon Cognito) write the boolean as a string.
  const verified = claims.email_verified === true || claims.email_verified === 'true';
  if (config.requireEmailVerified && !verified)
    throw forbidden(
      `The identity provider has not verified your email address (${email}): verify it there, then sign in again`,
    );
  const identity: ProvidedIdentity = {
    issuer: claims.iss,
    subject: claims.sub,
    email,
    name: displayName(claims, email),
  };
  if (config.roles) identity.groups = groupsOf(claimAt(claims, config.roles.groupsClaim));
  return identity;
}

/** `name`, else given and family names, else the address's local part; at most 200 characters as the users table holds. */
function displayName(claims: IdTokenClaims, email: string): string {
  const parts = [claims.given_name, claims.family_name].filter((part) => typeof part === 'string' && part.trim());
  const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name : parts.join(' ');
  return (name.trim() || email.split('@')[0]!).slice(0, 200);
}

/**
 * The claim of that name, or else the one that dotted path leads to (`realm_access.roles`, where
 * Keycloak puts realm roles); a name with dots of its own (Auth0's `https://example.com/groups`) is
 * found as it is.
 */
function claimAt(claims: IdTokenClaims, name: string): unknown {
  if (name in claims) return claims[name];
  let value: unknown = claims;
  for (const key of name.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * A groups claim as providers send it: an array of names (Keycloak, Okta, Entra ID), a single name,
 * or nothing when the person is in no group (Keycloak leaves the claim out then). Anything else in
 * it is ignored.
 */
function groupsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) return [];
  return value.filter((group): group is string => typeof group === 'string');
}
