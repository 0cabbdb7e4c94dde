import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import postgres from 'postgres';
import { countUnread } from '../src/notifications/store';
import { insertNotification } from '../src/notices/inbox';
import { createTestContext, type TestContext, type TestUser } from './support/context';

interface NotificationJson {
  id: number;
  notification_type: string;
  title: string;
  message: string;
  link: string;
  is_read: boolean;
  created_at: string;
  read_at: string | null;
}

const NOTIFICATION_KEYS = ['created_at', 'id', 'is_read', 'link', 'message', 'notification_type', 'read_at', 'title'];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('in-app notifications API', () => {
  let ctx: TestContext;

  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  /** `count` unread rows for the user, oldest first; returns their ids in that order. */
  async function seed(user: TestUser, count: number): Promise<number[]> {
    const ids: number[] = [];
    for (let n = 1; n <= count; n++) {
      const id = await insertNotification(ctx.db.sql, {
        userId: user.id,
        type: 'system',
        title: `Notice ${n}`,
        message: `Body ${n}`,
        link: `/bookings/${n}`,
        eventKey: `test:${randomBytes(8).toString('hex')}`,
      });
      ids.push(id!);
    }
    return ids;
  }

  /** Many rows at once, for the pagination and plan tests. */
  async function seedMany(user: TestUser, count: number): Promise<number[]> {
    const rows = await ctx.db.sql<{ id: number }[]>`
      insert into notifications (user_id, notification_type, title, message)
      select ${user.id}, 'system', 'Bulk ' || n, 'Body ' || n from generate_series(1, ${count}) as n
      returning id`;
    return rows.map((row) => row.id).sort((a, b) => a - b);
  }

  async function json<T>(response: Response, status = 200): Promise<T> {
    const body: unknown = await response.json();
    assert.equal(response.status, status, JSON.stringify(body));
    return body as T;
  }

  const list = async (user: TestUser, query = '') =>
    json<NotificationJson[]>(await ctx.request('GET', `/api/notifications/${query}`, { token: user.token }));
  const unreadCount = async (user: TestUser) =>
    (
      await json<{ unread_count: number }>(
        await ctx.request('GET', '/api/notifications/unread_count/', { token: user.token }),
      )
    ).unread_count;

  it("lists the signed-in user's notifications newest first, in the documented shape", async () => {
    const user = await ctx.createUser();
    const ids = await seed(user, 3);
    const body = await list(user);
    assert.deepEqual(
      body.map((n) => n.id),
      [...ids].reverse(),
    );
    const newest = body[0]!;
    assert.deepEqual(Object.keys(newest).sort(), NOTIFICATION_KEYS);
    assert.equal(newest.notification_type, 'system');
    assert.equal(newest.title, 'Notice 3');
    assert.equal(newest.message, 'Body 3');
    assert.equal(newest.link, '/bookings/3');
    assert.equal(newest.is_read, false);
    assert.equal(newest.read_at, null);
    assert.match(newest.created_at, ISO);
  });

  it('answers with and without the trailing slash, and only to a bearer token', async () => {
    const user = await ctx.createUser();
    await seed(user, 1);
    assert.equal((await list(user)).length, 1);
    assert.equal(
      (await json<NotificationJson[]>(await ctx.request('GET', '/api/notifications', { token: user.token }))).length,
      1,
    );
    const anonymous = await ctx.request('GET', '/api/notifications/');
    assert.equal(anonymous.status, 401);
    assert.match(((await anonymous.json()) as { error: string }).error, /credentials/);
    assert.equal((await ctx.request('GET', '/api/notifications/unread_count/')).status, 401);
    assert.equal((await ctx.request('POST', '/api/notifications/mark_all_read/')).status, 401);
  });

  it('filters by is_read', async () => {
    const user = await ctx.createUser();
    const [first, second, third] = await seed(user, 3);
    await json(await ctx.request('POST', `/api/notifications/${second}/mark_read/`, { token: user.token }));
    assert.deepEqual(
      (await list(user, '?is_read=true')).map((n) => n.id),
      [second],
    );
    assert.deepEqual(
      (await list(user, '?is_read=false')).map((n) => n.id),
      [third, first],
    );
    const invalid = await ctx.request('GET', '/api/notifications/?is_read=maybe', { token: user.token });
    assert.equal(invalid.status, 400);
    assert.match(((await invalid.json()) as { error: string }).error, /is_read/);
  });

  it('refuses a limit outside 1..100 with a 400 that names limit', async () => {
    const user = await ctx.createUser();
    for (const limit of ['0', '101', 'ten', '2.5', '-3']) {
      const response = await ctx.request('GET', `/api/notifications/?limit=${limit}`, { token: user.token });
      assert.equal(response.status, 400, `limit=${limit}`);
      assert.match(((await response.json()) as { error: string }).error, /"limit"/, `limit=${limit}`);
    }
    assert.equal((await ctx.request('GET', '/api/notifications/?limit=100', { token: user.token })).status, 200);
  });

  it('pages by id with a Link header that keeps the limit and the filter, and none on the last page', async () => {
    const user = await ctx.createUser();
    const ids = await seed(user, 5);
    const response = await ctx.request('GET', '/api/notifications/?limit=2&is_read=false', { token: user.token });
    const page = await json<NotificationJson[]>(response);
    assert.deepEqual(
      page.map((n) => n.id),
      [ids[4], ids[3]],
    );
    const next = new URL(nextLink(response)!, 'http://api.test/');
    assert.equal(next.pathname, '/api/notifications/');
    assert.equal(next.searchParams.get('before'), String(ids[3]));
    assert.equal(next.searchParams.get('limit'), '2');
    assert.equal(next.searchParams.get('is_read'), 'false');

    const last = await ctx.request('GET', `/api/notifications/?limit=2&before=${ids[1]}`, { token: user.token });
    assert.deepEqual(
      (await json<NotificationJson[]>(last)).map((n) => n.id),
      [ids[0]],
    );
    assert.equal(last.headers.get('link'), null);
  });

  it('walks 230 rows in pages of 50 while new rows arrive: every original row once, strictly descending', async () => {
    const user = await ctx.createUser();
    const originals = await seedMany(user, 230);
    let inserting = true;
    let inserted = 0;
    const writer = (async () => {
      while (inserting) {
        await insertNotification(ctx.db.sql, {
          userId: user.id,
          type: 'system',
          title: 'Meanwhile',
          message: 'new',
          eventKey: `meanwhile:${randomBytes(8).toString('hex')}`,
        });
        inserted++;
      }
    })();

    const seen: number[] = [];
    let pages = 0;
    let path: string | null = '/api/notifications/?limit=50';
    try {
      while (path) {
        const response = await ctx.request('GET', path, { token: user.token });
        const page = await json<NotificationJson[]>(response);
        assert.ok(page.length <= 50);
        seen.push(...page.map((n) => n.id));
        pages++;
        const link = nextLink(response);
        path = link ? pathOf(link) : null;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    } finally {
      inserting = false;
      await writer;
    }

    assert.ok(inserted > 0, 'rows were inserted during the walk');
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i]! < seen[i - 1]!, `descending at position ${i}`);
    const originalSeen = seen.filter((id) => id <= originals[originals.length - 1]!);
    assert.deepEqual(originalSeen, [...originals].reverse());
    assert.ok(pages >= 5);
  });

  it('counts unread notifications', async () => {
    const user = await ctx.createUser();
    assert.equal(await unreadCount(user), 0);
    const [first] = await seed(user, 4);
    assert.equal(await unreadCount(user), 4);
    await json(await ctx.request('POST', `/api/notifications/${first}/mark_read`, { token: user.token }));
    assert.equal(await unreadCount(user), 3);
  });

  it('marks one read once: a repeat answers 200 and keeps the first read_at', async () => {
    const user = await ctx.createUser();
    const [id] = await seed(user, 1);
    const first = await json<{ message: string }>(
      await ctx.request('POST', `/api/notifications/${id}/mark_read/`, { token: user.token }),
    );
    assert.deepEqual(first, { message: 'Notification marked as read' });
    const [afterFirst] = await list(user);
    assert.equal(afterFirst!.is_read, true);
    assert.match(afterFirst!.read_at!, ISO);

    await new Promise((resolve) => setTimeout(resolve, 20));
    const again = await json<{ message: string }>(
      await ctx.request('POST', `/api/notifications/${id}/mark_read/`, { token: user.token }),
    );
    assert.deepEqual(again, { message: 'Notification marked as read' });
    const [afterSecond] = await list(user);
    assert.equal(afterSecond!.read_at, afterFirst!.read_at);
  });

  it('marks all read and says how many changed', async () => {
    const user = await ctx.createUser();
    const [first] = await seed(user, 3);
    await json(await ctx.request('POST', `/api/notifications/${first}/mark_read`, { token: user.token }));
    const body = await json<unknown>(
      await ctx.request('POST', '/api/notifications/mark_all_read/', { token: user.token }),
    );
    assert.deepEqual(body, { message: 'All notifications marked as read', count: 2 });
    assert.equal(await unreadCount(user), 0);
    const again = await json<unknown>(
      await ctx.request('POST', '/api/notifications/mark_all_read/', { token: user.token }),
    );
    assert.deepEqual(again, { message: 'All notifications marked as read', count: 0 });
  });

  it('shows the ten most recent', async () => {
    const user = await ctx.createUser();
    const ids = await seed(user, 12);
    const body = await json<NotificationJson[]>(
      await ctx.request('GET', '/api/notifications/recent/', { token: user.token }),
    );
    assert.deepEqual(
      body.map((n) => n.id),
      ids.slice(2).reverse(),
    );
    assert.deepEqual(Object.keys(body[0]!).sort(), NOTIFICATION_KEYS);
  });

  it('reads one notification by id', async () => {
    const user = await ctx.createUser();
    const [id] = await seed(user, 1);
    const body = await json<NotificationJson>(
      await ctx.request('GET', `/api/notifications/${id}/`, { token: user.token }),
    );
    assert.equal(body.id, id);
    assert.deepEqual(Object.keys(body).sort(), NOTIFICATION_KEYS);
  });

  it('deletes one, after which it is not found', async () => {
    const user = await ctx.createUser();
    const [keep, remove] = await seed(user, 2);
    const body = await json<unknown>(
      await ctx.request('DELETE', `/api/notifications/${remove}/`, { token: user.token }),
    );
    assert.deepEqual(body, { message: 'Notification deleted' });
    assert.deepEqual(
      (await list(user)).map((n) => n.id),
      [keep],
    );
    const again = await json<unknown>(
      await ctx.request('DELETE', `/api/notifications/${remove}/`, { token: user.token }),
      404,
    );
    assert.deepEqual(again, { error: 'Notification not found' });
  });

  it('clears all and says how many were deleted', async () => {
    const user = await ctx.createUser();
    const other = await ctx.createUser();
    await seed(user, 3);
    await seed(other, 1);
    const body = await json<unknown>(
      await ctx.request('DELETE', '/api/notifications/clear_all/', { token: user.token }),
    );
    assert.deepEqual(body, { message: 'All notifications cleared', count: 3 });
    assert.deepEqual(await list(user), []);
    assert.equal((await list(other)).length, 1);
  });

  it('never takes a fixed path for an id: ids are digits only', async () => {
    const user = await ctx.createUser();
    await seed(user, 1);
    assert.equal((await ctx.request('GET', '/api/notifications/recent', { token: user.token })).status, 200);
    assert.equal((await ctx.request('GET', '/api/notifications/unread_count', { token: user.token })).status, 200);
    for (const [method, path] of [
      ['GET', 'latest/'],
      ['DELETE', 'everything/'],
      ['POST', 'abc/mark_read/'],
    ] as const) {
      const notAnId = await ctx.request(method, `/api/notifications/${path}`, { token: user.token });
      assert.equal(notAnId.status, 404, `${method} ${path}`);
      assert.match(((await notAnId.json()) as { error: string }).error, /^No route for/);
    }
  });

  it("answers another user's notification exactly like a missing one, and never lists or counts it", async () => {
    const alice = await ctx.createUser();
    const bob = await ctx.createUser();
    const [alicesId] = await seed(alice, 2);
    const missing = 2 ** 40;
    for (const [method, suffix] of [
      ['GET', '/'],
      ['POST', '/mark_read/'],
      ['DELETE', '/'],
    ] as const) {
      const foreign = await ctx.request(method, `/api/notifications/${alicesId}${suffix}`, { token: bob.token });
      const absent = await ctx.request(method, `/api/notifications/${missing}${suffix}`, { token: bob.token });
      assert.equal(foreign.status, 404, `${method} ${suffix}`);
      assert.equal(absent.status, 404, `${method} ${suffix}`);
      assert.deepEqual(await foreign.json(), { error: 'Notification not found' });
      assert.deepEqual(await absent.json(), { error: 'Notification not found' });
    }
    assert.deepEqual(await list(bob), []);
    assert.equal(await unreadCount(bob), 0);
    assert.deepEqual(await json(await ctx.request('POST', '/api/notifications/mark_all_read/', { token: bob.token })), {
      message: 'All notifications marked as read',
      count: 0,
    });
    assert.deepEqual(await json(await ctx.request('DELETE', '/api/notifications/clear_all/', { token: bob.token })), {
      message: 'All notifications cleared',
      count: 0,
    });

    const alices = await list(alice);
    assert.equal(alices.length, 2);
    assert.ok(alices.every((n) => !n.is_read));
    assert.equal(await unreadCount(alice), 2);
  });

  it('answers the unread count with an index-only scan on notifications_unread', async () => {
    const busy = await ctx.createUser();
    await seedMany(busy, 2000);
    const user = await ctx.createUser();
    await seedMany(user, 30);

    // The query countUnread really sends, captured rather than copied.
    const captured: Array<{ query: string; parameters: unknown[] }> = [];
    const spy = postgres(ctx.db.url, {
      max: 1,
      onnotice: () => {},
      debug: (_connection, query, parameters) => captured.push({ query, parameters }),
    });
    try {
      await countUnread(spy, user.id);
    } finally {
      await spy.end();
    }
    const counted = captured.find((entry) => /count\(\*\)/.test(entry.query));
    assert.ok(counted, 'captured the count query');

    await ctx.db.sql`vacuum analyze notifications`;
    const plan = await ctx.db.sql.begin(async (tx) => {
      await tx`set local enable_seqscan = off`;
      const [row] = await tx.unsafe<Array<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>>(
        `explain (format json) ${counted.query}`,
        counted.parameters as postgres.ParameterOrJSON<never>[],
      );
      return row!['QUERY PLAN'][0]!.Plan;
    });
    const scans = planNodes(plan).filter((node) => node['Relation Name'] === 'notifications');
    assert.deepEqual(
      scans.map((node) => [node['Node Type'], node['Index Name']]),
      [['Index Only Scan', 'notifications_unread']],
      JSON.stringify(plan),
    );
  });
});

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function planNodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(planNodes)];
}

function nextLink(response: Response): string | undefined {
  return /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
}

/** A Link target (absolute or relative) as the path and query to request next. */
function pathOf(link: string): string {
  const url = new URL(link, 'http://api.test/');
  return `${url.pathname}${url.search}`;
}
