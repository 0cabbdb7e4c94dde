import { z } from 'zod';

/**
 * Single sign-on through an OpenID Connect provider: the variables, read with the rest in
 * config.ts, and what they come to. Nothing here is on unless OIDC_ISSUER is set.
 */
export const oidcEnvironment = {
  OIDC_ISSUER: z.string().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  // Unset: a public client, proved by PKCE alone (token_endpoint_auth_method none).
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_REDIRECT_URI: z.string().optional(),
  OIDC_POST_LOGOUT_REDIRECT_URI: z.string().optional(),
  OIDC_SCOPES: z.string().default('openid email profile'),
  OIDC_DISPLAY_NAME: z.string().min(1).max(60, 'must be at most 60 characters').default('single sign-on'),
  OIDC_REQUIRE_EMAIL_VERIFIED: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .default('true')
    .transform((text) => text === 'true'),
  // Unset: roles are kept in BookIT (super admins set them). Set: the provider's groups decide them at each sign-in.
  OIDC_GROUPS_CLAIM: z.string().min(1).optional(),
  OIDC_SUPER_ADMIN_GROUP: z.string().min(1).default('bookit-super-admin'),
  OIDC_HALL_ADMIN_GROUP_PREFIX: z.string().min(1).default('bookit-hall-admin:'),
  OIDC_SSO_ONLY: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .default('false')
    .transform((text) => text === 'true'),
  BOOKIT_BREAK_GLASS_EMAIL: z.email({ message: 'must be an email address' }).optional(),
};

const oidcEnvironmentSchema = z.object(oidcEnvironment);
type OidcEnvironment = z.infer<typeof oidcEnvironmentSchema>;

export interface OidcConfig {
  issuer: URL;
  clientId: string;
  /** Absent: a public client (PKCE only). */
  clientSecret?: string;
  /** Where the provider sends the browser back: `/api/auth/oidc/callback` of PUBLIC_BASE_URL unless set. */
  redirectUri: string;
  /** Where the provider sends the browser after signing out: the app's sign-in page unless set. */
  postLogoutRedirectUri: string;
  scopes: string;
  /** "Sign in with <displayName>" on the sign-in page. */
  displayName: string;
  /** Refuse an ID token whose email_verified is not true (the default). */
  requireEmailVerified: boolean;
  /** Present when the provider's groups decide each user's role and venues at every sign-in. */
  roles?: { groupsClaim: string; superAdminGroup: string; hallAdminGroupPrefix: string };
  /** Password sign-in refused, except for `breakGlassEmail` (a super admin). */
  ssoOnly: boolean;
  breakGlassEmail?: string;
  /** Plain http to the provider: only for an issuer on this machine (tests, development). */
  allowInsecureIssuer: boolean;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The single sign-on settings, or undefined when OIDC_ISSUER is unset. `fail` stops start-up with a
 * sentence naming the variable.
 */
export function readOidcConfig(
  e: OidcEnvironment,
  context: { publicBaseUrl: string; production: boolean },
  fail: (message: string) => never,
): OidcConfig | undefined {
  if (!e.OIDC_ISSUER) {
    if (e.OIDC_CLIENT_ID || e.OIDC_CLIENT_SECRET) fail('OIDC_ISSUER must be set with OIDC_CLIENT_ID (single sign-on)');
    if (e.OIDC_SSO_ONLY) fail('OIDC_SSO_ONLY=true needs single sign-on: set OIDC_ISSUER and OIDC_CLIENT_ID');
    return undefined;
  }
  const issuer = parseUrl(e.OIDC_ISSUER, 'OIDC_ISSUER', 'https://login.example.com/realms/staff', fail);
  if (issuer.search || issuer.hash) fail('OIDC_ISSUER must be the issuer URL alone, without ?query or #fragment');
  const loopback = LOOPBACK.has(issuer.hostname);
  if (issuer.protocol !== 'https:' && !(issuer.protocol === 'http:' && loopback))
    fail('OIDC_ISSUER must be an https:// URL (plain http only for a provider on this machine)');
  if (!e.OIDC_CLIENT_ID) fail('OIDC_CLIENT_ID must be set with OIDC_ISSUER (the client registered at the provider)');

  const redirectUri = e.OIDC_REDIRECT_URI ?? `${context.publicBaseUrl}/api/auth/oidc/callback`;
  const redirect = parseUrl(
    redirectUri,
    'OIDC_REDIRECT_URI',
    'https://bookit.example.com/api/auth/oidc/callback',
    fail,
  );
  if (redirect.pathname !== '/api/auth/oidc/callback')
    fail('OIDC_REDIRECT_URI must end in /api/auth/oidc/callback (the route that completes sign-in)');
  if (context.production && redirect.protocol !== 'https:' && !LOOPBACK.has(redirect.hostname))
    fail(
      'OIDC_REDIRECT_URI must be https:// when NODE_ENV=production (set PUBLIC_BASE_URL to the https address, or OIDC_REDIRECT_URI)',
    );
  const postLogoutRedirectUri = e.OIDC_POST_LOGOUT_REDIRECT_URI ?? `${context.publicBaseUrl}/sign-in`;
  parseUrl(postLogoutRedirectUri, 'OIDC_POST_LOGOUT_REDIRECT_URI', 'https://bookit.example.com/sign-in', fail);

  const scopes = e.OIDC_SCOPES.split(/\s+/).filter(Boolean);
  if (!scopes.includes('openid')) fail(`OIDC_SCOPES must include openid (got "${e.OIDC_SCOPES}")`);

  return {
    issuer,
    clientId: e.OIDC_CLIENT_ID,
    clientSecret: e.OIDC_CLIENT_SECRET,
    redirectUri,
    postLogoutRedirectUri,
    scopes: scopes.join(' '),
    displayName: e.OIDC_DISPLAY_NAME.trim(),
    requireEmailVerified: e.OIDC_REQUIRE_EMAIL_VERIFIED,
    roles: e.OIDC_GROUPS_CLAIM
      ? {
          groupsClaim: e.OIDC_GROUPS_CLAIM,
          superAdminGroup: e.OIDC_SUPER_ADMIN_GROUP,
          hallAdminGroupPrefix: e.OIDC_HALL_ADMIN_GROUP_PREFIX,
        }
      : undefined,
    ssoOnly: e.OIDC_SSO_ONLY,
    breakGlassEmail: e.BOOKIT_BREAK_GLASS_EMAIL?.toLowerCase(),
    allowInsecureIssuer: issuer.protocol === 'http:',
  };
}

/** The value is not echoed: a URL may carry credentials. */
function parseUrl(text: string, variable: string, example: string, fail: (message: string) => never): URL {
  if (!URL.canParse(text)) fail(`${variable} must be a URL like ${example}`);
  const url = new URL(text);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail(`${variable} must be an http(s) URL like ${example}`);
  return url;
}
