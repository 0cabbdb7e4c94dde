import type { MiddlewareHandler } from 'hono';
import { verifySessionToken, type Role } from '../auth/tokens';
import { findActiveUser } from '../db/users';
import type { ApiDeps, AppEnv } from './context';
import { forbidden, unauthorized } from './errors';

/**
 * Bearer access tokens only. The user row is read on every request, so a deactivation or a role
 * change takes effect at once rather than when the token expires.
 */
export function requireUser(deps: Pick<ApiDeps, 'sql' | 'keys'>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw unauthorized('Authentication credentials were not provided');
    const claims = await verifySessionToken(deps.keys.session, 'access', match[1]!);
    if (!claims) throw unauthorized('The access token is invalid or expired');
    const user = await findActiveUser(deps.sql, claims.userId);
    if (!user) throw unauthorized('The account for this token is inactive or no longer exists');
    c.set('user', { id: user.id, email: user.email, fullName: user.full_name, role: user.role });
    await next();
  };
}

export function requireRole(...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!roles.includes(c.var.user.role)) throw forbidden();
    await next();
  };
}
