import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  createTestContext,
  eventually,
  given,
  uniqueEmail,
  withWorker,
  type TestContext,
  type TestUser,
} from './support';
import type { ReceivedEmail } from './support';

interface ListedUser {
  id: number;
  email: string;
  full_name: string;
  role: string;
  status: string;
  last_signed_in_at: string | null;
}

const passwordIn = (mail: ReceivedEmail) => /Password:\s*(\S+)/.exec(mail.text)?.[1] ?? '';
const isWelcome = (mail: ReceivedEmail) => /welcome/i.test(mail.subject);

describe('the users list for super admins: search, role and status filters, and the welcome sent again', () => {
  let ctx: TestContext;
  let admin: TestUser;

  before(async () => {
    ctx = await createTestContext();
    await withWorker(ctx);
    admin = await ctx.createUser('super_admin');
  });
  after(() => ctx.close());

  const list = async (query: string) => {
    const answer = await ctx.request('GET', `/api/users?${query}`, { token: admin.token });
    assert.equal(answer.status, 200, await answer.clone().text());
    return { users: (await answer.json()) as ListedUser[], link: answer.headers.get('link') };
  };
  const signIn = (email: string, password: string) =>
    ctx.request('POST', '/api/auth/login', { body: { email, password } });
  const resend = (id: number, token = admin.token) => ctx.request('POST', `/api/users/${id}/resend_welcome`, { token });

  /** A person the super admin created through the API; their first welcome email has arrived. */
  async function welcomed(fullName: string) {
    const email = uniqueEmail('resend');
    const created = await ctx.request('POST', '/api/users', {
      token: admin.token,
      body: { email, full_name: fullName, role: 'member' },
    });
    assert.equal(created.status, 201, await created.clone().text());
    const { id } = (await created.json()) as { id: number };
    const first = await ctx.mailbox.waitFor(email, isWelcome, 30_000);
    return { id, email, firstPassword: passwordIn(first) };
  }

  /** The welcome emails `email` has received, once `count` have come. */
  const welcomesTo = (email: string, count: number) =>
    eventually(async () => {
      const welcomes = (await ctx.mailbox.to(email)).filter(isWelcome);
      return welcomes.length >= count ? welcomes : undefined;
    }, `${count} welcome emails to ${email}`);

  it('finds users by part of their name or email in any case (trimmed), by role and by status, pages keep the filters, and bad filters are 400 naming the field', async () => {
    const tag = randomBytes(3).toString('hex');
    const make = given(ctx);
    const ada = await make.member({ fullName: `Ada Lovelace ${tag}`, email: `ada.${tag}@example.test` });
    const grace = await make.hallAdmin(undefined, {
      fullName: `Grace Hopper ${tag}`,
      email: `grace.${tag}@example.test`,
    });
    const newcomer = await make.newcomer({ fullName: `Nia Newcomer ${tag}`, email: `nia.${tag}@example.test` });
    const gone = await make.member({ fullName: `Dora Gone ${tag}`, email: `dora.${tag}@example.test` });
    const deactivated = await ctx.request('PATCH', `/api/users/${gone.id}`, {
      token: admin.token,
      body: { is_active: false },
    });
    assert.equal(deactivated.status, 200);

    const names = (users: ListedUser[]) => users.map((user) => user.full_name);
    const everyone = await list(`q=${encodeURIComponent(`  ${tag.toUpperCase()} `)}`);
    assert.deepEqual(
      names(everyone.users),
      [`Dora Gone ${tag}`, `Nia Newcomer ${tag}`, `Grace Hopper ${tag}`, `Ada Lovelace ${tag}`],
      'the name, any case, trimmed; newest first',
    );
    assert.deepEqual(names((await list(`q=LOVELACE%20${tag}`)).users), [`Ada Lovelace ${tag}`], 'part of a name');
    assert.deepEqual(names((await list(`q=grace.${tag}%40`)).users), [`Grace Hopper ${tag}`], 'part of an address');
    assert.deepEqual((await list(`q=%25${tag}`)).users, [], 'a % is only itself, not a wildcard');
    assert.deepEqual(names((await list(`q=${tag}&role=hall_admin`)).users), [`Grace Hopper ${tag}`]);

    const byStatus = async (status: string) => (await list(`q=${tag}&status=${status}`)).users;
    assert.deepEqual(names(await byStatus('never_signed_in')), [`Nia Newcomer ${tag}`]);
    assert.deepEqual(names(await byStatus('deactivated')), [`Dora Gone ${tag}`]);
    assert.deepEqual(names(await byStatus('active')), [`Grace Hopper ${tag}`, `Ada Lovelace ${tag}`]);
    const [listedAda] = (await list(`q=ada.${tag}`)).users;
    assert.equal(listedAda?.status, 'active');
    assert.ok(listedAda?.last_signed_in_at, 'signing in is recorded');
    const [listedNia] = (await list(`q=nia.${tag}`)).users;
    assert.deepEqual([listedNia?.status, listedNia?.last_signed_in_at], ['never_signed_in', null]);
    assert.equal(listedNia?.id, newcomer.id);

    // Pages of one: the next link carries the search, and the second page continues it.
    const first = await list(`q=${tag}&status=active&limit=1`);
    assert.deepEqual(names(first.users), [`Grace Hopper ${tag}`]);
    const next = /^<([^>]+)>; rel="next"$/.exec(first.link ?? '')?.[1];
    assert.ok(next, `a next link (${first.link})`);
    assert.match(next, new RegExp(`q=${tag}`));
    assert.match(next, /status=active/);
    const second = await ctx.request('GET', next, { token: admin.token });
    assert.deepEqual(names((await second.json()) as ListedUser[]), [`Ada Lovelace ${tag}`]);
    assert.equal(second.headers.get('link'), null, 'the last page');
    assert.equal(grace.role, 'hall_admin');
    assert.ok(ada.id < grace.id);

    for (const [query, field] of [
      ['role=emperor', /role/],
      ['status=sleeping', /status/],
      [`q=${'x'.repeat(201)}`, /q/],
    ] as const) {
      const bad = await ctx.request('GET', `/api/users?${query}`, { token: admin.token });
      assert.equal(bad.status, 400, query);
      assert.match(((await bad.json()) as { error: string }).error, field);
    }
  });

  it('a welcome sent again carries a new password that signs in, and the first one no longer does; two clicks at once send one', async () => {
    const person = await welcomed('Wendy Welcome');

    const [one, two] = await Promise.all([resend(person.id), resend(person.id)]);
    assert.deepEqual([one.status, two.status].sort(), [202, 409], 'one of two requests at once is taken');
    const refused = (one.status === 409 ? one : two).clone();
    assert.match(((await refused.json()) as { error: string }).error, /less than a minute ago/);
    const accepted = (await (one.status === 202 ? one : two).json()) as ListedUser;
    assert.deepEqual([accepted.id, accepted.status], [person.id, 'never_signed_in']);

    const [, again] = await welcomesTo(person.email, 2);
    const newPassword = passwordIn(again!);
    assert.ok(newPassword && newPassword !== person.firstPassword, 'a new password');
    assert.equal((await signIn(person.email, person.firstPassword)).status, 401, 'the first password is refused');
    assert.equal((await signIn(person.email, newPassword)).status, 200, 'the new one signs in');

    const [logged] = await ctx.db.sql<{ count: number }[]>`
      select count(*)::int as count from email_log where idempotency_key like ${`user:${person.id}:welcome%`}`;
    assert.equal(logged?.count, 2, 'the first welcome and one more: the second click sent nothing');
  });

  it('is refused with 409 saying why for someone who already signed in, a deactivated account, and an address that bounces; 404 for nobody', async () => {
    const member = await ctx.createUser('member', { fullName: 'Sam Signedin' });
    const signedIn = await resend(member.id);
    assert.equal(signedIn.status, 409);
    assert.match(((await signedIn.json()) as { error: string }).error, /Sam Signedin has already signed in/);

    const person = await welcomed('Dee Deactivated');
    assert.equal(
      (await ctx.request('PATCH', `/api/users/${person.id}`, { token: admin.token, body: { is_active: false } }))
        .status,
      200,
    );
    const deactivated = await resend(person.id);
    assert.equal(deactivated.status, 409);
    assert.match(((await deactivated.json()) as { error: string }).error, /Dee Deactivated is deactivated/);

    const bouncing = await given(ctx).newcomer({ fullName: 'Bo Bounce', email: uniqueEmail('bounce') });
    await ctx.db.sql`
      insert into email_suppressions (address, reason, first_key) values (lower(${bouncing.email}), '550 No such mailbox', 'earlier')`;
    const bounced = await resend(bouncing.id);
    assert.equal(bounced.status, 409);
    assert.match(((await bounced.json()) as { error: string }).error, /bounce/);
    const [row] = await ctx.db.sql<{ welcome_resent_at: Date | null }[]>`
      select welcome_resent_at from users where id = ${bouncing.id}`;
    assert.equal(row?.welcome_resent_at, null, 'nothing claimed: a corrected address can be welcomed at once');

    assert.equal((await resend(999_999_999)).status, 404);
  });

  it('is for super admins only: 403 for a member and a hall admin, 401 without a token', async () => {
    const person = await given(ctx).newcomer();
    for (const who of [await ctx.createUser('member'), await ctx.createUser('hall_admin')]) {
      const answer = await resend(person.id, who.token);
      assert.equal(answer.status, 403);
      assert.ok(((await answer.json()) as { error: string }).error);
      assert.equal((await ctx.request('GET', '/api/users?q=a', { token: who.token })).status, 403);
    }
    assert.equal((await ctx.request('POST', `/api/users/${person.id}/resend_welcome`)).status, 401);
  });
});
