import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, describe, it } from 'node:test';
import { SERVED_BY_HEADER, startApiProxy } from '../scripts/dev/api-proxy';
import { freePort } from '../scripts/dev/free-port';
import { startTcpBalancer } from '../scripts/dev/tcp-balancer';

/** A stand-in API process: echoes its name and the body; /stream sends two events a moment apart. */
async function fakeApi(name: string): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.url === '/stream') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write('event: first\ndata: 1\n\n');
      setTimeout(() => res.end('event: second\ndata: 2\n\n'), 700);
      return;
    }
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ name, method: req.method, body }));
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('the cluster front doors', () => {
  const cleanups: Array<() => Promise<void>> = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('spreads requests over two API processes, and sends a POST refused by a stopped one to the other whole', async () => {
    const [one, two] = [await fakeApi('api-1'), await fakeApi('api-2')];
    cleanups.push(one.close);
    const proxy = await startApiProxy({
      port: await freePort(),
      backends: [
        { name: 'api-1', url: one.url },
        { name: 'api-2', url: two.url },
      ],
    });
    cleanups.push(proxy.close);
    const names = [];
    for (let i = 0; i < 4; i++) {
      const response = await fetch(`${proxy.url}/api/x`, { method: 'POST', body: `{"n":${i}}` });
      assert.equal(response.status, 201);
      const answer = (await response.json()) as { name: string; body: string };
      assert.equal(answer.body, `{"n":${i}}`);
      assert.equal(response.headers.get(SERVED_BY_HEADER), answer.name);
      names.push(answer.name);
    }
    assert.deepEqual(names.sort(), ['api-1', 'api-1', 'api-2', 'api-2']);

    await two.close();
    for (let i = 0; i < 4; i++) {
      const response = await fetch(`${proxy.url}/api/x`, { method: 'POST', body: 'after' });
      assert.equal(response.status, 201, 'a refused connection is retried on the live process');
      assert.deepEqual(await response.json(), { name: 'api-1', method: 'POST', body: 'after' });
    }
    assert.equal(proxy.served.get('api-1'), 6);
    assert.equal(proxy.served.get('api-2'), 2);
  });

  it('passes a server-sent event stream through as it comes, not once it ends', async () => {
    const api = await fakeApi('api-1');
    cleanups.push(api.close);
    const proxy = await startApiProxy({ port: await freePort(), backends: [{ name: 'api-1', url: api.url }] });
    cleanups.push(proxy.close);
    const started = Date.now();
    const response = await fetch(`${proxy.url}/stream`);
    assert.equal(response.headers.get('content-type'), 'text/event-stream');
    const reader = response.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    assert.match(first, /event: first/);
    assert.ok(
      Date.now() - started < 500,
      `the first event arrived after ${Date.now() - started} ms, before the stream ended`,
    );
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
      rest += new TextDecoder().decode(chunk.value);
    assert.match(rest, /event: second/);
  });

  it('hands TCP connections to the frontends in turn, skipping one that is down', async () => {
    const echo = async (name: string) => {
      const port = await freePort();
      const server = net.createServer((socket) => socket.end(name));
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
      return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
    };
    const [one, two] = [await echo('node-1'), await echo('node-2')];
    cleanups.push(one.close);
    const balancer = await startTcpBalancer({
      port: await freePort(),
      backends: [
        { name: 'node-1', port: one.port },
        { name: 'node-2', port: two.port },
      ],
    });
    cleanups.push(balancer.close);
    const read = () =>
      new Promise<string>((resolve, reject) => {
        const [host, port] = balancer.address.split(':');
        const socket = net.connect({ host, port: Number(port) });
        let text = '';
        socket.setEncoding('utf8').on('data', (chunk: string) => {
          text += chunk;
        });
        socket.on('close', () => resolve(text));
        socket.on('error', reject);
      });
    assert.deepEqual([await read(), await read()].sort(), ['node-1', 'node-2']);
    await two.close();
    assert.deepEqual([await read(), await read()], ['node-1', 'node-1']);
    assert.deepEqual(Object.fromEntries(balancer.connections), { 'node-1': 3, 'node-2': 1 });
  });
});
