import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { signActionToken, type LinkAction } from '../src/auth/action-tokens';
import { createTestContext, given, type TestContext, type TestUser } from './support';

interface Tokens {
  access: string;
  refresh: string;
}

describe('sessions end when they should: forced first change, sign-out, rotation, reuse', () => {
  let ctx: TestContext;
  let admin: TestUser;

  before(async () => {
    ctx = await createTestContext();
    admin = await ctx.createUser('super_admin');
  });
  after(() => ctx.close());

  const errorOf = async (response: Response) => ((await response.json()) as { error: string }).error;

  async function signIn(user: Pick<TestUser, 'email' | 'password'>): Promise<Tokens> {
    const response = await ctx.request('POST', '/api/auth/login', {
      body: { email: user.email, password: user.password },
    });
    assert.equal(response.status, 200);
    return (await response.json()) as Tokens;
  }

  const refresh = (token: string) => ctx.request('POST', '/api/auth/refresh', { body: { refresh: token } });
  const me = (token: string) => ctx.request('GET', '/api/auth/me', { token });

  it('a user still holding the emailed password may only read /me, change it, refresh and sign out: everything else is 403 saying so', async () => {
    const user = await ctx.createUser('member');
    await ctx.db.sql`update users set must_change_password = true where id = ${user.id}`;
    const tokens = await signIn(user);

    for (const [method, path] of [
      ['GET', '/api/bookings/'],
      ['GET', '/api/venues/'],
      ['GET', '/api/notifications/'],
      ['POST', '/api/notifications/stream_ticket/'],
      ['GET', '/api/waitlist/my_waitlist/'],
    ] as const) {
      const refused = await ctx.request(method, path, { token: tokens.access });
      assert.equal(refused.status, 403, `${method} ${path}`);
      assert.match(await errorOf(refused), /Change the emailed password first/);
    }
    const stream = await ctx.request('GET', '/api/notifications/stream', { token: tokens.access });
    assert.equal(stream.status, 403, 'the stream with a bearer token');

    const who = await me(tokens.access);
    assert.equal(who.status, 200);
    assert.equal(((await who.json()) as { must_change_password: boolean }).must_change_password, true);
    const refreshed = await refresh(tokens.refresh);
    assert.equal(refreshed.status, 200, 'refresh still works');
    const { access } = (await refreshed.json()) as Tokens;

    const changed = await ctx.request('POST', '/api/auth/change_password', {
      token: access,
      body: { old_password: user.password, new_password: 'a-passphrase-of-my-own' },
    });
    assert.equal(changed.status, 200);
    const fresh = (await changed.json()) as Tokens & { message: string };
    assert.ok(fresh.access && fresh.refresh, 'the caller gets a new session');
    assert.equal(
      (await ctx.request('GET', '/api/bookings/', { token: fresh.access })).status,
      200,
      'everything opens after the change',
    );
    assert.equal((await me(access)).status, 401, 'the session made with the emailed password ended');
  });

  it('a must-change user may sign out', async () => {
    const user = await ctx.createUser('member');
    await ctx.db.sql`update users set must_change_password = true where id = ${user.id}`;
    const tokens = await signIn(user);
    assert.equal((await ctx.request('POST', '/api/auth/logout', { token: tokens.access })).status, 200);
    assert.equal((await me(tokens.access)).status, 401);
  });

  it("sign-out ends every access and refresh token of the user, on every device, and no one else's", async () => {
    const user = await ctx.createUser('member');
    const other = await ctx.createUser('member');
    const [laptop, phone] = [await signIn(user), await signIn(user)];
    const logout = await ctx.request('POST', '/api/auth/logout/', { token: laptop.access });
    assert.equal(logout.status, 200);
    for (const session of [laptop, phone]) {
      const refused = await me(session.access);
      assert.equal(refused.status, 401);
      assert.match(await errorOf(refused), /session has ended/);
      assert.equal((await refresh(session.refresh)).status, 401);
    }
    assert.equal((await ctx.request('POST', '/api/auth/logout', {})).status, 401, 'sign-out needs a token');
    assert.equal((await me(other.token)).status, 200);
    assert.equal((await me((await signIn(user)).access)).status, 200, 'signing in again works');
  });

  it("a refresh token works once: it is exchanged for the next one, which keeps the session's expiry", async () => {
    const user = await ctx.createUser('member');
    const first = await signIn(user);
    const answer = await refresh(first.refresh);
    assert.equal(answer.status, 200);
    const second = (await answer.json()) as Tokens;
    assert.notEqual(second.refresh, first.refresh);
    assert.equal((await me(second.access)).status, 200);
    assert.equal(decodeJwt(second.refresh).exp, decodeJwt(first.refresh).exp, 'rotation never lengthens the session');
    assert.equal(decodeJwt(second.refresh).fam, decodeJwt(first.refresh).fam);
    const third = (await (await refresh(second.refresh)).json()) as Tokens;
    assert.equal((await me(third.access)).status, 200);
    const family = String(decodeJwt(first.refresh).fam);
    const rows = await ctx.db.sql<
      { used: boolean }[]
    >`select used_at is not null as used from refresh_tokens where family = ${family} order by created_at`;
    assert.deepEqual(
      rows.map((row) => row.used),
      [true, true, false],
    );
  });

  it('an already-rotated refresh token presented again is theft: 401, and every session of the user ends', async () => {
    const user = await ctx.createUser('member');
    const stolen = await signIn(user);
    const elsewhere = await signIn(user);
    const rotated = (await (await refresh(stolen.refresh)).json()) as Tokens;

    const replay = await refresh(stolen.refresh);
    assert.equal(replay.status, 401);
    assert.match(await errorOf(replay), /already used/);
    for (const token of [rotated.access, elsewhere.access, stolen.access]) assert.equal((await me(token)).status, 401);
    for (const token of [rotated.refresh, elsewhere.refresh]) assert.equal((await refresh(token)).status, 401);
    assert.equal((await me((await signIn(user)).access)).status, 200, 'the owner signs in again');
  });

  it('a password change ends every older access and refresh token', async () => {
    const user = await ctx.createUser('member');
    const other = await signIn(user);
    const changed = await ctx.request('POST', '/api/auth/change_password', {
      token: user.token,
      body: { old_password: user.password, new_password: 'another-long-passphrase' },
    });
    assert.equal(changed.status, 200);
    const fresh = (await changed.json()) as Tokens;
    for (const token of [user.token, other.access]) assert.equal((await me(token)).status, 401);
    assert.equal((await refresh(other.refresh)).status, 401);
    assert.equal((await me(fresh.access)).status, 200);
    assert.equal((await refresh(fresh.refresh)).status, 200);
  });

  it("a role change and a deactivation end the user's tokens; a name change does not", async () => {
    const user = await ctx.createUser('member');
    const session = await signIn(user);
    const patch = (body: Record<string, unknown>) =>
      ctx.request('PATCH', `/api/users/${user.id}/`, { token: admin.token, body });

    assert.equal((await patch({ full_name: 'Renamed' })).status, 200);
    assert.equal((await me(session.access)).status, 200, 'a new name leaves sessions alone');

    assert.equal((await patch({ role: 'hall_admin' })).status, 200);
    assert.equal((await me(session.access)).status, 401, 'tokens issued under the old role ended');
    assert.equal((await refresh(session.refresh)).status, 401);

    const again = await signIn(user);
    assert.equal(decodeJwt(again.access).role, 'hall_admin');
    assert.equal((await patch({ is_active: false })).status, 200);
    assert.equal((await refresh(again.refresh)).status, 401);
    assert.equal((await patch({ is_active: true })).status, 200);
    assert.equal((await me(again.access)).status, 401, 'reactivation does not revive tokens from before');
  });

  it("email action links are capabilities, not sessions: a booking's Confirm and Cancel links still work after signing out everywhere and a password change; a deactivation ends them", async () => {
    const member = await ctx.createUser('member');
    const booked = async () => {
      const venue = await given(ctx).venue();
      const { booking } = await given(ctx).booking(member, venue, { aheadMs: 3 * 86_400_000 });
      const [{ schedule_version }] = await ctx.db.sql<[{ schedule_version: number }]>`
        select schedule_version from bookings where id = ${booking.id}`;
      return { id: booking.id, scheduleVersion: schedule_version };
    };
    // Signed as the reminder and booking emails sign them: one action, one booking, its schedule version.
    const linkFor = (action: LinkAction, booking: { id: number; scheduleVersion: number }) =>
      signActionToken(
        ctx.deps.keys.action,
        { action, targetId: booking.id, userId: member.id, scheduleVersion: booking.scheduleVersion },
        new Date(Date.now() + 3 * 86_400_000),
      );
    const press = async (token: string) => (await ctx.app.request(`/actions/${token}`, { method: 'POST' })).status;
    const state = async (id: number) =>
      (
        await ctx.db.sql<[{ status: string; confirmed: boolean }]>`
          select status, confirmed from bookings where id = ${id}`
      )[0];

    const [first, second, third] = [await booked(), await booked(), await booked()];
    const [confirm, cancel, later] = [
      await linkFor('confirm', first),
      await linkFor('cancel', second),
      await linkFor('cancel', third),
    ];
    assert.equal((await ctx.request('POST', '/api/auth/logout', { token: member.token })).status, 200);
    const { access } = await signIn(member);
    const changed = await ctx.request('POST', '/api/auth/change_password', {
      token: access,
      body: { old_password: member.password, new_password: 'a-passphrase-after-sign-out' },
    });
    assert.equal(changed.status, 200);

    assert.equal(await press(confirm), 200);
    assert.deepEqual(await state(first.id), { status: 'active', confirmed: true });
    assert.equal(await press(cancel), 200);
    assert.equal((await state(second.id)).status, 'cancelled');

    await ctx.request('PATCH', `/api/users/${member.id}`, { token: admin.token, body: { is_active: false } });
    assert.equal(await press(later), 410, 'a closed account acts on nothing');
  });

  it('documents logout, the rotated refresh answer and the 429 of sign-in in /openapi.json', async () => {
    const doc = (await (await ctx.request('GET', '/openapi.json')).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    const path = (p: string) => doc.paths[p] ?? doc.paths[`${p}/`];
    assert.ok(path('/api/auth/logout')?.post, 'POST /api/auth/logout is documented');
    assert.ok(path('/api/auth/login')?.post?.responses['429'], 'login documents 429');
    assert.ok(path('/api/auth/change_password')?.post?.responses['429'], 'change_password documents 429');
    for (const route of ['/api/auth/login', '/api/auth/change_password'])
      assert.match(
        JSON.stringify(path(route)?.post?.responses['503']),
        /Too many sign-ins at once.*Retry-After/,
        `${route} documents the 503 of a full line for password checks`,
      );
    assert.ok(path('/api/bookings')?.get?.responses['403'], 'every signed-in route documents 403');
  });

  describe("the browser's session: the refresh token in a cookie script cannot read", () => {
    /** The Set-Cookie header for the refresh cookie, parsed into its attributes. */
    function refreshCookieOf(
      response: Response,
      name = 'bookit_refresh',
    ): { value: string; attributes: Map<string, string> } | undefined {
      const line = response.headers.getSetCookie().find((header) => header.startsWith(`${name}=`));
      if (!line) return undefined;
      const [pair, ...rest] = line.split(/;\s*/);
      const attributes = new Map(
        rest.map((part) => {
          const [name, ...value] = part.split('=');
          return [name!.toLowerCase(), value.join('=')] as const;
        }),
      );
      return { value: pair!.slice(name.length + 1), attributes };
    }
    const cookieRefresh = (cookie: string) =>
      ctx.request('POST', '/api/auth/refresh', { body: {}, headers: { cookie: `bookit_refresh=${cookie}` } });

    it("signing in with refresh_in: cookie answers no refresh token, and sets it HttpOnly, SameSite=Strict, scoped to the refresh route, for the session's life", async () => {
      const user = await ctx.createUser('member');
      const response = await ctx.request('POST', '/api/auth/login', {
        body: { email: user.email, password: user.password, refresh_in: 'cookie' },
      });
      assert.equal(response.status, 200);
      const body = (await response.json()) as Partial<Tokens> & { user: { id: number } };
      assert.ok(body.access);
      assert.equal(body.refresh, undefined, 'the refresh token is not in the JSON');
      assert.equal(body.user.id, user.id);
      const cookie = refreshCookieOf(response);
      assert.ok(cookie, 'a bookit_refresh cookie is set');
      assert.equal(decodeJwt(cookie.value).sub, String(user.id), "the cookie holds the user's refresh token");
      assert.ok(cookie.attributes.has('httponly'));
      assert.equal(cookie.attributes.get('samesite'), 'Strict');
      assert.equal(cookie.attributes.get('path'), '/api/auth/refresh');
      assert.ok(!cookie.attributes.has('secure'), 'not Secure while the public URL is http');
      const maxAge = Number(cookie.attributes.get('max-age'));
      assert.ok(maxAge > 6 * 86_400 && maxAge <= 7 * 86_400, `Max-Age is the session's life (${maxAge} s)`);
      // Beside it, a hint page script can read (no secret in it): a session may be there to resume.
      const hint = response.headers.getSetCookie().find((header) => header.startsWith('bookit_session='));
      assert.ok(hint, 'a bookit_session hint is set');
      assert.match(hint, /^bookit_session=1;/);
      assert.doesNotMatch(hint, /HttpOnly/i);
      assert.match(hint, /Path=\/;/);
      assert.match(hint, new RegExp(`Max-Age=${maxAge}`));
    });

    it('a refresh with the cookie answers a new access token and replaces the cookie; the old cookie is then theft and ends every session', async () => {
      const user = await ctx.createUser('member');
      const login = await ctx.request('POST', '/api/auth/login', {
        body: { email: user.email, password: user.password, refresh_in: 'cookie' },
      });
      const first = refreshCookieOf(login)!.value;

      const refreshed = await cookieRefresh(first);
      assert.equal(refreshed.status, 200);
      const body = (await refreshed.json()) as Partial<Tokens>;
      assert.ok(body.access);
      assert.equal(body.refresh, undefined);
      const next = refreshCookieOf(refreshed)!.value;
      assert.notEqual(next, first);
      assert.equal((await me(body.access!)).status, 200);

      const replayed = await cookieRefresh(first);
      assert.equal(replayed.status, 401);
      assert.match(await errorOf(replayed), /already used/);
      assert.equal(refreshCookieOf(replayed)?.attributes.get('max-age'), '0', 'a refused cookie is removed');
      assert.equal((await cookieRefresh(next)).status, 401, 'the reuse ended the newer session too');
    });

    it('without a token in the body or a cookie, refresh is a 401 that says what to send', async () => {
      const response = await ctx.request('POST', '/api/auth/refresh', { body: {} });
      assert.equal(response.status, 401);
      assert.match(await errorOf(response), /No refresh token/);
    });

    it("a password change with refresh_in: cookie sets the new session's cookie; sign-out removes it", async () => {
      const user = await ctx.createUser('member');
      const login = await ctx.request('POST', '/api/auth/login', {
        body: { email: user.email, password: user.password, refresh_in: 'cookie' },
      });
      const { access } = (await login.json()) as Tokens;
      const changed = await ctx.request('POST', '/api/auth/change_password', {
        token: access,
        body: { old_password: user.password, new_password: 'a much longer new password', refresh_in: 'cookie' },
      });
      assert.equal(changed.status, 200);
      const answer = (await changed.json()) as Partial<Tokens>;
      assert.equal(answer.refresh, undefined);
      const cookie = refreshCookieOf(changed)!.value;
      assert.equal(
        (await cookieRefresh(refreshCookieOf(login)!.value)).status,
        401,
        'the session before the change ended',
      );

      const loggedOut = await ctx.request('POST', '/api/auth/logout', { token: answer.access! });
      assert.equal(loggedOut.status, 200);
      const removed = refreshCookieOf(loggedOut);
      assert.equal(removed?.attributes.get('max-age'), '0');
      assert.equal(removed?.attributes.get('path'), '/api/auth/refresh');
      assert.ok(
        loggedOut.headers.getSetCookie().some((header) => /^bookit_session=;.*Max-Age=0/.test(header)),
        'the hint goes with it',
      );
      assert.equal((await cookieRefresh(cookie)).status, 401);
    });

    it('over https the cookie is __Secure-bookit_refresh: Secure, still scoped to the refresh route, no Domain, and only that name is read', async () => {
      const secure = await createTestContext({ PUBLIC_BASE_URL: 'https://bookit.example.com' });
      const refreshWith = (cookie: string) =>
        secure.request('POST', '/api/auth/refresh', { body: {}, headers: { cookie } });
      try {
        const user = await secure.createUser('member');
        const login = await secure.request('POST', '/api/auth/login', {
          body: { email: user.email, password: user.password, refresh_in: 'cookie' },
        });
        assert.equal(refreshCookieOf(login), undefined, 'no unprefixed cookie');
        const cookie = refreshCookieOf(login, '__Secure-bookit_refresh');
        assert.ok(cookie, 'the __Secure- prefixed cookie is set');
        assert.ok(cookie.attributes.has('secure'));
        assert.ok(cookie.attributes.has('httponly'));
        assert.equal(cookie.attributes.get('path'), '/api/auth/refresh');
        assert.ok(!cookie.attributes.has('domain'));

        // A cookie without the prefix could have been planted over plain http: it is not read here.
        assert.equal((await refreshWith(`bookit_refresh=${cookie.value}`)).status, 401);
        const refreshed = await refreshWith(`__Secure-bookit_refresh=${cookie.value}`);
        assert.equal(refreshed.status, 200);
        assert.ok(refreshCookieOf(refreshed, '__Secure-bookit_refresh'), 'replaced under the same name');
        const { access } = (await refreshed.json()) as Tokens;
        const loggedOut = await secure.request('POST', '/api/auth/logout', { token: access });
        assert.equal(refreshCookieOf(loggedOut, '__Secure-bookit_refresh')?.attributes.get('max-age'), '0');
      } finally {
        await secure.close();
      }
    });
  });
});
