import assert from 'node:assert/strict';
import http from 'node:http';
import type { Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { createApp } from '../src/api/app';
import { MAX_JSON_DEPTH } from '../src/api/refuse-nul';
import { startApiServer, type ApiServer } from '../src/api/server';
import { createTestContext, given, slotAhead, type TestContext, type TestUser } from './support';

const KIB = 1024;
const HOUR = 3_600_000;
const ZONE = 'Asia/Kolkata';

interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Body bytes we had handed to the socket when the answer came. */
  sent: number;
}

/**
 * A POST over a real socket that keeps sending `chunk` until the server answers (or `total` bytes
 * are sent): with `declaredLength` a Content-Length the body never reaches, else chunked encoding.
 */
function postUntilAnswered(
  url: string,
  path: string,
  options: { chunk: Buffer; total: number; declaredLength?: number },
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const headers: Record<string, string | number> = { 'content-type': 'application/json' };
    if (options.declaredLength !== undefined) headers['content-length'] = options.declaredLength;
    const request = http.request(`${url}${path}`, { method: 'POST', headers }, (response) => {
      answered = true;
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (text: string) => {
        body += text;
      });
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body, sent });
        request.destroy();
      });
    });
    // The server may close the socket while we still write; the answer, if any, is what counts.
    request.on('error', (error) => {
      if (!answered) reject(error);
    });
    const pump = () => {
      while (!answered && sent < options.total) {
        sent += options.chunk.length;
        if (!request.write(options.chunk)) return void request.once('drain', pump);
      }
      if (!answered && options.declaredLength === undefined) request.end();
    };
    pump();
  });
}

describe('request bodies are limited before they are parsed or their sender authenticated', () => {
  let ctx: TestContext;
  let server: ApiServer;
  let member: TestUser;
  let admin: TestUser;
  let venueId: number;

  before(async () => {
    ctx = await createTestContext();
    server = await startApiServer({
      ...ctx.deps,
      config: { ...ctx.deps.config, http: { ...ctx.deps.config.http, port: 0 } },
    });
    member = await ctx.createUser('member');
    admin = await ctx.createUser('super_admin');
    venueId = (await given(ctx).venue({ name: 'LRDC Hall', timeZone: ZONE })).id;
  });
  after(async () => {
    await server?.close();
    await ctx?.close();
  });

  const limit = () => ctx.config.http.maxBodyBytes;

  it('is 64 KiB unless MAX_BODY_BYTES says otherwise', () => {
    assert.equal(limit(), 64 * KIB);
  });

  it('an anonymous 1 MiB JSON body to a signed-in route answers 413 with the JSON error, before the 401 its missing token would get', async () => {
    const body = Buffer.from(
      JSON.stringify({ venue: venueId, event_name: 'x', event_details: 'a'.repeat(1024 * KIB) }),
    );
    // Over a raw socket: the server answers from the Content-Length and closes, which fetch reports as an error.
    const answer = await postUntilAnswered(server.url, '/api/bookings/', {
      chunk: body,
      total: body.length,
      declaredLength: body.length,
    });
    assert.equal(answer.status, 413);
    assert.match(answer.headers['content-type'] ?? '', /^application\/json/);
    assert.deepEqual(JSON.parse(answer.body), {
      error: 'The request body is larger than 64 KiB, the most this server accepts',
    });
  });

  /** Bytes the server read from each connection it accepted while `work` ran, once they closed. */
  async function bytesTheServerRead(work: () => Promise<RawAnswer>): Promise<{ answer: RawAnswer; read: number }> {
    const sockets: Socket[] = [];
    const accept = (socket: Socket) => void sockets.push(socket);
    server.node.on('connection', accept);
    try {
      const answer = await work();
      // The client stopped writing when the answer came; whatever the server read, it has read by the close.
      await Promise.all(
        sockets.map((socket) => (socket.closed ? undefined : new Promise((resolve) => socket.once('close', resolve)))),
      );
      return { answer, read: Math.max(...sockets.map((socket) => socket.bytesRead)) };
    } finally {
      server.node.off('connection', accept);
    }
  }

  it('refuses a body declared as 500 MB at once, without reading it (the client has sent only its first kilobytes)', async () => {
    const total = 8 * 1024 * KIB;
    const { answer, read } = await bytesTheServerRead(() =>
      postUntilAnswered(server.url, '/api/auth/login', {
        chunk: Buffer.alloc(16 * KIB, 0x20),
        total,
        declaredLength: 500_000_000,
      }),
    );
    assert.equal(answer.status, 413);
    assert.match(answer.body, /larger than 64 KiB/);
    // Loopback buffers take megabytes the server never asked for; what it read is the measure.
    assert.ok(
      read < 1024 * KIB,
      `the server read ${read} bytes of the ${total} offered, for a body it refused by its header`,
    );
  });

  it('stops reading a chunked body without Content-Length as soon as it passes the limit', async () => {
    const total = 8 * 1024 * KIB;
    const { answer, read } = await bytesTheServerRead(() =>
      postUntilAnswered(server.url, '/api/auth/login', { chunk: Buffer.alloc(16 * KIB, 0x20), total }),
    );
    assert.equal(answer.status, 413);
    assert.match(answer.body, /larger than 64 KiB/);
    assert.equal(JSON.parse(answer.body).error, 'The request body is larger than 64 KiB, the most this server accepts');
    assert.ok(read < 1024 * KIB, `the server read ${read} bytes of the ${total} offered, well past the 64 KiB limit`);
  });

  it('limits bodies that reach the app as a stream (no Content-Length), e.g. through app.request', async () => {
    const response = await ctx.request('POST', '/api/auth/login', {
      body: JSON.stringify({ email: 'a@example.test', password: 'p'.repeat(limit()) }),
    });
    assert.equal(response.status, 413);
    assert.match(((await response.json()) as { error: string }).error, /larger than 64 KiB/);
  });

  it('accepts the largest legitimate bodies: a booking with 5000 characters of details at three bytes each, a full broadcast', async () => {
    const slot = slotAhead(72 * HOUR, 2 * HOUR, ZONE);
    // Control characters (six bytes as `\u0001`) are refused in names and details now, so the widest
    // character a legitimate body holds is one of three UTF-8 bytes, such as the euro sign.
    const widest = (length: number) => '€'.repeat(length);
    const body = JSON.stringify({
      venue: venueId,
      date: slot.date,
      start_time: slot.start_time,
      end_time: slot.end_time,
      event_name: widest(200),
      event_details: widest(5000),
    });
    assert.ok(Buffer.byteLength(body) > 15_000);
    const booked = await fetch(`${server.url}/api/bookings/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${member.token}` },
      body,
    });
    assert.equal(booked.status, 201, await booked.clone().text());

    const broadcast = await fetch(`${server.url}/api/notifications/broadcast/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` },
      body: JSON.stringify({ title: widest(200), message: widest(2000), link: `/status/${'a'.repeat(480)}` }),
    });
    assert.equal(broadcast.status, 201, await broadcast.clone().text());
  });

  it(`a body nested deeper than ${MAX_JSON_DEPTH} (20 KB of "[") answers 400 with the JSON error, never a stack overflow nor an error in the log`, async () => {
    const logged: { level: number; msg: string }[] = [];
    const app = createApp({
      ...ctx.deps,
      logger: pino({ level: 'debug' }, { write: (line: string) => void logged.push(JSON.parse(line)) }),
    });
    const post = (path: string, body: string, token?: string) =>
      app.request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body,
      });
    const deep = (depth: number, open: string, close: string, inner = '0') =>
      open.repeat(depth) + inner + close.repeat(depth);
    for (const [path, body, token] of [
      ['/api/auth/login', deep(10_000, '[', ']'), undefined],
      ['/api/auth/login', deep(5_000, '{"a":', '}'), undefined],
      ['/api/bookings', `{"event_details": ${deep(10_000, '[', ']', '"Room\\u0000B"')}}`, member.token],
    ] as const) {
      const answer = await post(path, body, token);
      assert.equal(answer.status, 400, `${path} ${body.slice(0, 12)}…`);
      assert.deepEqual(await answer.json(), {
        error: `The request body is nested deeper than ${MAX_JSON_DEPTH} levels`,
      });
    }
    assert.deepEqual(
      logged.filter((line) => line.level >= 50),
      [],
      'nothing at error level',
    );
    const oneOver = await post('/api/auth/login', deep(MAX_JSON_DEPTH + 1, '[', ']'));
    assert.equal(oneOver.status, 400);
    assert.match(((await oneOver.json()) as { error: string }).error, /nested deeper/);
    const atTheLimit = await post('/api/auth/login', deep(MAX_JSON_DEPTH, '{"a":', '}'));
    assert.equal(atTheLimit.status, 400);
    assert.doesNotMatch(((await atTheLimit.json()) as { error: string }).error, /nested/, 'as deep as allowed: read');
  });

  it('documents the 413 in /openapi.json', async () => {
    const doc = (await (await ctx.request('GET', '/openapi.json')).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    assert.ok(doc.paths['/api/bookings']?.post?.responses['413']);
    assert.ok(doc.paths['/api/auth/login']?.post?.responses['413']);
  });
});
