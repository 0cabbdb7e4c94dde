import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request as the receiver got it: the raw body and headers, so any secret can be tried on it. */
export interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * A real HTTP receiver on 127.0.0.1. Each path answers the statuses queued for it in turn (the
 * last one from then on; 200 when none), and every request is kept as it arrived.
 */
export class Receiver {
  readonly received: Received[] = [];
  connections = 0;
  private readonly answers = new Map<string, number[]>();
  private readonly server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      const headers = Object.fromEntries(
        Object.entries(request.headers).flatMap(([name, value]) => (typeof value === 'string' ? [[name, value]] : [])),
      );
      this.received.push({ path, headers, body: Buffer.concat(chunks).toString('utf8') });
      const queue = this.answers.get(path) ?? [];
      const status = (queue.length > 1 ? queue.shift() : queue[0]) ?? 200;
      response.writeHead(status, { 'content-type': 'text/plain' }).end(`answered ${status} ${'x'.repeat(1000)}`);
    });
  });

  async start(): Promise<void> {
    this.server.on('connection', () => this.connections++);
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** A fresh path on this receiver, answering `statuses` in turn. */
  endpoint(statuses: number[] = [200]): { url: string; path: string } {
    const path = `/hooks/${randomUUID()}`;
    this.answers.set(path, [...statuses]);
    return { url: `http://127.0.0.1:${this.port}${path}`, path };
  }

  to(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  /** How many times each webhook-id reached this path. */
  countsById(path: string): Map<string, number> {
    const counts = new Map<string, number>();
    for (const r of this.to(path))
      counts.set(r.headers['webhook-id'] ?? '', (counts.get(r.headers['webhook-id'] ?? '') ?? 0) + 1);
    return counts;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Verifies with the standardwebhooks library, as any receiver would; throws when the signature does not match. */
export function verify(
  secret: string,
  received: Received,
): { type: string; timestamp: string; data: Record<string, unknown> } {
  return new Webhook(secret).verify(received.body, received.headers) as {
    type: string;
    timestamp: string;
    data: Record<string, unknown>;
  };
}
