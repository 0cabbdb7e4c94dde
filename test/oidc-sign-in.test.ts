import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../src/api/app';
import { startApiServer, type ApiServer } from '../src/api/server';
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
