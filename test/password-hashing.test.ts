import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { hashPassword, needsRehash, verifyPassword } from '../src/auth/passwords';
import { loadConfig } from '../src/config/config';
import { createTestContext, uniqueEmail, type TestContext } from './support/context';

describe("password hashes: scrypt at OWASP's cost, parameters kept with each hash, old hashes upgraded", () => {
  let ctx: TestContext;

  before(async () => {
    // One step above the test runner's cost, so a hash made at the runner's cost is "old" here.
    ctx = await createTestContext({ PASSWORD_HASH_COST: '15' });
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
});
