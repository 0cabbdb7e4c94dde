// Drill 6's traffic: every request is recorded with when it was sent, how long it took and what came
// back, so any window of the run (before a fault, during an outage, after it) can be summed up.
import type { ApiAnswer } from '../scripts/dev/harness/fixtures';
import { SERVED_BY_HEADER } from '../scripts/dev/api-proxy';

export interface Sent {
  at: number;
  ms: number;
  /** 0 when no HTTP answer came (the connection failed). */
  status: number;
  servedBy?: string;
}

export class TrafficLog {
  readonly sent: Sent[] = [];

  /** One call through the proxy, recorded; a failed connection is an answer with status 0, not a throw. */
  async call<T>(baseUrl: string, method: string, path: string, options: { token?: string; body?: unknown } = {}) {
    const at = Date.now();
    const answer = await callNamingServer<T>(baseUrl, method, path, options).catch(
      (error: unknown): ApiAnswer<T> & { servedBy?: string } => ({
        status: 0,
        body: String(error) as T,
        ms: Date.now() - at,
      }),
    );
    this.sent.push({ at, ms: answer.ms, status: answer.status, servedBy: answer.servedBy });
    return answer;
  }

  /**
   * Requests answered (or failed) in [from, to): how many, how many failed, p99 and answers per
   * second. By the answer's time, so a request in flight when a process died counts in its outage.
   */
  window(from: number, to: number): WindowFigures {
    const inside = this.sent.filter((s) => s.at + s.ms >= from && s.at + s.ms < to);
    const failed = inside.filter((s) => !isAnswered(s.status));
    const ms = inside.map((s) => s.ms).sort((a, b) => a - b);
    const seconds = Math.max(0.001, (to - from) / 1000);
    return {
      requests: inside.length,
      failed: failed.length,
      errorRate: inside.length ? failed.length / inside.length : 0,
      p99: ms.length ? ms[Math.min(ms.length - 1, Math.floor(ms.length * 0.99))]! : 0,
      okPerS: (inside.length - failed.length) / seconds,
      statuses: countBy(failed.map((s) => String(s.status))),
    };
  }

  /** Answers per API process, from the header the proxy adds. */
  servedBy(): Map<string, number> {
    return countBy(this.sent.flatMap((s) => (s.servedBy ? [s.servedBy] : [])));
  }
}

export interface WindowFigures {
  requests: number;
  failed: number;
  errorRate: number;
  p99: number;
  okPerS: number;
  statuses: Map<string, number>;
}

/** A user's error (4xx) is an answer; a 5xx or no answer at all is a failure of the system. */
export function isAnswered(status: number): boolean {
  return status > 0 && status < 500;
}

export function describeWindow(name: string, figures: WindowFigures): string {
  const statuses = [...figures.statuses].map(([status, n]) => `${status === '0' ? 'no answer' : status}×${n}`);
  return `${name}: ${figures.requests} requests, ${(figures.errorRate * 100).toFixed(1)} % failed${
    statuses.length ? ` (${statuses.join(', ')})` : ''
  }, p99 ${Math.round(figures.p99)} ms, ${figures.okPerS.toFixed(2)} answered/s`;
}

async function callNamingServer<T>(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown },
): Promise<ApiAnswer<T> & { servedBy?: string }> {
  // fixtures' call() with the answer's headers read too: the proxy names the process that answered.
  const started = performance.now();
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: the caller sees the text.
  }
  return {
    status: response.status,
    body: body as T,
    ms: performance.now() - started,
    servedBy: response.headers.get(SERVED_BY_HEADER) ?? undefined,
  };
}

export function countBy(values: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}
