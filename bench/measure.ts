// Figures every scenario reports the same way, and the two load generators: autocannon for HTTP,
// a fixed number of concurrent loops for work that is not HTTP (the postgres.js baselines).
import autocannon from 'autocannon';

export interface Row {
  scenario: string;
  load: string;
  p50: number | null;
  p99: number | null;
  max: number | null;
  /** Operations per second, when the scenario has a rate. */
  throughput: number | null;
  unit: 'ms' | 's' | 'MB';
  target: string;
  /** null for baselines and figures given for information. */
  pass: boolean | null;
  note?: string;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function summarize(samples: number[]): { p50: number; p99: number; max: number; count: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN, count: sorted.length };
}

export interface HttpLoad {
  url: string;
  connections: number;
  durationS: number;
  /** Called for every request: its method, path, headers and body. */
  request: (n: number) => { method: 'GET' | 'POST'; path: string; headers: Record<string, string>; body?: string };
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

/** A closed loop of `connections` clients for `durationS` seconds, measured by autocannon. */
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

/** `width` concurrent loops calling `operation` for `durationMs`; each call's duration in ms. */
export async function runLoops(width: number, durationMs: number, operation: (n: number) => Promise<unknown>): Promise<{ samples: number[]; rps: number }> {
  const samples: number[] = [];
  let n = 0;
  const started = performance.now();
  const until = started + durationMs;
  await Promise.all(Array.from({ length: width }, async () => {
    while (performance.now() < until) {
      const t = performance.now();
      await operation(n++);
      samples.push(performance.now() - t);
    }
  }));
  return { samples, rps: samples.length / ((performance.now() - started) / 1000) };
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
}
