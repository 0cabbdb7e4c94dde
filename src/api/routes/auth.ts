import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { verifyPassword } from '../../auth/passwords';
import { signSessionToken, verifySessionToken } from '../../auth/tokens';
import { findActiveUser, findUserByEmail, type UserRow } from '../../db/users';
import { unauthenticated } from '../../domain/errors';
import { changePassword } from '../../users/commands';
import { signedIn } from '../auth-middleware';
import type { ApiDeps, AppEnv } from '../context';
import { bearerSecurity, commonErrors, jsonBody, jsonContent, MessageSchema, publicErrors } from '../schemas';

export const UserSchema = z
  .object({
    id: z.number().int(),
    email: z.string(),
    full_name: z.string(),
    role: z.enum(['super_admin', 'hall_admin', 'member']),
  })
  .openapi('User');

const MeSchema = UserSchema.extend({ must_change_password: z.boolean() }).openapi('Me');

const LoginBody = z.object({ email: z.string().min(1).max(320), password: z.string().min(1).max(1024) }).openapi('LoginRequest');
const TokensSchema = z.object({ access: z.string(), refresh: z.string(), user: UserSchema }).openapi('LoginResponse');
const RefreshBody = z.object({ refresh: z.string().min(1) }).openapi('RefreshRequest');
const ChangePasswordBody = z
  .object({ old_password: z.string().min(1).max(1024), new_password: z.string().min(12, 'must be at least 12 characters').max(1024) })
  .openapi('ChangePasswordRequest');

const INVALID_LOGIN = 'No active account found with the given email and password';

export function publicUser(user: Pick<UserRow, 'id' | 'email' | 'full_name' | 'role'>) {
  return { id: user.id, email: user.email, full_name: user.full_name, role: user.role };
}

export function authRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: 'post', path: '/login', tags: ['auth'], summary: 'Exchange email and password for access and refresh tokens',
      request: jsonBody(LoginBody),
      responses: { 200: jsonContent(TokensSchema, 'Signed in'), 401: commonErrors[401], ...publicErrors },
    }),
    async (c) => {
      const { email, password } = c.req.valid('json');
      const user = await findUserByEmail(deps.sql, email);
      const valid = await verifyPassword(password, user?.password_hash ?? null);
      if (!user || !valid || !user.is_active) throw unauthenticated(INVALID_LOGIN);
      const claims = { userId: user.id, role: user.role };
      const [access, refresh] = await Promise.all([
        signSessionToken(deps.keys.session, 'access', claims),
        signSessionToken(deps.keys.session, 'refresh', claims),
      ]);
      return c.json({ access, refresh, user: publicUser(user) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post', path: '/refresh', tags: ['auth'], summary: 'Exchange a refresh token for a new access token',
      request: jsonBody(RefreshBody),
      responses: { 200: jsonContent(z.object({ access: z.string() }), 'A new access token'), 401: commonErrors[401], ...publicErrors },
    }),
    async (c) => {
      const claims = await verifySessionToken(deps.keys.session, 'refresh', c.req.valid('json').refresh);
      if (!claims) throw unauthenticated('The refresh token is invalid or expired');
      const user = await findActiveUser(deps.sql, claims.userId);
      if (!user) throw unauthenticated('The account for this token is inactive or no longer exists');
      return c.json({ access: await signSessionToken(deps.keys.session, 'access', { userId: user.id, role: user.role }) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/me', tags: ['auth'], summary: 'The signed-in user', security: bearerSecurity, middleware: signedIn(deps),
      responses: { 200: jsonContent(MeSchema, 'The signed-in user'), ...commonErrors },
    }),
    async (c) => {
      const user = await findActiveUser(deps.sql, c.var.user.id);
      if (!user) throw unauthenticated();
      return c.json({ ...publicUser(user), must_change_password: user.must_change_password }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post', path: '/change_password', tags: ['auth'], summary: 'Change the signed-in user\'s password', security: bearerSecurity, middleware: signedIn(deps),
      request: jsonBody(ChangePasswordBody),
      responses: { 200: jsonContent(MessageSchema, 'Changed'), ...commonErrors },
    }),
    async (c) => {
      const { old_password, new_password } = c.req.valid('json');
      await changePassword(deps.sql, c.var.user, old_password, new_password);
      return c.json({ message: 'Password changed successfully' }, 200);
    },
  );

  return app;
}
