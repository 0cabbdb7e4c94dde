import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { findEmailBounce } from '../../notices/email-log';
import { findActiveUser, type UserRow } from '../../users/store';
import { unauthenticated } from '../../domain/errors';
import { changePassword, signOut } from '../../users/commands';
import { refreshSession } from '../../users/sessions';
import { clearRefreshCookie, deliverTokens, refreshCookie } from '../refresh-cookie';
import { signIn } from '../../users/sign-in';
import { signedInBeforePasswordChange } from '../auth-middleware';
import { clientAddressReader } from '../client-address';
import { emailBouncedView, EmailBouncedSchema } from '../email-bounced';
import { forgetSsoSession } from '../oidc-cookies';
import { createOidcClient } from '../../sso/oidc-client';
import { refusePasswordUnlessAllowed } from '../../sso/password-policy';
import { endSsoSessions } from '../../sso/sso-sessions';
import { oidcRoutes } from './oidc';
import type { ApiDeps, AppEnv } from '../context';
import {
  bearerSecurity,
  commonErrors,
  hashingBusyResponse,
  jsonBody,
  jsonContent,
  publicErrors,
  throttledResponse,
} from '../schemas';

export const UserSchema = z
  .object({
    id: z.number().int(),
    email: z.string(),
    full_name: z.string(),
    role: z.enum(['super_admin', 'hall_admin', 'member']),
  })
  .openapi('User');

const MeSchema = UserSchema.extend({
  must_change_password: z.boolean(),
  email_bounced: EmailBouncedSchema,
}).openapi('Me');

const RefreshIn = z.enum(['body', 'cookie']).default('body').openapi({
  description:
    'Where the refresh token goes: the JSON answer (default), or an HttpOnly, SameSite=Strict cookie scoped to /api/auth/refresh that page script cannot read (browsers)',
});
const LoginBody = z
  .object({ email: z.string().min(1).max(320), password: z.string().min(1).max(1024), refresh_in: RefreshIn })
  .openapi('LoginRequest');
const refreshField = z
  .string()
  .optional()
  .openapi({ description: 'The refresh token; absent when it was set as a cookie (refresh_in: cookie)' });
const TokensSchema = z.object({ access: z.string(), refresh: refreshField, user: UserSchema }).openapi('LoginResponse');
const RefreshBody = z
  .object({
    refresh: z
      .string()
      .min(1)
      .max(4096)
      .optional()
      .openapi({ description: 'The refresh token; leave it out to use the session cookie instead' }),
  })
  .openapi('RefreshRequest');
const RefreshedSchema = z
  .object({
    access: z.string(),
    refresh: z.string().optional().openapi({
      description:
        'The next refresh token (absent when the cookie was used: the cookie is replaced); the one sent is used up, and sending it again ends every session',
    }),
  })
  .openapi('RefreshResponse');
const ChangePasswordBody = z
  .object({
    old_password: z.string().min(1).max(1024),
    new_password: z.string().min(12, 'must be at least 12 characters').max(1024),
    refresh_in: RefreshIn,
  })
  .openapi('ChangePasswordRequest');
const PasswordChangedSchema = z
  .object({ message: z.string(), access: z.string(), refresh: refreshField })
  .openapi('PasswordChangedResponse', {
    description: "Every other session ended; these tokens are the caller's new session",
  });
const SignedOutSchema = z
  .object({
    message: z.string(),
    end_session_url: z.string().optional().openapi({
      description:
        "Present when this browser's session began with single sign-on: open it (as a page) so the identity provider ends its session too, then returns to the sign-in page",
    }),
  })
  .openapi('SignedOut');

export function publicUser(user: Pick<UserRow, 'id' | 'email' | 'full_name' | 'role'>) {
  return { id: user.id, email: user.email, full_name: user.full_name, role: user.role };
}

export function authRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AppEnv>();
  const signInDeps = { sql: deps.sql, config: deps.config, logger: deps.logger, sessionKey: deps.keys.session };
  const secureCookie = deps.config.http.publicBaseUrl.startsWith('https:');
  const oidc = deps.config.oidc ? createOidcClient(deps.config.oidc) : undefined;

  app.route('/', oidcRoutes(deps, oidc));
  const addressOf = clientAddressReader(deps.config.auth.trustProxy, deps.logger);

  app.openapi(
    createRoute({
      method: 'post',
      path: '/login',
      tags: ['auth'],
      summary: 'Exchange email and password for access and refresh tokens',
      description:
        'Failed attempts are throttled per account and per client address: past a few, each further attempt waits, doubling up to 15 minutes (429 with Retry-After). In SSO-only mode (OIDC_SSO_ONLY) a password signs in only the break-glass super admin: everyone else gets 403.',
      request: jsonBody(LoginBody),
      responses: {
        200: jsonContent(TokensSchema, 'Signed in'),
        401: commonErrors[401],
        403: commonErrors[403],
        429: throttledResponse,
        ...publicErrors,
        503: hashingBusyResponse,
      },
    }),
    async (c) => {
      const { email, password, refresh_in } = c.req.valid('json');
      await refusePasswordUnlessAllowed(deps.sql, deps.config.oidc, email);
      const { user, tokens } = await signIn(signInDeps, {
        email,
        password,
        clientAddress: addressOf(c),
      });
      // This browser's session is a password one now: signing out has nothing to end at the provider.
      if (refresh_in === 'cookie') forgetSsoSession(c, secureCookie);
      return c.json({ ...deliverTokens(c, tokens, refresh_in, secureCookie), user: publicUser(user) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/refresh',
      tags: ['auth'],
      summary: 'Exchange a refresh token for a new access token and the next refresh token',
      description: [
        'Each refresh token works once. Presenting one that was already exchanged ends every session of the account (it was copied).',
        'Send `{"refresh": "..."}`, or `{}` with the session cookie set by `refresh_in: cookie`: the cookie is then replaced by the next one (and removed when refused).',
      ].join(' '),
      request: jsonBody(RefreshBody),
      responses: { 200: jsonContent(RefreshedSchema, 'New tokens'), 401: commonErrors[401], ...publicErrors },
    }),
    async (c) => {
      const sent = c.req.valid('json').refresh;
      if (sent !== undefined)
        return c.json(deliverTokens(c, await refreshSession(signInDeps, sent), 'body', secureCookie), 200);
      const cookie = refreshCookie(c, secureCookie);
      if (cookie === undefined)
        throw unauthenticated('No refresh token: send {"refresh": "..."} or sign in with refresh_in: cookie');
      try {
        return c.json(deliverTokens(c, await refreshSession(signInDeps, cookie), 'cookie', secureCookie), 200);
      } catch (error) {
        // A refused cookie would be refused again: drop it, so the browser stops sending it.
        clearRefreshCookie(c, secureCookie);
        throw error;
      }
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/me',
      tags: ['auth'],
      summary: 'The signed-in user',
      security: bearerSecurity,
      middleware: signedInBeforePasswordChange(deps),
      responses: { 200: jsonContent(MeSchema, 'The signed-in user'), ...commonErrors },
    }),
    async (c) => {
      const user = await findActiveUser(deps.sql, c.var.user.id);
      if (!user) throw unauthenticated();
      return c.json(
        {
          ...publicUser(user),
          must_change_password: user.must_change_password,
          email_bounced: emailBouncedView(await findEmailBounce(deps.sql, user.email)),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/change_password',
      tags: ['auth'],
      summary: "Change the signed-in user's password; every other session ends",
      security: bearerSecurity,
      middleware: signedInBeforePasswordChange(deps),
      request: jsonBody(ChangePasswordBody),
      responses: {
        200: jsonContent(PasswordChangedSchema, 'Changed'),
        429: throttledResponse,
        ...commonErrors,
        503: hashingBusyResponse,
      },
    }),
    async (c) => {
      const { old_password, new_password, refresh_in } = c.req.valid('json');
      const tokens = await changePassword(signInDeps, c.var.user, {
        oldPassword: old_password,
        newPassword: new_password,
        clientAddress: addressOf(c),
      });
      return c.json(
        { message: 'Password changed successfully', ...deliverTokens(c, tokens, refresh_in, secureCookie) },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/logout',
      tags: ['auth'],
      summary: 'Sign out everywhere: every access and refresh token of the user ends, and open streams close',
      description:
        "When the browser's session began with single sign-on, the answer's end_session_url signs it out at the identity provider too (RP-initiated logout, with id_token_hint).",
      security: bearerSecurity,
      middleware: signedInBeforePasswordChange(deps),
      responses: { 200: jsonContent(SignedOutSchema, 'Signed out'), ...commonErrors },
    }),
    async (c) => {
      const family = forgetSsoSession(c, secureCookie);
      await signOut(deps.sql, c.var.user);
      clearRefreshCookie(c, secureCookie);
      const idToken = deps.config.oidc ? await endSsoSessions(deps.sql, c.var.user.id, family) : null;
      const endSession =
        idToken && oidc
          ? await oidc.endSessionUrl(idToken).catch((error: unknown) => {
              // Signed out here all the same; the provider's session ends when it does.
              deps.logger.warn({ err: error }, 'no end-session URL from the identity provider');
              return null;
            })
          : null;
      return c.json({ message: 'Signed out', ...(endSession ? { end_session_url: endSession.href } : {}) }, 200);
    },
  );

  return app;
}
