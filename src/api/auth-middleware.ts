import type { MiddlewareHandler } from 'hono';
import { verifyAccessToken, type Role } from '../auth/tokens';
import type { ActingUser } from '../domain/acting-user';
import { forbidden, unauthenticated } from '../domain/errors';
import { findActiveUser, type UserRow } from '../users/store';
import { SESSION_ENDED } from '../users/sessions';
import type { ApiDeps, AppEnv } from './context';

export const MUST_CHANGE_PASSWORD =
  'Change the emailed password first (POST /api/auth/change_password); until then only /api/auth/me, change_password, refresh and logout answer';

export interface RequireUserOptions {
  /** Let in a user who must still replace an emailed password (me, change_password, logout). */
  beforePasswordChange?: boolean;
}

/**
 * Bearer access tokens only. The user row is read on every request, so a deactivation, a role
 * change or a sign-out (each moves token_version) takes effect at once rather than when the token
 * expires; and a user still holding an emailed password may do nothing but change it.
 */
export function requireUser(
  deps: Pick<ApiDeps, 'sql' | 'keys'>,
  options: RequireUserOptions = {},
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const user = await authenticateBearer(
      deps,
      c.req.header('authorization'),
      (userId) => findActiveUser(deps.sql, userId),
      options,
    );
    c.set('user', actingUser(user));
    c.set('tokenVersion', user.token_version);
    await next();
  };
}

/** What admitting a caller reads from their row, besides what the handler needs. */
export type AdmissibleUser = Pick<
  UserRow,
  'id' | 'email' | 'full_name' | 'role' | 'token_version' | 'must_change_password'
>;

/**
 * The user a bearer access token names, read by `loadActiveUser` (which must return the row only
 * while the account is active) and admitted by the same checks as every request. A route that
 * needs more than the row can read it in the same query, so it costs one round trip in all
 * (GET /api/notifications/unread_count does).
 */
export async function authenticateBearer<U extends AdmissibleUser>(
  deps: Pick<ApiDeps, 'keys'>,
  header: string | undefined,
  loadActiveUser: (userId: number) => Promise<U | undefined>,
  options: RequireUserOptions = {},
): Promise<U> {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!match) throw unauthenticated('Authentication credentials were not provided');
  const claims = await verifyAccessToken(deps.keys.session, match[1]!);
  if (!claims) throw unauthenticated('The access token is invalid or expired');
  const user = await loadActiveUser(claims.userId);
  if (!user) throw unauthenticated('The account for this token is inactive or no longer exists');
  admitUser(user, claims.tokenVersion, options);
  return user;
}

/** The checks every way of signing a request in makes on the user's current row. */
export function admitUser(
  user: Pick<UserRow, 'token_version' | 'must_change_password'>,
  tokenVersion: number,
  options: RequireUserOptions = {},
): void {
  if (user.token_version !== tokenVersion) throw unauthenticated(SESSION_ENDED);
  if (user.must_change_password && !options.beforePasswordChange) throw forbidden(MUST_CHANGE_PASSWORD);
}

export function requireRole(...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!roles.includes(c.var.user.role)) throw forbidden();
    await next();
  };
}

/** `middleware: signedIn(deps)` in a createRoute: any active user with a bearer token and a password of their own. */
export const signedIn = (deps: Pick<ApiDeps, 'sql' | 'keys'>): MiddlewareHandler<AppEnv>[] => [requireUser(deps)];

/** For `me`, `change_password` and `logout` only: also a user who must still replace an emailed password. */
export const signedInBeforePasswordChange = (deps: Pick<ApiDeps, 'sql' | 'keys'>): MiddlewareHandler<AppEnv>[] => [
  requireUser(deps, { beforePasswordChange: true }),
];

/** `middleware: superAdminOnly(deps)` in a createRoute. */
export const superAdminOnly = (deps: Pick<ApiDeps, 'sql' | 'keys'>): MiddlewareHandler<AppEnv>[] => [
  requireUser(deps),
  requireRole('super_admin'),
];

export function actingUser(user: Pick<UserRow, 'id' | 'email' | 'full_name' | 'role'>): ActingUser {
  return { id: user.id, email: user.email, fullName: user.full_name, role: user.role };
}
