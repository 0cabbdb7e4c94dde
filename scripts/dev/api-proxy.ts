// One address for several API processes, as a load balancer gives in production: http-proxy-3 does
// the HTTP (streamed both ways, so a notification stream's events pass as they come); this file
// only picks the process. Round robin over the processes not known to be down; a process that
// refuses the connection is skipped for a second and the request goes to the next one, which is
// safe for any method because a refused request never reached a process (nginx's
// `proxy_next_upstream error` does the same). A request that reached a process which then died is
// answered 502: it may have been carried out, and only the client can decide to repeat it.
import http from 'node:http';
import { Readable } from 'node:stream';
import { createProxyServer } from 'http-proxy-3';

export interface ApiBackend {
  name: string;
  url: string;
}

export interface ApiProxy {
  url: string;
  /** Requests each backend answered (by name) since the start. */
  served: Map<string, number>;
  close(): Promise<void>;
}

/** The response header naming the process that answered, so a client (or a drill) can count them. */
export const SERVED_BY_HEADER = 'x-bookit-api';
const MAX_BUFFERED_BODY = 1024 * 1024;
const SKIP_REFUSING_MS = 1_000;

export async function startApiProxy({
  port,
  host = '127.0.0.1',
  backends,
}: {
  port: number;
  host?: string;
  backends: ApiBackend[];
}): Promise<ApiProxy> {
  // No keep-alive to the backends: a pooled socket to a process that has since died fails only
  // once the request is written on it, and then nobody can tell whether the request was carried out.
  const proxy = createProxyServer({ xfwd: true, agent: false });
  const served = new Map(backends.map((backend) => [backend.name, 0]));
  const refusedUntil = new Map<string, number>();
  let next = 0;

  function pick(exclude: Set<string>): ApiBackend | undefined {
    const now = Date.now();
    const candidates = backends.filter((backend) => !exclude.has(backend.name));
    const up = candidates.filter((backend) => (refusedUntil.get(backend.name) ?? 0) <= now);
    const pool = up.length ? up : candidates;
    return pool.length ? pool[next++ % pool.length] : undefined;
  }

  function forward(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer, tried: Set<string>): void {
    const backend = pick(tried);
    if (!backend) {
      answer(res, 502, 'No API process accepted the connection');
      return;
    }
    tried.add(backend.name);
    res.setHeader(SERVED_BY_HEADER, backend.name);
    proxy.web(req, res, { target: backend.url, buffer: Readable.from([body]) }, (error) => {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ECONNREFUSED' && !res.headersSent) {
        refusedUntil.set(backend.name, Date.now() + SKIP_REFUSING_MS);
        res.removeHeader(SERVED_BY_HEADER);
        forward(req, res, body, tried);
        return;
      }
      if (!res.headersSent) answer(res, 502, 'The API process stopped before it answered');
      else res.destroy();
    });
  }

  proxy.on('proxyRes', (_proxyRes, _req, res) => {
    const name = res.getHeader(SERVED_BY_HEADER);
    if (typeof name === 'string') served.set(name, (served.get(name) ?? 0) + 1);
  });

  const server = http.createServer((req, res) => {
    // The body is read first so a request refused by one process can be sent whole to another.
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BUFFERED_BODY) {
        answer(res, 413, 'Request body too large');
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!res.writableEnded) forward(req, res, Buffer.concat(chunks), new Set());
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    url: `http://${host}:${port}`,
    served,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function answer(res: http.ServerResponse, status: number, error: string): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error }));
}
