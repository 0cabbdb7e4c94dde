import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { signInRequestKey } from '../../auth/sealed-box';
import { DomainError, invalid, notFound } from '../../domain/errors';
import { maskEmail } from '../../log/logger';
import { identityFromClaims } from '../../sso/identity';
import { IdentityProviderUnavailable, type OidcClient } from '../../sso/oidc-client';
import { passwordSignIn } from '../../sso/password-policy';
import { signOn } from '../../sso/sign-on';
import type { ApiDeps, AppEnv } from '../context';
import { STATUS_OF_KIND } from '../errors';
import { keepPendingSignIn, rememberSsoSession, takePendingSignIn } from '../oidc-cookies';
import { deliverTokens } from '../refresh-cookie';
import { jsonContent } from '../schemas';

const SignInMethodsSchema = z
  .object({
    password: z.enum(['everyone', 'break_glass_only']).openapi({
      description:
        'Who may sign in with a password: everyone, or (SSO-only mode) only the break-glass super admin; everyone else gets 403',
    }),
    sso: z
      .object({
        display_name: z.string().openapi({ example: 'Acme staff login' }),
        start_url: z.string().openapi({ example: '/api/auth/oidc/start' }),
      })
      .nullable()
      .openapi({ description: 'Single sign-on through an OpenID Connect provider, when configured' }),
  })
  .openapi('SignInMethods');

const StartQuery = z.object({
  next: z
    .string()
    .max(2000)
    .optional()
    .openapi({ description: 'The app page to land on after signing in (a path of this site)', example: '/bookings' }),
});

const redirectTo = (description: string) => ({
  description,
  headers: z.object({ Location: z.string() }),
});
const htmlOrJson = (description: string) => ({
  content: { 'text/html': { schema: z.string() }, 'application/json': { schema: z.object({ error: z.string() }) } },
  description,
});

/**
 * The page to land on after signing in: a path of this app only (never `//host`, `/\host` or
 * another site, so a crafted link cannot send someone elsewhere), and not sign-in or the API.
 */
export function safeNext(next: string | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (/[\p{Cc}\\]/u.test(next) || next.startsWith('/sign-in') || next.startsWith('/api/')) return '/';
  return next;
}

/**
 * Single sign-on with an OpenID Connect provider (authorization code, PKCE, state and nonce): the
 * start sends the browser to the provider, the callback checks its answer, signs the person in (or
 * makes their account) and starts the same session a password sign-in does (the refresh cookie),
 * then sends the browser to the app, which refreshes for an access token. Also the public answer
 * to "how does one sign in here?" the sign-in page asks.
 */
export function oidcRoutes(deps: ApiDeps, oidc: OidcClient | undefined) {
  const app = new OpenAPIHono<AppEnv>();
  const config = deps.config.oidc;
  const secureCookie = deps.config.http.publicBaseUrl.startsWith('https:');
  const sealingKey = signInRequestKey(deps.config.auth.jwtSecret);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/methods',
      tags: ['auth'],
      summary: 'How one signs in here: password, single sign-on, or single sign-on only (public)',
      responses: { 200: jsonContent(SignInMethodsSchema, 'The sign-in methods') },
    }),
    (c) =>
      c.json(
        {
          password: passwordSignIn(config),
          sso: config ? { display_name: config.displayName, start_url: '/api/auth/oidc/start' } : null,
        },
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/oidc/start',
      tags: ['auth'],
      summary: 'Start single sign-on: redirects the browser to the identity provider',
      description:
        'Sets a short-lived HttpOnly cookie holding the sign-in (state, nonce, PKCE verifier), sealed, that the callback needs; open it as a page (a link), not with fetch.',
      request: { query: StartQuery },
      responses: {
        302: redirectTo('To the identity provider'),
        404: htmlOrJson('Single sign-on is not configured'),
        502: htmlOrJson('The identity provider could not be reached'),
      },
    }),
    async (c) => {
      try {
        if (!config || !oidc) throw notFound('Single sign-on');
        const { url, pending } = await oidc.begin(safeNext(c.req.valid('query').next));
        keepPendingSignIn(c, sealingKey, pending, secureCookie);
        c.header('Cache-Control', 'no-store');
        return c.redirect(url.href, 302);
      } catch (error) {
        return failure(c, error);
      }
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/oidc/callback',
      tags: ['auth'],
      summary: "Where the identity provider sends the browser back: signs in, then redirects to the app's page",
      description: [
        'Checks the answer against the sign-in this browser started (state, then the code with its PKCE verifier, and the ID token with its nonce).',
        'The first sign-in of an address makes a member account (or links the account that has it), from the ID token: email (verified, unless OIDC_REQUIRE_EMAIL_VERIFIED=false) and name.',
        "When OIDC_GROUPS_CLAIM is set, the groups claim decides the role and a hall admin's venues at every sign-in.",
        'Sets the refresh cookie as `POST /api/auth/login` with `refresh_in: cookie` does. Failures answer their status with a page (or JSON when HTML is not accepted).',
      ].join(' '),
      request: {
        query: z.object({
          state: z.string().optional(),
          code: z.string().optional(),
          error: z.string().optional(),
          error_description: z.string().optional(),
          iss: z.string().optional(),
        }),
      },
      responses: {
        303: redirectTo("Signed in: to the app's page"),
        400: htmlOrJson(
          "The answer does not match this browser's sign-in (state), is too old, or the provider refused",
        ),
        403: htmlOrJson('The provider vouched for someone BookIT does not let in (deactivated, unverified address…)'),
        404: htmlOrJson('Single sign-on is not configured'),
        502: htmlOrJson('The identity provider could not be reached'),
      },
    }),
    async (c) => {
      try {
        if (!config || !oidc) throw notFound('Single sign-on');
        const pending = takePendingSignIn(c, sealingKey, secureCookie);
        if (!pending)
          throw invalid(
            'No single sign-on was started in this browser, or it took longer than ten minutes: start again from the sign-in page',
          );
        const query = new URL(c.req.url).search;
        const { claims, idToken } = await oidc.complete(query, pending);
        const identity = identityFromClaims(claims, config);
        const { tokens, family } = await signOn(
          { ...deps, sessionKey: deps.keys.session, config: { ...deps.config, oidc: config } },
          identity,
          idToken,
        );
        deliverTokens(c, tokens, 'cookie', secureCookie);
        rememberSsoSession(c, family, tokens.refreshExpiresAt, secureCookie);
        c.header('Cache-Control', 'no-store');
        return c.redirect(pending.next, 303);
      } catch (error) {
        return failure(c, error);
      }
    },
  );

  /** A sign-in that did not work, for a browser (a page with a way back) or another client (the JSON error). */
  function failure(c: Context<AppEnv>, error: unknown) {
    let status: ContentfulStatusCode;
    let message: string;
    if (error instanceof DomainError) {
      status = STATUS_OF_KIND[error.kind];
      message = error.message;
    } else if (error instanceof IdentityProviderUnavailable) {
      deps.logger.warn({ err: error }, 'identity provider unavailable');
      status = 502;
      message = 'The identity provider could not be reached; try again shortly';
    } else throw error;
    // The sentence may name the person's address; the log keeps it masked, as every log line does.
    if (status !== 404)
      deps.logger.info({ status, reason: message.replace(/[^\s()@]+@[^\s()]+/g, maskEmail) }, 'single sign-on refused');
    c.header('Cache-Control', 'no-store');
    if (!c.req.header('accept')?.includes('text/html')) return c.json({ error: message }, status);
    return c.html(failurePage(config?.displayName ?? 'single sign-on', message), status);
  }

  return app;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);

/** No script, no style: the API's own policy (nothing loads) holds for it. */
function failurePage(provider: string, message: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign-in did not work · BookIT</title></head>
<body>
<main>
<h1>Signing in with ${escapeHtml(provider)} did not work</h1>
<p>${escapeHtml(message)}</p>
<p><a href="/sign-in">Back to sign-in</a></p>
</main>
</body>
</html>
`;
}
