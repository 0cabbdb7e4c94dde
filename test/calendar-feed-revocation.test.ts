import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestContext, given, type TestContext, type TestUser } from './support';

describe('calendar feed links end with the sessions and the venue assignments they were made under', () => {
  let ctx: TestContext;
  let superAdmin: TestUser;

  before(async () => {
    ctx = await createTestContext();
    superAdmin = await given(ctx).superAdmin();
  });
  after(() => ctx.close());

  async function newFeed(who: TestUser, venueId?: number): Promise<string> {
    const response = await ctx.request('POST', '/api/calendar/feeds', {
      token: who.token,
      body: venueId === undefined ? {} : { venue_id: venueId },
    });
    assert.equal(response.status, 201, await response.clone().text());
    return ((await response.json()) as { url: string }).url;
  }

  /** As a calendar app fetches it: no header, the URL is the credential. */
  const fetched = async (url: string) => (await ctx.app.request(new URL(url).pathname)).status;

  const liveFeeds = async (who: TestUser) => {
    const response = await ctx.request('GET', '/api/calendar/feeds', { token: who.token });
    return response.status === 200 ? ((await response.json()) as unknown[]).length : response.status;
  };

  async function signIn(who: TestUser): Promise<TestUser> {
    const response = await ctx.request('POST', '/api/auth/login', {
      body: { email: who.email, password: who.password },
    });
    assert.equal(response.status, 200);
    return { ...who, token: ((await response.json()) as { access: string }).access };
  }

  it('signing out everywhere turns off every feed link of the user, personal and venue; a link made afterwards works', async () => {
    const venue = await given(ctx).venue();
    const admin = await given(ctx).hallAdmin(venue);
    const [personal, venueFeed] = [await newFeed(admin), await newFeed(admin, venue.id)];
    assert.deepEqual([await fetched(personal), await fetched(venueFeed)], [200, 200]);

    assert.equal((await ctx.request('POST', '/api/auth/logout', { token: admin.token })).status, 200);
    assert.deepEqual([await fetched(personal), await fetched(venueFeed)], [404, 404]);

    const again = await signIn(admin);
    assert.equal(await liveFeeds(again), 0, 'none left to list');
    assert.equal(await fetched(await newFeed(again)), 200);
  });

  it('a password change turns them off too', async () => {
    const member = await given(ctx).member();
    const feed = await newFeed(member);
    const changed = await ctx.request('POST', '/api/auth/change_password', {
      token: member.token,
      body: { old_password: member.password, new_password: 'a-brand-new-passphrase' },
    });
    assert.equal(changed.status, 200);
    assert.equal(await fetched(feed), 404);
  });

  it('a deactivation turns them off, and reactivating the account brings none back', async () => {
    const member = await given(ctx).member();
    const feed = await newFeed(member);
    for (const is_active of [false, true]) {
      const changed = await ctx.request('PATCH', `/api/users/${member.id}`, {
        token: superAdmin.token,
        body: { is_active },
      });
      assert.equal(changed.status, 200);
    }
    assert.equal(await fetched(feed), 404);
  });

  it("a hall admin taken off a venue loses that venue's feed for good: deleted, and dead when they are assigned again", async () => {
    const [venue, other] = [await given(ctx).venue(), await given(ctx).venue()];
    const admin = await given(ctx).hallAdmin(venue);
    await ctx.request('POST', `/api/venues/${other.id}/assign_admin/`, {
      token: superAdmin.token,
      body: { user_id: admin.id },
    });
    const [venueFeed, otherFeed, personal] = [
      await newFeed(admin, venue.id),
      await newFeed(admin, other.id),
      await newFeed(admin),
    ];
    const feedRows = async (venueId: number) =>
      (
        await ctx.db.sql<[{ count: number }]>`
          select count(*)::int from calendar_feeds where user_id = ${admin.id} and venue_id = ${venueId}`
      )[0].count;

    const dismissed = await ctx.request('DELETE', `/api/venues/${venue.id}/admins/${admin.id}`, {
      token: superAdmin.token,
    });
    assert.equal(dismissed.status, 200);
    assert.equal(await feedRows(venue.id), 0, "the venue's feed is deleted");
    assert.deepEqual([await fetched(otherFeed), await fetched(personal)], [200, 200], 'the others go on');

    const assign = (venueId: number) =>
      ctx.request('POST', `/api/venues/${venueId}/assign_admin/`, {
        token: superAdmin.token,
        body: { user_id: admin.id },
      });
    assert.equal((await assign(venue.id)).status, 200);
    assert.equal(await fetched(venueFeed), 404, 'assigned again, the old link stays dead');

    // A demotion takes every venue, and their feeds, with it; a promotion and new assignments bring none back.
    const demote = await ctx.request('PATCH', `/api/users/${admin.id}`, {
      token: superAdmin.token,
      body: { role: 'member' },
    });
    assert.equal(demote.status, 200);
    assert.equal(await feedRows(other.id), 0);
    await ctx.request('PATCH', `/api/users/${admin.id}`, { token: superAdmin.token, body: { role: 'hall_admin' } });
    assert.equal((await assign(other.id)).status, 200);
    assert.equal(await fetched(otherFeed), 404);
    assert.equal(await fetched(personal), 200, 'the personal feed is not a venue assignment');
  });

  it("a venue feed made before its owner's current assignment began never opens, whatever path removed the earlier one", async () => {
    const venue = await given(ctx).venue();
    const admin = await given(ctx).hallAdmin(venue);
    const feed = await newFeed(admin, venue.id);
    // Removed and added again without the API (an import, a script): the feed row is still there.
    await ctx.db.sql`delete from venue_admins where venue_id = ${venue.id} and user_id = ${admin.id}`;
    await ctx.db.sql`insert into venue_admins (venue_id, user_id) values (${venue.id}, ${admin.id})`;
    assert.equal(await fetched(feed), 404);
    assert.equal(await fetched(await newFeed(admin, venue.id)), 200, 'a link made under this assignment opens');
  });
});
