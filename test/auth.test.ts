import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { deriveKey, signAccessToken } from '../src/auth/tokens';
import { createTestContext, type TestContext, type TestUser } from './support/context';

describe('authentication and errors', () => {
  let ctx: TestContext;
  let member: TestUser;
  let admin: TestUser;

  before(async () => {
    ctx = await createTestContext();
    member = await ctx.createUser('member');
    admin = await ctx.createUser('super_admin');
  });
  after(() => ctx.close());

  it('logs in with email (any case) and password, and answers with tokens and the user', async () => {
    const response = await ctx.request('POST', '/api/auth/login', {
      body: { email: member.email.toUpperCase(), password: member.password },
    });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { access: string; refresh: string; user: Record<string, unknown> };
    assert.ok(body.access && body.refresh);
    assert.deepEqual(Object.keys(body.user).sort(), ['email', 'full_name', 'id', 'role']);
    assert.equal(body.user.id, member.id);
  });

  it('answers the same 401 for an unknown email and a wrong password', async () => {
    // Found by schemathesis: a NUL in the email reached PostgreSQL and answered 500.
    const nul = await ctx.request('POST', '/api/auth/login', {
      body: { email: 'k\u0000u@example.test', password: 'whatever-password' },
    });
    assert.equal(nul.status, 400);
    assert.match(((await nul.json()) as { error: string }).error, /body field "email" contains a NUL/);
    const unknown = await ctx.request('POST', '/api/auth/login', {
      body: { email: 'nobody@example.test', password: 'whatever-password' },
    });
    const wrong = await ctx.request('POST', '/api/auth/login', {
      body: { email: member.email, password: 'not-the-password' },
    });
    assert.equal(unknown.status, 401);
    assert.equal(wrong.status, 401);
    assert.deepEqual(await unknown.json(), await wrong.json());
  });

  it('refreshes an access token, and /me answers with it', async () => {
    const login = (await (
      await ctx.request('POST', '/api/auth/login', { body: { email: member.email, password: member.password } })
    ).json()) as { refresh: string };
    const refreshed = await ctx.request('POST', '/api/auth/refresh/', { body: { refresh: login.refresh } });
    assert.equal(refreshed.status, 200);
    const { access } = (await refreshed.json()) as { access: string };
    const me = await ctx.request('GET', '/api/auth/me', { token: access });
    assert.equal(me.status, 200);
    assert.equal(((await me.json()) as { email: string }).email, member.email);
  });

  it('refuses a refresh token used as an access token, and an access token used to refresh', async () => {
    const login = (await (
      await ctx.request('POST', '/api/auth/login', { body: { email: member.email, password: member.password } })
    ).json()) as { access: string; refresh: string };
    assert.equal((await ctx.request('GET', '/api/auth/me', { token: login.refresh })).status, 401);
    assert.equal((await ctx.request('POST', '/api/auth/refresh', { body: { refresh: login.access } })).status, 401);
  });

  it('refuses a tampered token and an expired token with 401 and a JSON error', async () => {
    const [header, payload, signature] = member.token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, role: 'super_admin' })).toString('base64url')}.${signature}`;
    const tampered = await ctx.request('GET', '/api/users/', { token: forged });
    assert.equal(tampered.status, 401);
    assert.match(((await tampered.json()) as { error: string }).error, /invalid or expired/);

    const expired = await new SignJWT({ role: 'member', typ: 'access', ver: 0 })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(String(member.id))
      .setIssuer('bookit')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(await ctx.deps.keys.session);
    assert.equal((await ctx.request('GET', '/api/auth/me', { token: expired })).status, 401);
    const otherKey = await signAccessToken(deriveKey('a different JWT secret', 'session'), {
      userId: member.id,
      role: 'member',
      tokenVersion: 0,
    });
    assert.equal((await ctx.request('GET', '/api/auth/me', { token: otherKey })).status, 401);
  });

  it('guards a super-admin route by role: 401 without a token, 403 for a member, 200 for a super admin', async () => {
    assert.equal((await ctx.request('GET', '/api/users/')).status, 401);
    const forbidden = await ctx.request('GET', '/api/users', { token: member.token });
    assert.equal(forbidden.status, 403);
    assert.ok(((await forbidden.json()) as { error: string }).error);
    assert.equal((await ctx.request('GET', '/api/users/', { token: admin.token })).status, 200);
  });

  it('stops a deactivated user at once, even with a valid token', async () => {
    const temp = await ctx.createUser('member');
    const patch = await ctx.request('PATCH', `/api/users/${temp.id}/`, {
      token: admin.token,
      body: { is_active: false },
    });
    assert.equal(patch.status, 200);
    assert.equal((await ctx.request('GET', '/api/auth/me', { token: temp.token })).status, 401);
    assert.equal(
      (await ctx.request('POST', '/api/auth/login', { body: { email: temp.email, password: temp.password } })).status,
      401,
    );
  });

  it('changes a password: the old one stops working, the new one works', async () => {
    const user = await ctx.createUser('member');
    const weak = await ctx.request('POST', '/api/auth/change_password', {
      token: user.token,
      body: { old_password: user.password, new_password: 'short' },
    });
    assert.equal(weak.status, 400);
    assert.match(((await weak.json()) as { error: string }).error, /new_password/);
    const changed = await ctx.request('POST', '/api/auth/change_password/', {
      token: user.token,
      body: { old_password: user.password, new_password: 'a-much-longer-passphrase' },
    });
    assert.equal(changed.status, 200);
    assert.equal(
      (await ctx.request('POST', '/api/auth/login', { body: { email: user.email, password: user.password } })).status,
      401,
    );
    assert.equal(
      (
        await ctx.request('POST', '/api/auth/login', {
          body: { email: user.email, password: 'a-much-longer-passphrase' },
        })
      ).status,
      200,
    );
  });

  it('answers malformed JSON, a missing field and a wrong type with 400 naming the problem', async () => {
    const malformed = await ctx.request('POST', '/api/auth/login', { body: '{"email": ' });
    assert.equal(malformed.status, 400);
    assert.match(((await malformed.json()) as { error: string }).error, /JSON/i);
    const missing = await ctx.request('POST', '/api/auth/login', { body: { email: member.email } });
    assert.equal(missing.status, 400);
    assert.match(((await missing.json()) as { error: string }).error, /password/);
    const wrongType = await ctx.request('POST', '/api/auth/login', { body: { email: 42, password: 'x' } });
    assert.equal(wrongType.status, 400);
    assert.match(((await wrongType.json()) as { error: string }).error, /email/);
  });

  it('answers an unknown route with a JSON 404 and serves a complete OpenAPI document', async () => {
    const missing = await ctx.request('GET', '/api/nothing-here');
    assert.equal(missing.status, 404);
    assert.ok(((await missing.json()) as { error: string }).error);
    const doc = (await (await ctx.request('GET', '/openapi.json')).json()) as { paths: Record<string, unknown> };
    for (const path of [
      '/api/auth/login',
      '/api/auth/refresh',
      '/api/auth/me',
      '/api/users',
      '/api/venues',
      '/healthz',
      '/readyz',
    ]) {
      assert.ok(
        Object.keys(doc.paths).some((p) => p.replace(/\/$/, '') === path),
        `${path} is documented`,
      );
    }
    const docs = await ctx.request('GET', '/docs');
    assert.equal(docs.status, 200);
    const html = await docs.text();
    assert.match(html, /<html/i);
    assert.match(html, /src="\/docs\/scalar.js"/, 'the viewer is served locally, not from a CDN');
    const viewer = await ctx.request('GET', '/docs/scalar.js');
    assert.equal(viewer.status, 200);
    assert.ok((await viewer.text()).length > 100_000);
  });
});
