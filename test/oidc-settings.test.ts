import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import { keepPendingSignIn, rememberSsoSession, takePendingSignIn } from '../src/api/oidc-cookies';
import { signInRequestKey } from '../src/auth/sealed-box';
import { ConfigError, loadConfig } from '../src/config/config';
import { identityFromClaims } from '../src/sso/identity';
import { roleFromGroups } from '../src/sso/role-mapping';

// Single sign-on's parts that need no provider: its settings, what an ID token is read for, what
// groups make of a person, and the sealed sign-in cookie. The whole flow: test/oidc-sign-in.test.ts.

describe('single sign-on settings are checked at start, each refusal naming its variable', () => {
  const env = { NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(40), PUBLIC_BASE_URL: 'https://bookit.example.com' };
  const refusal = (extra: Record<string, string>) => {
    try {
      loadConfig({ ...env, ...extra });
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      return error.message;
    }
    return 'accepted';
  };

  it('refuses what cannot work, and derives the redirect URIs from PUBLIC_BASE_URL', () => {
    assert.match(refusal({ OIDC_CLIENT_ID: 'bookit' }), /OIDC_ISSUER must be set with OIDC_CLIENT_ID/);
    assert.match(refusal({ OIDC_SSO_ONLY: 'true' }), /OIDC_SSO_ONLY=true needs single sign-on/);
    assert.match(refusal({ OIDC_ISSUER: 'https://login.example.com' }), /OIDC_CLIENT_ID must be set/);
    assert.match(
      refusal({ OIDC_ISSUER: 'http://login.example.com', OIDC_CLIENT_ID: 'bookit' }),
      /OIDC_ISSUER must be an https:\/\/ URL/,
    );
    assert.match(refusal({ OIDC_ISSUER: 'not a url', OIDC_CLIENT_ID: 'bookit' }), /OIDC_ISSUER must be a URL/);
    assert.match(
      refusal({ OIDC_ISSUER: 'https://login.example.com', OIDC_CLIENT_ID: 'bookit', OIDC_SCOPES: 'email profile' }),
      /OIDC_SCOPES must include openid/,
    );
    assert.match(
      refusal({
        OIDC_ISSUER: 'https://login.example.com',
        OIDC_CLIENT_ID: 'bookit',
        OIDC_REDIRECT_URI: 'https://bookit.example.com/callback',
      }),
      /OIDC_REDIRECT_URI must end in \/api\/auth\/oidc\/callback/,
    );
    assert.match(
      refusal({
        NODE_ENV: 'production',
        JWT_SECRET: randomBytes(32).toString('base64'),
        OIDC_ISSUER: 'https://login.example.com',
        OIDC_CLIENT_ID: 'bookit',
        OIDC_REDIRECT_URI: 'http://bookit.example.com/api/auth/oidc/callback',
      }),
      /OIDC_REDIRECT_URI must be https:\/\/ when NODE_ENV=production/,
    );
    assert.match(
      refusal({ BOOKIT_BREAK_GLASS_EMAIL: 'not-an-address' }),
      /BOOKIT_BREAK_GLASS_EMAIL must be an email address/,
    );

    const config = loadConfig({
      ...env,
      OIDC_ISSUER: 'https://login.example.com/realms/staff',
      OIDC_CLIENT_ID: 'bookit',
      OIDC_SSO_ONLY: 'true',
      BOOKIT_BREAK_GLASS_EMAIL: 'Root@Example.com',
    });
    assert.equal(config.oidc?.redirectUri, 'https://bookit.example.com/api/auth/oidc/callback');
    assert.equal(config.oidc?.postLogoutRedirectUri, 'https://bookit.example.com/sign-in');
    assert.equal(config.oidc?.breakGlassEmail, 'root@example.com');
    assert.equal(config.oidc?.roles, undefined, 'roles stay with BookIT unless OIDC_GROUPS_CLAIM is set');
    assert.equal(loadConfig(env).oidc, undefined);
  });
});

describe('what an ID token is read for, and what groups make of a person', () => {
  const roles = {
    groupsClaim: 'groups',
    superAdminGroup: 'bookit-super-admin',
    hallAdminGroupPrefix: 'bookit-hall-admin:',
  };
  const claims = { iss: 'https://login.example.com', sub: 'abc', email: ' Kim@Example.COM ', email_verified: true };

  it('takes the address lower-cased, a name from name or given and family names, and groups from a name, a dotted path or a single string', () => {
    assert.deepEqual(
      identityFromClaims({ ...claims, name: 'Kim Lee', groups: ['a', 7, 'b'] }, { requireEmailVerified: true, roles }),
      {
        issuer: 'https://login.example.com',
        subject: 'abc',
        email: 'kim@example.com',
        name: 'Kim Lee',
        groups: ['a', 'b'],
      },
    );
    const named = identityFromClaims(
      { ...claims, given_name: 'Kim', family_name: 'Lee' },
      { requireEmailVerified: true },
    );
    assert.equal(named.name, 'Kim Lee');
    assert.equal(named.groups, undefined, 'no groups read unless roles come from them');
    assert.equal(
      identityFromClaims(claims, { requireEmailVerified: true }).name,
      'kim',
      "else the address's local part",
    );
    const keycloakRoles = { ...roles, groupsClaim: 'realm_access.roles' };
    assert.deepEqual(
      identityFromClaims(
        { ...claims, realm_access: { roles: ['bookit-super-admin'] } },
        { requireEmailVerified: true, roles: keycloakRoles },
      ).groups,
      ['bookit-super-admin'],
    );
    assert.deepEqual(
      identityFromClaims({ ...claims, groups: 'only-one' }, { requireEmailVerified: true, roles }).groups,
      ['only-one'],
    );
    assert.equal(
      identityFromClaims({ ...claims, email_verified: 'true' }, { requireEmailVerified: true }).email,
      'kim@example.com',
    );
  });

  it('refuses a token without an address, or with one the provider has not verified unless configured otherwise', () => {
    assert.throws(
      () => identityFromClaims({ iss: 'i', sub: 's' }, { requireEmailVerified: true }),
      /did not say your email address/,
    );
    assert.throws(
      () => identityFromClaims({ ...claims, email_verified: false }, { requireEmailVerified: true }),
      /has not verified your email address/,
    );
    assert.equal(
      identityFromClaims({ ...claims, email_verified: false }, { requireEmailVerified: false }).email,
      'kim@example.com',
    );
  });

  it('the super admin group wins; hall-admin groups count only for venues that exist; anything else is a member', () => {
    const known = (slug: string) => ['main-hall', 'lab-2'].includes(slug);
    assert.deepEqual(roleFromGroups(['bookit-hall-admin:main-hall', 'bookit-super-admin'], roles, known), {
      role: 'super_admin',
      venueSlugs: [],
    });
    assert.deepEqual(
      roleFromGroups(
        ['/bookit-hall-admin:lab-2', 'bookit-hall-admin:Main-Hall', 'bookit-hall-admin:gone'],
        roles,
        known,
      ),
      {
        role: 'hall_admin',
        venueSlugs: ['lab-2', 'main-hall'],
      },
    );
    assert.deepEqual(roleFromGroups(['bookit-hall-admin:gone', 'staff'], roles, known), {
      role: 'member',
      venueSlugs: [],
    });
  });
});

describe('the sign-in cookie', () => {
  const key = signInRequestKey('k'.repeat(40));
  const pending = { state: 's', nonce: 'n', codeVerifier: 'v', next: '/bookings' };

  it('over https: __Secure- cookies, HttpOnly, the sign-in one SameSite=Lax for the way back from the provider; sealed, so an altered one opens as nothing', async () => {
    const app = new Hono();
    app.get('/api/auth/oidc/start', (c) => {
      keepPendingSignIn(c, key, pending, true);
      rememberSsoSession(c, 'family', new Date(Date.now() + 60_000), true);
      return c.text('set');
    });
    app.get('/api/auth/oidc/callback', (c) => c.json(takePendingSignIn(c, key, true)));
    const set = (await app.request('/api/auth/oidc/start')).headers.getSetCookie();
    const signIn = set.find((line) => line.startsWith('__Secure-bookit_oidc='))!;
    assert.match(signIn, /Path=\/api\/auth\/oidc; HttpOnly; Secure; SameSite=Lax/);
    assert.ok(
      set.some((line) =>
        /^__Secure-bookit_sso=family;.*Path=\/api\/auth\/logout; HttpOnly; Secure; SameSite=Strict/.test(line),
      ),
    );

    const box = signIn.split(';')[0]!;
    const taken = await app.request('/api/auth/oidc/callback', { headers: { cookie: box } });
    assert.deepEqual(await taken.json(), pending);
    const value = box.slice(box.indexOf('=') + 1);
    const altered = `__Secure-bookit_oidc=${value.slice(0, -2)}${value.endsWith('A') ? 'B' : 'A'}${value.slice(-1)}`;
    assert.equal(await (await app.request('/api/auth/oidc/callback', { headers: { cookie: altered } })).json(), null);
    const plain = await app.request('/api/auth/oidc/callback', { headers: { cookie: `bookit_oidc=${value}` } });
    assert.equal(await plain.json(), null, 'the name without the prefix is not read over https');
  });
});
