import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { OpenAPIHono } from '@hono/zod-openapi';
import { serve } from '@hono/node-server';
import type { AppEnv } from '../src/api/context';
import { notificationStreamRoutes } from '../src/api/routes/notification-stream';
import { NOTIFICATION_CHANNEL } from '../src/notifications/store';
import { insertNotification } from '../src/notices/inbox';
import { createSql, type Sql } from '../src/db/sql';
import { apiDeps, startApiServer, type ApiServer } from '../src/api/server';
import { NotificationHub, notificationHubFor } from '../src/realtime/notification-hub';
import { createTestContext, eventually, given, type TestContext, type TestUser } from './support';

interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

/** Reads an event stream the way EventSource does: `event:`, `data:`, `id:` lines, blank line ends one. */
class EventReader {
  readonly comments: string[] = [];
  readonly #events: SseEvent[] = [];
  #wake: (() => void) | null = null;
  #ended = false;

  constructor(body: ReadableStream<Uint8Array>) {
    void this.#pump(body);
  }

  async #pump(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
          this.#parse(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch {
      // Aborted by the test or closed by the server.
    } finally {
      this.#ended = true;
      this.#wake?.();
    }
  }

  #parse(block: string): void {
    const event: SseEvent = { event: 'message', data: '' };
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
      else if (line.startsWith('event: ')) event.event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
      else if (line.startsWith('id: ')) event.id = line.slice(4);
    }
    if (data.length === 0) return;
    event.data = data.join('\n');
    this.#events.push(event);
    this.#wake?.();
  }

  /**
   * The next event, failing if none comes within timeoutMs. The limit only bounds a failure (it
   * is generous for a loaded machine, and under the hub's 15 s heartbeat); promptness is asserted
   * as order, e.g. that no heartbeat came first.
   */
  async next(timeoutMs = 10_000): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const event = this.#events.shift();
      if (event) return event;
      if (this.#ended) throw new Error('the stream ended');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no event within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = null;
    }
  }

  /** Nothing arrives for `ms`. */
  async quietFor(ms: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    assert.deepEqual(this.#events, []);
  }
}

interface OpenStream {
  response: Response;
  events: EventReader;
  close(): void;
}

describe('notification stream (Server-Sent Events)', () => {
  let ctx: TestContext;
  let server: ApiServer;
  /** Stands in for another API process or the worker: its own pool, its own connections. */
  let elsewhere: Sql;

  before(async () => {
    ctx = await createTestContext();
    server = await startApiServer({ ...ctx.deps, config: { ...ctx.config, http: { ...ctx.config.http, port: 0 } } });
    elsewhere = createSql(ctx.db.url, { max: 2 });
  });
  after(async () => {
    await server.close();
    await elsewhere.end();
    await ctx.close();
  });

  const hub = () => notificationHubFor(ctx.deps);

  async function ticketFor(user: TestUser, baseUrl = server.url): Promise<string> {
    const response = await fetch(`${baseUrl}/api/notifications/stream_ticket/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.token}` },
    });
    assert.equal(response.status, 201);
    return ((await response.json()) as { ticket: string }).ticket;
  }

  async function open(path: string, headers: Record<string, string> = {}, baseUrl = server.url): Promise<OpenStream> {
    const controller = new AbortController();
    const response = await fetch(`${baseUrl}${path}`, { headers, signal: controller.signal });
    const events = new EventReader(response.body!);
    return { response, events, close: () => controller.abort() };
  }

  async function openWithTicket(
    user: TestUser,
    query = '',
    headers: Record<string, string> = {},
    baseUrl = server.url,
  ): Promise<OpenStream> {
    const stream = await open(
      `/api/notifications/stream?ticket=${await ticketFor(user, baseUrl)}${query}`,
      headers,
      baseUrl,
    );
    assert.equal(stream.response.status, 200);
    return stream;
  }

  const notify = (user: TestUser, title = 'Booking confirmed', db: Sql = elsewhere) =>
    insertNotification(db, {
      userId: user.id,
      type: 'booking_confirmed',
      title,
      message: `${title}.`,
      link: '/bookings/1',
      eventKey: `stream:${randomBytes(8).toString('hex')}`,
    });

  async function expectUnreadCount(events: EventReader, expected: number): Promise<void> {
    const event = await events.next();
    assert.equal(event.event, 'unread_count');
    assert.deepEqual(JSON.parse(event.data), { unread_count: expected });
  }

  it('issues a random single-use ticket valid for 60 s and stores only its hash', async () => {
    const user = await ctx.createUser();
    const [{ now: asked }] = await ctx.db.sql<[{ now: Date }]>`select now()`;
    const response = await fetch(`${server.url}/api/notifications/stream_ticket/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.token}` },
    });
    assert.equal(response.status, 201);
    const body = (await response.json()) as { ticket: string; expires_in: number };
    assert.deepEqual(Object.keys(body).sort(), ['expires_in', 'ticket']);
    assert.equal(body.expires_in, 60);
    assert.equal(Buffer.from(body.ticket, 'base64url').length, 32);
    const rows = await ctx.db.sql<{ ticket_hash: string; expires_at: Date; now: Date }[]>`
      select ticket_hash, expires_at, now() from stream_tickets where user_id = ${user.id}`;
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.ticket_hash, createHash('sha256').update(body.ticket).digest('hex'));
    // 60 s from the moment it was issued, which lies between asking and reading it back (no stopwatch).
    const expires = rows[0]!.expires_at.getTime();
    assert.ok(
      expires >= asked.getTime() + 60_000 && expires <= rows[0]!.now.getTime() + 60_000,
      `expires ${rows[0]!.expires_at.toISOString()}`,
    );
    assert.equal((await fetch(`${server.url}/api/notifications/stream_ticket/`, { method: 'POST' })).status, 401);
  });

  it('opens with a ticket and starts with the unread count', async () => {
    const user = await ctx.createUser();
    await notify(user);
    await notify(user);
    const stream = await openWithTicket(user);
    try {
      assert.match(stream.response.headers.get('content-type') ?? '', /^text\/event-stream/);
      await expectUnreadCount(stream.events, 2);
    } finally {
      stream.close();
    }
  });

  it('pushes a row written by another process at once (within one heartbeat), with its id, then the new count', async () => {
    const user = await ctx.createUser();
    const stream = await openWithTicket(user);
    try {
      await expectUnreadCount(stream.events, 0);
      const heartbeatsBefore = stream.events.comments.length;
      const id = await notify(user, 'Hall booked');
      const event = await stream.events.next();
      // Promptness as order: nothing polls, the row came by NOTIFY before a whole 15 s heartbeat
      // interval had passed (one heartbeat may fall in between by chance; two cannot).
      assert.ok(stream.events.comments.length - heartbeatsBefore < 2, 'pushed within one heartbeat interval');
      assert.equal(event.event, 'notification');
      assert.equal(event.id, String(id));
      const body = JSON.parse(event.data) as Record<string, unknown>;
      assert.deepEqual(Object.keys(body), [
        'id',
        'notification_type',
        'title',
        'message',
        'link',
        'is_read',
        'created_at',
        'read_at',
      ]);
      assert.equal(body.id, id);
      assert.equal(body.title, 'Hall booked');
      assert.equal(body.notification_type, 'booking_confirmed');
      assert.equal(body.is_read, false);
      assert.equal(body.read_at, null);
      assert.match(String(body.created_at), /Z$/);
      await expectUnreadCount(stream.events, 1);
    } finally {
      stream.close();
    }
  });

  it('pushes the new count after mark read, mark all read, delete and clear all', async () => {
    const user = await ctx.createUser();
    const [first, second, third] = [await notify(user), await notify(user), await notify(user)];
    await notify(user);
    const stream = await openWithTicket(user);
    const act = (method: string, path: string) =>
      ctx.request(method, `/api/notifications/${path}`, { token: user.token });
    try {
      await expectUnreadCount(stream.events, 4);
      assert.equal((await act('POST', `${first}/mark_read/`)).status, 200);
      await expectUnreadCount(stream.events, 3);
      assert.equal((await act('DELETE', `${second}/`)).status, 200);
      await expectUnreadCount(stream.events, 2);
      assert.equal((await act('POST', 'mark_all_read/')).status, 200);
      await expectUnreadCount(stream.events, 0);
      // Nothing moved: no event.
      assert.equal((await act('POST', `${third}/mark_read/`)).status, 200);
      assert.equal((await act('DELETE', `${third}/`)).status, 200);
      await stream.events.quietFor(300);
      await notify(user);
      assert.equal((await stream.events.next()).event, 'notification');
      await expectUnreadCount(stream.events, 1);
      assert.equal((await act('DELETE', 'clear_all/')).status, 200);
      await expectUnreadCount(stream.events, 0);
    } finally {
      stream.close();
    }
  });

  it('sends each event to every open stream of that user and to no one else', async () => {
    const alice = await ctx.createUser();
    const bob = await ctx.createUser();
    const [tab1, tab2, bobs] = await Promise.all([openWithTicket(alice), openWithTicket(alice), openWithTicket(bob)]);
    try {
      for (const stream of [tab1, tab2, bobs]) await expectUnreadCount(stream.events, 0);
      const id = await notify(alice);
      for (const tab of [tab1, tab2]) {
        const event = await tab.events.next();
        assert.equal(event.id, String(id));
        await expectUnreadCount(tab.events, 1);
      }
      await bobs.events.quietFor(300);
    } finally {
      for (const stream of [tab1, tab2, bobs]) stream.close();
    }
  });

  it("anyone's booking at a venue reaches every open stream as one schedule event naming the venue alone, however it was written", async () => {
    const [watcher, booker] = [await ctx.createUser(), await ctx.createUser()];
    const [hall, lab] = [await given(ctx).venue(), await given(ctx).venue()];
    const stream = await openWithTicket(watcher);
    try {
      await expectUnreadCount(stream.events, 0);
      // Two bookings in one burst, at two venues: one event names both.
      await Promise.all([
        given(ctx).booking(booker, hall, { aheadMs: 3 * 86_400_000 }),
        given(ctx).booking(booker, lab, { aheadMs: 3 * 86_400_000 }),
      ]);
      const seen = new Set<number>();
      while (!(seen.has(hall.id) && seen.has(lab.id))) {
        const event = await stream.events.next();
        assert.equal(event.event, 'schedule', 'nothing but schedule news: the watcher has no notification');
        assert.equal(event.id, undefined, 'not a notification: no id to resume from');
        const body = JSON.parse(event.data) as Record<string, unknown>;
        assert.deepEqual(Object.keys(body), ['venue_ids'], 'the venue ids alone, nothing about whose booking');
        for (const id of body.venue_ids as number[]) seen.add(id);
      }
      // A change written by another process (a cancel by hand here) is heard the same way.
      await elsewhere`update bookings set status = 'cancelled', cancelled_at = now() where venue_id = ${hall.id}`;
      const cancelled = await stream.events.next();
      assert.deepEqual(JSON.parse(cancelled.data), { venue_ids: [hall.id] });
    } finally {
      stream.close();
    }
  });

  it('reaches streams on every API process, each listening on its own connection', async () => {
    const otherPool = createSql(ctx.db.url, { max: 2 });
    const other = await startApiServer({
      ...apiDeps(ctx.config, otherPool, ctx.deps.logger, ctx.deps.temporal),
      config: { ...ctx.config, http: { ...ctx.config.http, port: 0 } },
    });
    const user = await ctx.createUser();
    const here = await openWithTicket(user);
    const there = await openWithTicket(user, '', {}, other.url);
    try {
      await expectUnreadCount(here.events, 0);
      await expectUnreadCount(there.events, 0);
      const id = await notify(user);
      assert.equal((await here.events.next()).id, String(id));
      assert.equal((await there.events.next()).id, String(id));
    } finally {
      here.close();
      there.close();
      await other.close();
      await otherPool.end();
    }
  });

  it('accepts a bearer header instead of a ticket', async () => {
    const user = await ctx.createUser();
    const stream = await open('/api/notifications/stream/', { authorization: `Bearer ${user.token}` });
    try {
      assert.equal(stream.response.status, 200);
      await expectUnreadCount(stream.events, 0);
    } finally {
      stream.close();
    }
  });

  it('refuses a used, an expired, an unknown or a missing ticket with a 401 error', async () => {
    const user = await ctx.createUser();
    const ticket = await ticketFor(user);
    const first = await open(`/api/notifications/stream?ticket=${ticket}`);
    assert.equal(first.response.status, 200);
    first.close();

    const expectRefused = async (path: string, pattern: RegExp) => {
      const response = await fetch(`${server.url}${path}`);
      assert.equal(response.status, 401, path);
      assert.match(response.headers.get('content-type') ?? '', /application\/json/);
      assert.match(((await response.json()) as { error: string }).error, pattern);
    };
    await expectRefused(`/api/notifications/stream?ticket=${ticket}`, /already used/);

    const expired = await ticketFor(user);
    await ctx.db
      .sql`update stream_tickets set expires_at = now() - interval '1 second' where ticket_hash = ${createHash('sha256').update(expired).digest('hex')}`;
    await expectRefused(`/api/notifications/stream?ticket=${expired}`, /expired/);
    await expectRefused(`/api/notifications/stream?ticket=${randomBytes(32).toString('base64url')}`, /invalid/);
    await expectRefused('/api/notifications/stream', /credentials/);
  });

  it('resumes after Last-Event-ID: the missed rows first, oldest first, then live ones', async () => {
    const user = await ctx.createUser();
    const seen = await notify(user, 'Seen');
    const missed = [await notify(user, 'Missed 1'), await notify(user, 'Missed 2'), await notify(user, 'Missed 3')];
    const stream = await openWithTicket(user, '', { 'last-event-id': String(seen) });
    try {
      for (const id of missed) {
        const event = await stream.events.next();
        assert.equal(event.event, 'notification');
        assert.equal(event.id, String(id));
      }
      await expectUnreadCount(stream.events, 4);
      // A replayed row's own signal, arriving late (its NOTIFY was in flight as the stream subscribed):
      // neither the row nor a count is sent again, so the next event is the live one.
      await elsewhere`select pg_notify(${NOTIFICATION_CHANNEL}, json_build_object('user_id', ${user.id}::bigint, 'id', ${missed[0]!}::bigint)::text)`;
      const live = await notify(user, 'Live');
      const next = await stream.events.next();
      assert.deepEqual([next.event, next.id], ['notification', String(live)]);
      await expectUnreadCount(stream.events, 5);
    } finally {
      stream.close();
    }
  });

  it('a late signal for a row at or below Last-Event-ID is not sent again', async () => {
    const user = await ctx.createUser();
    const seen = await notify(user, 'Seen');
    const stream = await openWithTicket(user, '', { 'last-event-id': String(seen) });
    try {
      await expectUnreadCount(stream.events, 1);
      // The row the client already has, signalled late, as a NOTIFY can arrive after the stream subscribed.
      await elsewhere`select pg_notify(${NOTIFICATION_CHANNEL}, json_build_object('user_id', ${user.id}::bigint, 'id', ${seen}::bigint)::text)`;
      const live = await notify(user, 'Live');
      let next = await stream.events.next();
      while (next.event !== 'notification') next = await stream.events.next();
      assert.equal(next.id, String(live), 'the next notification is the new one, not the one the client had');
    } finally {
      stream.close();
    }
  });

  it('resumes from ?last_event_id= for a new EventSource, and refuses a cursor that is not an id', async () => {
    const user = await ctx.createUser();
    const seen = await notify(user);
    const missed = await notify(user);
    const stream = await openWithTicket(user, `&last_event_id=${seen}`);
    try {
      assert.equal((await stream.events.next()).id, String(missed));
      await expectUnreadCount(stream.events, 2);
    } finally {
      stream.close();
    }
    const bad = await fetch(`${server.url}/api/notifications/stream?last_event_id=latest`, {
      headers: { authorization: `Bearer ${user.token}` },
    });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: string }).error, /last_event_id/);
  });

  it('refuses a cursor too large to be an id with a 400 naming it, in the query or the header, instead of failing the stream', async () => {
    const user = await ctx.createUser();
    const headers = { authorization: `Bearer ${user.token}` };
    const huge = '9'.repeat(40);
    const inQuery = await fetch(`${server.url}/api/notifications/stream?last_event_id=${huge}`, { headers });
    assert.equal(inQuery.status, 400);
    assert.match(
      ((await inQuery.json()) as { error: string }).error,
      /^query parameter field "last_event_id": must be a notification id/,
    );
    const inHeader = await fetch(`${server.url}/api/notifications/stream`, {
      headers: { ...headers, 'last-event-id': String(Number.MAX_SAFE_INTEGER + 2) },
    });
    assert.equal(inHeader.status, 400);
    assert.match(
      ((await inHeader.json()) as { error: string }).error,
      /^header field "last-event-id": must be a notification id no larger than 9007199254740991/,
    );

    // The largest id there can be is a cursor like any other: nothing after it yet, then live rows.
    const stream = await openWithTicket(user, `&last_event_id=${Number.MAX_SAFE_INTEGER}`);
    try {
      await expectUnreadCount(stream.events, 0);
    } finally {
      stream.close();
    }
  });

  it('survives the LISTEN connection dropping: a row written meanwhile arrives exactly once', async () => {
    const user = await ctx.createUser();
    const stream = await openWithTicket(user);
    try {
      await expectUnreadCount(stream.events, 0);
      const killed = await ctx.db.sql<{ pid: number }[]>`
        select pid from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and query ilike 'listen %'`;
      assert.equal(killed.length, 1, 'one LISTEN connection for this process');
      await ctx.db.sql`select pg_terminate_backend(${killed[0]!.pid})`;
      const meanwhile = await notify(user, 'While reconnecting');

      // Read in order rather than for a while: the resync sends the missed row and then the count;
      // a row written after that must be the next notification, so a duplicate would show in between.
      const seen: string[] = [];
      const read = async () => {
        const event = await stream.events.next();
        seen.push(
          event.event === 'notification'
            ? `notification ${event.id}`
            : `count ${(JSON.parse(event.data) as { unread_count: number }).unread_count}`,
        );
        return event;
      };
      while (!(seen.includes(`notification ${meanwhile}`) && seen.at(-1) === 'count 1')) await read();
      const after = await notify(user, 'After reconnecting');
      while ((await read()).id !== String(after)) {
        /* until the new row */
      }
      assert.deepEqual(
        seen.filter((line) => line.startsWith('notification')),
        [`notification ${meanwhile}`, `notification ${after}`],
        seen.join(', '),
      );
    } finally {
      stream.close();
    }
  });

  it('removes the listener when the client disconnects', async () => {
    const user = await ctx.createUser();
    const [first, second] = [await openWithTicket(user), await openWithTicket(user)];
    await expectUnreadCount(first.events, 0);
    await expectUnreadCount(second.events, 0);
    assert.equal(hub().listenerCount(user.id), 2);
    first.close();
    await eventually(() => hub().listenerCount(user.id) === 1, 'the first listener to go', 10_000, 20);
    const id = await notify(user);
    assert.equal((await second.events.next()).id, String(id));
    second.close();
    await eventually(() => hub().listenerCount(user.id) === 0, 'the second listener to go', 10_000, 20);
  });

  it('one user may hold at most 10 streams per API process: the 11th is refused 429 with Retry-After, the open ones go on, and a freed place lets one in', async () => {
    const max = ctx.config.http.maxStreamsPerUser;
    assert.equal(max, 10, 'MAX_STREAMS_PER_USER defaults to 10');
    const [hoarder, other] = [await ctx.createUser(), await ctx.createUser()];
    const open: OpenStream[] = [];
    try {
      for (let i = 0; i < max; i++) open.push(await openWithTicket(hoarder));
      for (const stream of open) await expectUnreadCount(stream.events, 0);

      const refused = await fetch(`${server.url}/api/notifications/stream?ticket=${await ticketFor(hoarder)}`);
      assert.equal(refused.status, 429);
      assert.match(refused.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
      assert.deepEqual(await refused.json(), {
        error: `You have ${max} notification streams open, the most one account may; close one (a tab) and try again`,
      });
      const bearer = await fetch(`${server.url}/api/notifications/stream`, {
        headers: { authorization: `Bearer ${hoarder.token}` },
      });
      assert.equal(bearer.status, 429, 'with a bearer header too');
      assert.equal(hub().listenerCount(hoarder.id), max, 'the open ones are untouched');

      const theirs = await openWithTicket(other);
      await expectUnreadCount(theirs.events, 0);
      theirs.close();

      open.shift()!.close();
      await eventually(() => hub().listenerCount(hoarder.id) === max - 1, 'the closed stream to go', 10_000, 20);
      const again = await openWithTicket(hoarder);
      open.push(again);
      await expectUnreadCount(again.events, 0);
    } finally {
      for (const stream of open) stream.close();
    }
  });

  it("sends a heartbeat comment on the hub's interval", async () => {
    const fastHub = new NotificationHub(ctx.db.sql, { logger: ctx.deps.logger, heartbeatMs: 100 });
    const app = new OpenAPIHono<AppEnv>().route('/api/notifications', notificationStreamRoutes(ctx.deps, fastHub));
    const fast = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise((resolve) => fast.once('listening', resolve));
    const address = fast.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const user = await ctx.createUser();
    const stream = await open('/api/notifications/stream', { authorization: `Bearer ${user.token}` }, url);
    try {
      await expectUnreadCount(stream.events, 0);
      await eventually(() => stream.events.comments.length >= 2, 'two heartbeats', 10_000, 20);
      assert.equal(stream.events.comments[0], 'heartbeat');
    } finally {
      stream.close();
      await eventually(() => fastHub.listenerCount() === 0, 'the listener to go', 10_000, 20);
      await fastHub.close();
      if ('closeAllConnections' in fast) fast.closeAllConnections();
      await new Promise((resolve) => fast.close(resolve));
    }
  });

  it("closes every open stream of a user who signs out (a session_ended event, then the end), at once and no one else's", async () => {
    const user = await ctx.createUser();
    const bystander = await ctx.createUser();
    const unusedTicket = await ticketFor(user);
    const withBearer = await open('/api/notifications/stream', { authorization: `Bearer ${user.token}` });
    assert.equal(withBearer.response.status, 200);
    const [withTicket, others] = [await openWithTicket(user), await openWithTicket(bystander)];
    try {
      for (const stream of [withBearer, withTicket, others]) await expectUnreadCount(stream.events, 0);
      const heartbeatsBefore = withTicket.events.comments.length;
      assert.equal((await ctx.request('POST', '/api/auth/logout', { token: user.token })).status, 200);
      for (const stream of [withBearer, withTicket]) {
        const event = await stream.events.next();
        assert.equal(event.event, 'session_ended');
        await assert.rejects(stream.events.next(), /the stream ended/);
      }
      // By NOTIFY, not by polling: no whole heartbeat interval passed first.
      assert.ok(withTicket.events.comments.length - heartbeatsBefore < 2);
      await eventually(() => hub().listenerCount(user.id) === 0, 'the ended streams to unsubscribe', 10_000, 20);
      await others.events.quietFor(300);
      assert.equal(
        (await open(`/api/notifications/stream?ticket=${unusedTicket}`)).response.status,
        401,
        'a ticket from before sign-out opens nothing',
      );
    } finally {
      for (const stream of [withBearer, withTicket, others]) stream.close();
    }
  });

  it('closes the streams of a user who is deactivated or whose password changes', async () => {
    const admin = await ctx.createUser('super_admin');
    const leaver = await ctx.createUser();
    const changer = await ctx.createUser();
    const [leaving, changing] = [await openWithTicket(leaver), await openWithTicket(changer)];
    try {
      for (const stream of [leaving, changing]) await expectUnreadCount(stream.events, 0);
      assert.equal(
        (await ctx.request('PATCH', `/api/users/${leaver.id}/`, { token: admin.token, body: { is_active: false } }))
          .status,
        200,
      );
      assert.equal((await leaving.events.next()).event, 'session_ended');
      await assert.rejects(leaving.events.next(), /the stream ended/);
      const changed = await ctx.request('POST', '/api/auth/change_password', {
        token: changer.token,
        body: { old_password: changer.password, new_password: 'a-fresh-passphrase' },
      });
      assert.equal(changed.status, 200);
      assert.equal((await changing.events.next()).event, 'session_ended');
      await assert.rejects(changing.events.next(), /the stream ended/);
    } finally {
      for (const stream of [leaving, changing]) stream.close();
    }
  });

  it('documents the stream and the ticket in /openapi.json', async () => {
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>;
    };
    assert.ok(doc.paths['/api/notifications/stream']?.get?.responses['200']?.content?.['text/event-stream']);
    assert.ok(doc.paths['/api/notifications/stream_ticket']?.post?.responses['201']);
    assert.ok(doc.paths['/api/notifications/stream']?.get?.responses['429'], 'the cap on streams per account');
    for (const path of [
      '/api/notifications',
      '/api/notifications/unread_count',
      '/api/notifications/recent',
      '/api/notifications/mark_all_read',
      '/api/notifications/clear_all',
      '/api/notifications/{id}',
      '/api/notifications/{id}/mark_read',
    ]) {
      assert.ok(doc.paths[path], path);
    }
  });
});
