import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Hono } from 'hono';
import { createApp } from '../src/api/app';
import { keepPendingSignIn, rememberSsoSession, takePendingSignIn } from '../src/api/oidc-cookies';
import { signInRequestKey } from '../src/auth/sealed-box';
import { startApiServer, type ApiServer } from '../src/api/server';
import { ConfigError, loadConfig } from '../src/config/config';
import { identityFromClaims } from '../src/sso/identity';
import { roleFromGroups } from '../src/sso/role-mapping';
import { freePort } from '../scripts/dev/free-port';
import { CookieBrowser } from './support/cookie-browser';
import { startIdentityProvider, type TestIdentityProvider } from './support/oidc-provider';
import { createTestContext, eventually, given, withWorker, type TestContext } from './support';

interface Me {
  id: number;
  email: string;
  full_name: string;
  role: string;
  must_change_password: boolean;
}

describe('single sign-on through an OpenID Connect provider (authorization code, PKCE, state, nonce)', () => {
  let provider: TestIdentityProvider;
  let ctx: TestContext;
  let server: ApiServer;
  let base: string;

  before(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    provider = await startIdentityProvider(base);
    ctx = await createTestContext({
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_BASE_URL: base,
      ...provider.env,
      OIDC_DISPLAY_NAME: 'Test IdP',
      OIDC_SCOPES: 'openid email profile groups',
      OIDC_GROUPS_CLAIM: 'groups',
    });
    await withWorker(ctx);
    server = await startApiServer(ctx.deps);
  });
  after(async () => {
    await server?.close();
    await ctx?.close();
    await provider?.close();
  });

  /** From the start route through the provider's sign-in form (as `login`), up to the callback's URL, not yet opened. */
  async function toCallback(browser: CookieBrowser, login: string, next = '/bookings'): Promise<URL> {
    const start = `${base}/api/auth/oidc/start?next=${encodeURIComponent(next)}`;
    const atForm = await browser.follow(start);
    assert.ok(
      atForm.visited[1]?.startsWith(`${provider.issuer}/auth?`),
      `the start sends the browser to the provider: ${atForm.visited.join(' → ')}`,
    );
    const authorization = new URL(atForm.visited[1]!);
    assert.equal(authorization.searchParams.get('code_challenge_method'), 'S256');
    assert.ok(authorization.searchParams.get('state') && authorization.searchParams.get('nonce'));
    const form = await atForm.response.text();
    const action = /<form method="post" action="([^"]+)"/.exec(form)?.[1];
    assert.ok(action, `the provider shows its sign-in form: ${form.slice(0, 300)}`);
    const submitted = await browser.request(new URL(action, provider.issuer).href, {
      method: 'POST',
      form: { login, password: 'anything' },
    });
    const back = await browser.follow(new URL(submitted.headers.get('location')!, provider.issuer).href, (url) =>
      url.href.startsWith(`${base}/api/auth/oidc/callback`),
    );
    assert.ok(back.next, `the provider sends the browser back to BookIT: ${back.visited.join(' → ')}`);
    return back.next;
  }

  /** A whole sign-in; answers the callback's answer and the access token the app then gets with the cookie. */
  async function signInAs(login: string, browser = new CookieBrowser(), next = '/bookings') {
    const callback = await browser.request((await toCallback(browser, login, next)).href);
    assert.equal(callback.status, 303, await callback.clone().text());
    const refreshed = await browser.request(`${base}/api/auth/refresh`, { method: 'POST', json: {} });
    assert.equal(refreshed.status, 200, 'the refresh cookie set by the callback gives an access token');
    const { access } = (await refreshed.json()) as { access: string };
    const me = (await (await ctx.request('GET', '/api/auth/me', { token: access })).json()) as Me;
    return { callback, access, me, browser };
  }

  it('a first sign-in makes a member from the ID token (verified email, name), sets the same cookie session as a password sign-in, and lands on the page asked for', async () => {
    provider.setAccount('ada', { email: 'Ada.Lovelace@Example.test', email_verified: true, name: 'Ada Lovelace' });
    const browser = new CookieBrowser();
    const callback = await browser.request((await toCallback(browser, 'ada', '/bookings?when=past')).href);

    assert.equal(callback.status, 303);
    assert.equal(callback.headers.get('location'), '/bookings?when=past');
    const refresh = browser.cookie('bookit_refresh');
    assert.ok(refresh, 'the refresh cookie is set');
    assert.match(refresh.attributes, /Path=\/api\/auth\/refresh/);
    assert.match(refresh.attributes, /HttpOnly/);
    assert.match(refresh.attributes, /SameSite=Strict/);
    assert.ok(browser.cookie('bookit_session'), 'with the readable hint beside it');
    assert.equal(browser.cookie('bookit_oidc'), undefined, 'the sign-in cookie is used up');

    const refreshed = await browser.request(`${base}/api/auth/refresh`, { method: 'POST', json: {} });
    assert.equal(refreshed.status, 200);
    const { access } = (await refreshed.json()) as { access: string };
    const me = (await (await ctx.request('GET', '/api/auth/me', { token: access })).json()) as Me;
    assert.equal(me.email, 'ada.lovelace@example.test');
    assert.equal(me.full_name, 'Ada Lovelace');
    assert.equal(me.role, 'member');
    assert.equal(me.must_change_password, false, 'nothing to change first: the provider vouched for them');
    const [row] = await ctx.db.sql<
      { password_hash: string | null }[]
    >`select password_hash from users where id = ${me.id}`;
    assert.equal(row!.password_hash, null, 'no password of BookIT');

    const again = await signInAs('ada');
    assert.equal(again.me.id, me.id, 'the next sign-in finds the same account');
  });

  it("the groups claim decides the role and a hall admin's venues, again at every sign-in, through the usual commands", async () => {
    const banyan = await given(ctx).venue({ name: 'Banyan Hall' });
    const cedar = await given(ctx).venue({ name: 'Cedar Room' });
    const slugs = await venueSlugs();
    const banyanSlug = slugs.get(banyan.id)!;
    const cedarSlug = slugs.get(cedar.id)!;
    assert.match(banyanSlug, /^banyan-hall(-\d+)?$/, 'a slug made from the name');

    provider.setAccount('grace', {
      email: 'grace@example.test',
      email_verified: true,
      name: 'Grace Hopper',
      groups: ['staff', `bookit-hall-admin:${banyanSlug}`, 'bookit-hall-admin:no-such-venue'],
    });
    const first = await signInAs('grace');
    assert.equal(first.me.role, 'hall_admin');
    assert.deepEqual(await adminsOf(banyan.id), [first.me.id]);
    assert.deepEqual(await adminsOf(cedar.id), []);
    await eventually(async () => {
      const response = await ctx.request('GET', '/api/notifications/', { token: first.access });
      const notices = (await response.json()) as { notification_type: string }[];
      return notices.some((notice) => notice.notification_type === 'venue_assigned') || undefined;
    }, 'the new hall admin is told of the venue, as an assignment by a super admin tells them');

    // Keycloak writes groups as paths.
    provider.setAccount('grace', {
      email: 'grace@example.test',
      email_verified: true,
      name: 'Grace Hopper',
      groups: [`/bookit-hall-admin:${cedarSlug}`],
    });
    const second = await signInAs('grace');
    assert.equal(second.me.role, 'hall_admin');
    assert.deepEqual(await adminsOf(banyan.id), [], 'a venue no longer named is taken away');
    assert.deepEqual(await adminsOf(cedar.id), [second.me.id]);
    const stale = await ctx.request('GET', '/api/auth/me', { token: first.access });
    assert.equal(stale.status, 200, 'the same role keeps the other sessions');

    provider.setAccount('grace', { email: 'grace@example.test', email_verified: true, groups: ['bookit-super-admin'] });
    const third = await signInAs('grace');
    assert.equal(third.me.role, 'super_admin');
    assert.deepEqual(await adminsOf(cedar.id), [], 'leaving the hall admin role leaves its venues');
    const ended = await ctx.request('GET', '/api/auth/me', { token: second.access });
    assert.equal(ended.status, 401, 'a new role ends the sessions issued under the old one');

    provider.setAccount('grace', { email: 'grace@example.test', email_verified: true });
    const fourth = await signInAs('grace');
    assert.equal(fourth.me.role, 'member', 'no group (the claim left out): a member');
  });

  it('an existing account is found by its verified address and linked; afterwards the subject finds it, and another subject with the address is refused', async () => {
    const member = await given(ctx).member({ fullName: 'Mary Existing' });
    provider.setAccount('mary', {
      email: member.email.toUpperCase(),
      email_verified: true,
      name: 'Mary at the provider',
    });
    const linked = await signInAs('mary');
    assert.equal(linked.me.id, member.id);
    assert.equal(linked.me.full_name, 'Mary Existing', 'an existing account keeps its name');
    const password = await ctx.request('POST', '/api/auth/login', {
      body: { email: member.email, password: member.password },
    });
    assert.equal(password.status, 200, 'a password the person chose is kept');

    provider.setAccount('mary', { email: 'mary.renamed@example.test', email_verified: true });
    assert.equal((await signInAs('mary')).me.id, member.id, 'the subject, not the address, finds the account later');

    provider.setAccount('impostor', { email: member.email, email_verified: true });
    const browser = new CookieBrowser();
    const refused = await browser.request((await toCallback(browser, 'impostor')).href);
    assert.equal(refused.status, 403);
    assert.match(await refused.text(), /linked to another account at the identity provider/);
    assert.equal(browser.cookie('bookit_refresh'), undefined);
  });

  it('an account a super admin made, still holding its emailed password, signs in through the provider and that password is retired', async () => {
    const newcomer = await given(ctx).newcomer({ fullName: 'Nia Newcomer' });
    await ctx.db
      .sql`update users set password_hash = 'scrypt$16384$8$1$c2FsdA$aGFzaA', must_change_password = true where id = ${newcomer.id}`;
    provider.setAccount('nia', { email: newcomer.email, email_verified: true });
    const { me } = await signInAs('nia');
    assert.equal(me.id, newcomer.id);
    assert.equal(me.must_change_password, false);
    const [row] = await ctx.db.sql<
      { password_hash: string | null }[]
    >`select password_hash from users where id = ${newcomer.id}`;
    assert.equal(row!.password_hash, null);
  });

  it('an address the provider has not verified, or a deactivated account, is refused 403 with a page saying why', async () => {
    provider.setAccount('unverified', { email: 'unverified@example.test', email_verified: false });
    const browser = new CookieBrowser();
    const refused = await browser.request((await toCallback(browser, 'unverified')).href);
    assert.equal(refused.status, 403);
    assert.match(refused.headers.get('content-type') ?? '', /text\/html/);
    const page = await refused.text();
    assert.match(page, /has not verified your email address \(unverified@example\.test\)/);
    assert.match(page, /<a href="\/sign-in">Back to sign-in<\/a>/);
    assert.equal((await ctx.db.sql`select 1 from users where email = 'unverified@example.test'`).length, 0);

    const leaver = await given(ctx).member();
    await ctx.db.sql`update users set is_active = false where id = ${leaver.id}`;
    provider.setAccount('leaver', { email: leaver.email, email_verified: true });
    const other = new CookieBrowser();
    const closed = await other.request((await toCallback(other, 'leaver')).href);
    assert.equal(closed.status, 403);
    assert.match(await closed.text(), /deactivated/);
  });

  it('a tampered state is refused 400 and signs nobody in; the sign-in cookie works once', async () => {
    provider.setAccount('eve', { email: 'eve@example.test', email_verified: true });
    const browser = new CookieBrowser();
    const callback = await toCallback(browser, 'eve');
    const tampered = new URL(callback);
    tampered.searchParams.set('state', `${callback.searchParams.get('state')}x`);
    const refused = await browser.request(tampered.href, { accept: 'application/json' });
    assert.equal(refused.status, 400);
    assert.match(((await refused.json()) as { error: string }).error, /state/);
    assert.equal(browser.cookie('bookit_refresh'), undefined, 'no session');

    const replayed = await browser.request(callback.href);
    assert.equal(replayed.status, 400, 'the sign-in cookie was used up by the refused attempt');
    assert.match(await replayed.text(), /No single sign-on was started in this browser/);

    const elsewhere = new CookieBrowser();
    const foreign = await elsewhere.request(callback.href);
    assert.equal(foreign.status, 400, "another browser's callback URL signs nobody in");
    assert.equal((await ctx.db.sql`select 1 from users where email = 'eve@example.test'`).length, 0);
  });

  it('a next that leaves the app lands on the home page instead', async () => {
    provider.setAccount('olga', { email: 'olga@example.test', email_verified: true });
    for (const next of ['https://evil.example/', '//evil.example/', '/\\evil.example', '/api/users']) {
      const { callback } = await signInAs('olga', new CookieBrowser(), next);
      assert.equal(callback.headers.get('location'), '/', next);
    }
  });

  it("signing out a single sign-on session answers the provider's end-session URL (id_token_hint, post_logout_redirect_uri); a password session's does not", async () => {
    provider.setAccount('lin', { email: 'lin@example.test', email_verified: true });
    const { access, browser } = await signInAs('lin');
    const signedOut = await browser.request(`${base}/api/auth/logout`, { method: 'POST', token: access, json: {} });
    assert.equal(signedOut.status, 200);
    const { end_session_url } = (await signedOut.json()) as { end_session_url?: string };
    assert.ok(end_session_url, 'an end-session URL');
    const endSession = new URL(end_session_url);
    assert.equal(endSession.origin, provider.issuer);
    assert.ok(endSession.searchParams.get('id_token_hint'));
    assert.equal(endSession.searchParams.get('post_logout_redirect_uri'), `${base}/sign-in`);
    assert.equal(browser.cookie('bookit_refresh'), undefined, 'signed out here at once');

    const logoutsBefore = provider.logouts;
    const confirm = await browser.follow(end_session_url);
    const form = await confirm.response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(form)?.[1];
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(form)?.[1];
    assert.ok(action && xsrf, `the provider asks to confirm: ${form.slice(0, 400)}`);
    const confirmed = await browser.request(new URL(action, provider.issuer).href, {
      method: 'POST',
      form: { xsrf, logout: 'yes' },
    });
    assert.equal(
      confirmed.headers.get('location'),
      `${base}/sign-in`,
      'the provider sends the browser back to sign-in',
    );
    assert.equal(provider.logouts, logoutsBefore + 1, "the provider's session ended");

    const member = await given(ctx).member();
    const viaPassword = new CookieBrowser();
    const login = await viaPassword.request(`${base}/api/auth/login`, {
      method: 'POST',
      json: { email: member.email, password: member.password, refresh_in: 'cookie' },
    });
    const { access: passwordAccess } = (await login.json()) as { access: string };
    const plain = await viaPassword.request(`${base}/api/auth/logout`, {
      method: 'POST',
      token: passwordAccess,
      json: {},
    });
    assert.deepEqual(await plain.json(), { message: 'Signed out' });
  });

  it('SSO-only refuses passwords with a 403 naming the way in, except the break-glass super admin; the sign-in page learns it from GET /api/auth/methods', async () => {
    const keeper = await given(ctx).superAdmin();
    const member = await given(ctx).member();
    const ssoOnly = createApp({
      ...ctx.deps,
      config: {
        ...ctx.config,
        oidc: { ...ctx.config.oidc!, ssoOnly: true, breakGlassEmail: keeper.email.toLowerCase() },
      },
    });
    const login = (email: string, password: string) =>
      ssoOnly.request('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });

    const refused = await login(member.email, member.password);
    assert.equal(refused.status, 403);
    assert.match(
      ((await refused.json()) as { error: string }).error,
      /Password sign-in is turned off: sign in with Test IdP/,
    );
    assert.equal(
      (await login(keeper.email.toUpperCase(), keeper.password)).status,
      200,
      'the break-glass super admin may',
    );

    const demoted = createApp({
      ...ctx.deps,
      config: {
        ...ctx.config,
        oidc: { ...ctx.config.oidc!, ssoOnly: true, breakGlassEmail: member.email.toLowerCase() },
      },
    });
    const notSuper = await demoted.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: member.email, password: member.password }),
    });
    assert.equal(notSuper.status, 403, 'break-glass is for a super admin only');

    assert.deepEqual(await (await ssoOnly.request('/api/auth/methods')).json(), {
      password: 'break_glass_only',
      sso: { display_name: 'Test IdP', start_url: '/api/auth/oidc/start' },
    });
    assert.deepEqual(await (await ctx.request('GET', '/api/auth/methods')).json(), {
      password: 'everyone',
      sso: { display_name: 'Test IdP', start_url: '/api/auth/oidc/start' },
    });
  });

  async function venueSlugs(): Promise<Map<number, string>> {
    const admin = await given(ctx).superAdmin();
    const venues = (await (await ctx.request('GET', '/api/venues/', { token: admin.token })).json()) as {
      id: number;
      slug: string;
    }[];
    return new Map(venues.map((venue) => [venue.id, venue.slug]));
  }

  async function adminsOf(venueId: number): Promise<number[]> {
    const rows = await ctx.db.sql<
      { user_id: number }[]
    >`select user_id from venue_admins where venue_id = ${venueId} order by user_id`;
    return rows.map((row) => Number(row.user_id));
  }
});

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
