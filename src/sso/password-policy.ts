import type { OidcConfig } from '../config/oidc';
import type { Queryable } from '../db/sql';
import { forbidden } from '../domain/errors';
import { normalizeEmail } from '../users/sign-in-throttle';
import { findUserByEmail } from '../users/store';

/**
 * In SSO-only mode (OIDC_SSO_ONLY) a password signs nobody in but the break-glass account, and only
 * while it is a super admin: the way in when the identity provider is down or misconfigured. Asked
 * before the throttle and before any password is hashed.
 */
export async function refusePasswordUnlessAllowed(
  sql: Queryable,
  oidc: OidcConfig | undefined,
  email: string,
): Promise<void> {
  if (!oidc?.ssoOnly) return;
  const address = normalizeEmail(email);
  if (oidc.breakGlassEmail && address === oidc.breakGlassEmail) {
    const user = await findUserByEmail(sql, address);
    if (user?.role === 'super_admin') return;
  }
  throw forbidden(`Password sign-in is turned off: sign in with ${oidc.displayName} (GET /api/auth/oidc/start)`);
}

/** How the sign-in page offers password sign-in: to everyone, or only as the break-glass way in. */
export function passwordSignIn(oidc: OidcConfig | undefined): 'everyone' | 'break_glass_only' {
  return oidc?.ssoOnly ? 'break_glass_only' : 'everyone';
}
