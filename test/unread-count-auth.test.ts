import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { insertNotification } from '../src/notices/inbox';
import { createTestContext, type TestContext, type TestUser } from './support/context';

// GET unread_count admits its caller from the same query that counts (one round trip), not through
// the shared middleware: it must refuse exactly whom every other route refuses, at once.
describe('GET /api/notifications/unread_count refuses at once whom every route refuses', () => {
  let ctx: TestContext;
  let admin: TestUser;

  before(async () => {
    ctx = await createTestContext();
    admin = await ctx.createUser('super_admin');
  });
  after(() => ctx.close());

  const unreadCount = (token?: string) =>
    ctx.request('GET', '/api/notifications/unread_count', token === undefined ? {} : { token });
  const errorOf = async (response: Response) => ((await response.json()) as { error: string }).error;
  const patch = (user: TestUser, body: Record<string, unknown>) =>
    ctx.request('PATCH', `/api/users/${user.id}/`, { token: admin.token, body });

  async function withUnread(count: number): Promise<TestUser> {
    const user = await ctx.createUser('member');
    for (let n = 0; n < count; n++) {
      await insertNotification(ctx.db.sql, {
        userId: user.id,
        type: 'system',
        title: 'Notice',
        message: 'Body',
        eventKey: `test:${randomBytes(8).toString('hex')}`,
      });
    }
    return user;
  }

  it("counts only the caller's unread notifications", async () => {
    const user = await withUnread(3);
    await withUnread(2);
    const answer = await unreadCount(user.token);
    assert.equal(answer.status, 200);
    assert.deepEqual(await answer.json(), { unread_count: 3 });
  });

  it('401 without a token, with a tampered one, and for a user who does not exist', async () => {
    const user = await withUnread(1);
    assert.equal((await unreadCount()).status, 401);
    assert.equal((await unreadCount(`${user.token.slice(0, -2)}xx`)).status, 401);
    await ctx.db.sql`delete from users where id = ${user.id}`;
    assert.equal((await unreadCount(user.token)).status, 401);
  });

  it('401 once the user is deactivated, and still after reactivation (the token version moved)', async () => {
    const user = await withUnread(1);
    assert.equal((await unreadCount(user.token)).status, 200);
    assert.equal((await patch(user, { is_active: false })).status, 200);
    assert.equal((await unreadCount(user.token)).status, 401);
    assert.equal((await patch(user, { is_active: true })).status, 200);
    assert.equal((await unreadCount(user.token)).status, 401);
  });

  it('401 once the token version moves: a sign-out, a role change', async () => {
    const signedOut = await withUnread(1);
    assert.equal((await ctx.request('POST', '/api/auth/logout', { token: signedOut.token })).status, 200);
    assert.equal((await unreadCount(signedOut.token)).status, 401);

    const promoted = await withUnread(1);
    assert.equal((await patch(promoted, { role: 'hall_admin' })).status, 200);
    assert.equal((await unreadCount(promoted.token)).status, 401);
  });

  it('401 for a deactivation made straight in the database, with no request in between', async () => {
    const user = await withUnread(1);
    await ctx.db.sql`update users set is_active = false where id = ${user.id}`;
    assert.equal((await unreadCount(user.token)).status, 401);
  });

  it('403 while the user must still replace an emailed password', async () => {
    const user = await withUnread(1);
    await ctx.db.sql`update users set must_change_password = true where id = ${user.id}`;
    const refused = await unreadCount(user.token);
    assert.equal(refused.status, 403);
    assert.match(await errorOf(refused), /Change the emailed password first/);
  });
});
