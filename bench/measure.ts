// Figures every scenario reports the same way, and the load generators: autocannon for a closed
// loop over HTTP (the maximum throughput), an open loop at a fixed offered rate (latency at a given
// load), and concurrent loops for work that is not HTTP (the postgres.js baselines).
import http from 'node:http';
import autocannon from 'autocannon';

export type Unit = '/s' | 'ms' | 's' | 'MB' | 'KiB' | '';

/**
 * One line of the bench's table: a figure, the baseline it is compared with (measured in the same
 * run), their ratio, and the target with its verdict.
 */
export interface Row {
  scenario: string;
  /** What the figure is: "max throughput, closed loop (50 conns)", "p99 at 50 % (112/s offered)" ... */
  measure: string;
  figure: number | null;
  unit: Unit;
  /** Latency spread behind a p99 figure, or other context, printed beside it. */
  detail?: string;
  baseline?: { what: string; value: number | null; unit: Unit };
  /** figure ÷ baseline, when the target is a ratio. */
  ratio?: number | null;
  target?: string;
  /** null for baselines and figures given for information. */
  pass: boolean | null;
  note?: string;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export interface Spread {
  p50: number;
  p99: number;
  max: number;
  count: number;
}

export function summarize(samples: number[]): Spread {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN, count: sorted.length };
}

export function formatValue(value: number | null | undefined, unit: Unit): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  switch (unit) {
    case '/s':
      return `${value >= 100 ? Math.round(value).toLocaleString('en') : value.toFixed(1)}/s`;
    case 's':
      return `${value.toFixed(2)} s`;
    case 'MB':
      return `${Math.round(value)} MB`;
    case 'KiB':
      return `${value.toFixed(1)} KiB`;
    case 'ms':
      return `${value < 10 ? value.toFixed(1) : Math.round(value).toLocaleString('en')} ms`;
    default:
      return value.toLocaleString('en');
  }
}

export function spreadDetail(spread: Spread, unit: 'ms' | 's'): string {
  return `p50 ${formatValue(spread.p50, unit)}, max ${formatValue(spread.max, unit)}, n=${spread.count.toLocaleString('en')}`;
}

export interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface HttpLoad {
  url: string;
  connections: number;
  durationS: number;
  /** Called for every request: its method, path, headers and body. */
  request: (n: number) => RequestSpec;
}

export interface HttpResult {
  p50: number;
  p99: number;
  max: number;
  rps: number;
  total: number;
  non2xx: number;
  errors: number;
}

/** A closed loop of `connections` clients for `durationS` seconds, measured by autocannon: the maximum throughput. */
export async function runAutocannon(load: HttpLoad): Promise<HttpResult> {
  let n = 0;
  const result = await autocannon({
    url: load.url,
    connections: load.connections,
    duration: load.durationS,
    requests: [
      {
        setupRequest: (req) => {
          const next = load.request(n++);
          return { ...req, method: next.method, path: next.path, headers: next.headers, body: next.body };
        },
      },
    ],
  });
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    rps: result.requests.average,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

export interface OpenLoad {
  url: string;
  /** Requests per second offered, evenly spaced, whatever the answers' pace. */
  ratePerS: number;
  durationS: number;
  request: (n: number) => RequestSpec;
  /** Sockets at most; a request with none free waits, and the wait counts in its latency. */
  maxSockets?: number;
}

export interface OpenLoopResult extends Spread {
  offered: number;
  /** Answers per second over the run, the tail included. */
  answered: number;
  non2xx: number;
  errors: number;
}

/**
 * An open loop at a fixed rate, measured as wrk2 does: each request's latency runs from the moment
 * the schedule said to send it, so a stall shows as the wait every scheduled request had, not as
 * fewer requests sent (no coordinated omission). autocannon's `overallRate` is not used: it sends
 * each second's quota back to back at the start of the second (a burst every second) and its
 * correction records every answer with a 1 ms expected interval, which adds synthetic low samples.
 */
export async function runOpenLoop(load: OpenLoad): Promise<OpenLoopResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: load.maxSockets ?? 256 });
  const target = new URL(load.url);
  const total = Math.max(1, Math.round(load.ratePerS * load.durationS));
  const intervalMs = 1000 / load.ratePerS;
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const pending = new Set<Promise<void>>();

  const send = (spec: RequestSpec, intended: number) =>
    new Promise<void>((resolve) => {
      const body = spec.body === undefined ? undefined : Buffer.from(spec.body);
      const req = http.request(
        {
          host: target.hostname,
          port: target.port,
          method: spec.method,
          path: spec.path,
          agent,
          timeout: 30_000,
          headers: { ...spec.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
        },
        (res) => {
          res.resume();
          res.once('end', () => {
            latencies.push(performance.now() - intended);
            if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) >= 300) non2xx++;
            resolve();
          });
        },
      );
      req.once('timeout', () => req.destroy(new Error('timed out')));
      req.once('error', () => {
        errors++;
        resolve();
      });
      req.end(body);
    });

  const started = performance.now();
  let sent = 0;
  await new Promise<void>((done) => {
    const tick = () => {
      const now = performance.now();
      while (sent < total && started + sent * intervalMs <= now) {
        const intended = started + sent * intervalMs;
        const request = send(load.request(sent), intended);
        sent++;
        pending.add(request);
        void request.then(() => pending.delete(request));
      }
      if (sent >= total) return done();
      setTimeout(tick, Math.max(0, started + sent * intervalMs - performance.now()));
    };
    tick();
  });
  await Promise.all(pending);
  const elapsedS = (performance.now() - started) / 1000;
  agent.destroy();
  return { ...summarize(latencies), offered: load.ratePerS, answered: latencies.length / elapsedS, non2xx, errors };
}

/** `width` concurrent loops calling `operation` for `durationMs`; each call's duration in ms. */
export async function runLoops(
  width: number,
  durationMs: number,
  operation: (n: number) => Promise<unknown>,
): Promise<{ samples: number[]; rps: number }> {
  const samples: number[] = [];
  let n = 0;
  const started = performance.now();
  const until = started + durationMs;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (performance.now() < until) {
        const t = performance.now();
        await operation(n++);
        samples.push(performance.now() - t);
      }
    }),
  );
  return { samples, rps: samples.length / ((performance.now() - started) / 1000) };
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
}
