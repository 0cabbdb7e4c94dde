import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  hashPassword,
  MAX_CONCURRENT_HASHES,
  needsRehash,
  takeHashingPlace,
  verifyPassword,
} from '../src/auth/passwords';
import { loadConfig } from '../src/config/config';
import { createTestContext, given, uniqueEmail, type TestContext } from './support';

/** Sign-ins that may wait for a hash beyond the ones running, in this file. */
const QUEUE = 4;

describe("password hashes: scrypt at OWASP's cost, parameters kept with each hash, old hashes upgraded", () => {
  let ctx: TestContext;

  before(async () => {
    // One step above the test runner's cost, so a hash made at the runner's cost is "old" here.
    ctx = await createTestContext({ PASSWORD_HASH_COST: '15', PASSWORD_HASH_QUEUE: String(QUEUE) });
  });
  after(() => ctx.close());

  it("new hashes default to N=2^17, r=8, p=1 (OWASP's minimum for scrypt), and the setting is bounded", () => {
    const base = { NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(40) };
    assert.equal(loadConfig(base).auth.passwordHashCost, 17);
    assert.equal(loadConfig({ ...base, PASSWORD_HASH_COST: '14' }).auth.passwordHashCost, 14);
    assert.throws(() => loadConfig({ ...base, PASSWORD_HASH_COST: '9' }), /PASSWORD_HASH_COST must be from 10 to 20/);
    assert.throws(() => loadConfig({ ...base, PASSWORD_HASH_COST: '21' }), /PASSWORD_HASH_COST/);
  });

  it("hashes and verifies at N=2^17 (128 MiB, above Node's default memory limit), storing scrypt$N$r$p$salt$hash", async () => {
    const hash = await hashPassword('correct horse battery', 17);
    assert.match(hash, /^scrypt\$131072\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    assert.equal(await verifyPassword('correct horse battery', hash, 17), true);
    assert.equal(await verifyPassword('correct horse batterY', hash, 17), false);
    assert.equal(needsRehash(hash, 17), false);
  });

  it('verifies a hash made with the old parameters (N=2^14), and rehashes it at the configured cost on the next successful sign-in only', async () => {
    const email = uniqueEmail('legacy');
    const password = `pw-${randomBytes(9).toString('base64url')}`;
    const old = await hashPassword(password, 14);
    await ctx.db
      .sql`insert into users (email, full_name, password_hash, must_change_password) values (${email}, 'Lee Legacy', ${old}, false)`;
    const storedHash = async () =>
      (await ctx.db.sql<{ password_hash: string }[]>`select password_hash from users where email = ${email}`)[0]!
        .password_hash;

    assert.equal(
      (await ctx.request('POST', '/api/auth/login', { body: { email, password: 'wrong-password' } })).status,
      401,
    );
    assert.equal(await storedHash(), old, 'a failed sign-in changes nothing');

    assert.equal((await ctx.request('POST', '/api/auth/login', { body: { email, password } })).status, 200);
    const upgraded = await storedHash();
    assert.match(upgraded, /^scrypt\$32768\$8\$1\$/, 'rehashed at the configured N=2^15');
    assert.equal(
      (await ctx.request('POST', '/api/auth/login', { body: { email, password } })).status,
      200,
      'the same password works against the new hash',
    );
    assert.equal(await storedHash(), upgraded, 'an up-to-date hash is left alone');
  });

  it('waits in a bounded line: 32 unless PASSWORD_HASH_QUEUE says otherwise', () => {
    const base = { NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(40) };
    assert.equal(loadConfig(base).auth.passwordHashQueue, 32);
    assert.equal(ctx.config.auth.passwordHashQueue, QUEUE);
    assert.throws(() => loadConfig({ ...base, PASSWORD_HASH_QUEUE: 'lots' }), /PASSWORD_HASH_QUEUE/);
  });

  it('with the line full, a sign-in is answered 503 at once, with Retry-After and the JSON error the sign-in page shows, and counts against nothing', async () => {
    const user = await given(ctx).member();
    const held = Array.from({ length: MAX_CONCURRENT_HASHES + QUEUE }, () => takeHashingPlace(QUEUE));
    try {
      assert.ok(held.every(Boolean), 'the line had room for every holder');
      assert.equal(takeHashingPlace(QUEUE), null, 'and no more');
      const refused = await ctx.request('POST', '/api/auth/login', {
        body: { email: user.email, password: user.password },
      });
      assert.equal(refused.status, 503);
      assert.match(refused.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
      const body = (await refused.json()) as { error: string };
      assert.deepEqual(Object.keys(body), ['error']);
      assert.match(body.error, /Too many sign-ins at once; try again in \d+ seconds/);
      const [{ count }] = await ctx.db.sql<[{ count: number }]>`
        select count(*)::int from sign_in_throttle
        where key like ${`%${user.email.toLowerCase()}%`} and key not like 'known:%'`;
      assert.equal(count, 0, 'the throttle never saw it');

      const change = await ctx.request('POST', '/api/auth/change_password', {
        token: user.token,
        body: { old_password: user.password, new_password: 'another-long-passphrase' },
      });
      assert.equal(change.status, 503, 'a password change waits in the same line');
    } finally {
      for (const release of held) release?.();
    }
    assert.equal(
      (await ctx.request('POST', '/api/auth/login', { body: { email: user.email, password: user.password } })).status,
      200,
      'places freed, it signs in',
    );
  });

  it('a flood of correct sign-ins: each is signed in or told 503 at once, and none waits in an unbounded line', async () => {
    // Ten people signing in four times each: under the five attempts one client may have in flight per account.
    const people = await Promise.all(Array.from({ length: 10 }, () => given(ctx).member()));
    const statuses = await Promise.all(
      people.flatMap((user) =>
        Array.from({ length: 4 }, () =>
          ctx
            .request('POST', '/api/auth/login', { body: { email: user.email, password: user.password } })
            .then((response) => response.status),
        ),
      ),
    );
    const signedIn = statuses.filter((status) => status === 200).length;
    assert.deepEqual([...new Set(statuses)].sort(), [200, 503], `answers ${statuses.join(' ')}`);
    assert.ok(signedIn >= MAX_CONCURRENT_HASHES + QUEUE, `${signedIn} signed in: every place was used`);
  });
});
