import type { MiddlewareHandler } from 'hono';
import { verifySessionToken, type Role } from '../auth/tokens';
import type { ActingUser } from '../domain/acting-user';
import { forbidden, unauthenticated } from '../domain/errors';
import { findActiveUser, type UserRow } from '../db/users';
import type { ApiDeps, AppEnv } from './context';

/**
 * Bearer access tokens only. The user row is read on every request, so a deactivation or a role
 * change takes effect at once rather than when the token expires.
 */
export function requireUser(deps: Pick<ApiDeps, 'sql' | 'keys'>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw unauthenticated('Authentication credentials were not provided');
    const claims = await verifySessionToken(deps.keys.session, 'access', match[1]!);
    if (!claims) throw unauthenticated('The access token is invalid or expired');
    const user = await findActiveUser(deps.sql, claims.userId);
    if (!user) throw unauthenticated('The account for this token is inactive or no longer exists');
    c.set('user', actingUser(user));
    await next();
  };
}

export function requireRole(...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!roles.includes(c.var.user.role)) throw forbidden();
    await next();
  };
}

/** `middleware: signedIn(deps)` in a createRoute: any active user with a bearer token. */
export const signedIn = (deps: Pick<ApiDeps, 'sql' | 'keys'>): MiddlewareHandler<AppEnv>[] => [requireUser(deps)];

/** `middleware: superAdminOnly(deps)` in a createRoute. */
export const superAdminOnly = (deps: Pick<ApiDeps, 'sql' | 'keys'>): MiddlewareHandler<AppEnv>[] => [requireUser(deps), requireRole('super_admin')];

export function actingUser(user: Pick<UserRow, 'id' | 'email' | 'full_name' | 'role'>): ActingUser {
  return { id: user.id, email: user.email, fullName: user.full_name, role: user.role };
}
