// Item 2 of the bench: for an HTTP scenario, first its maximum throughput (a closed loop), then its
// latency at fixed offered rates below that (an open loop), so a p99 is what a user waits at that
// load rather than the length of the queue a closed loop builds.
import { describeShares, startCpuMeter, type CpuShares, type HasPieces } from './cpu-usage';
import {
  formatValue,
  runAutocannon,
  runOpenLoop,
  spreadDetail,
  type HttpResult,
  type OpenLoopResult,
  type RequestSpec,
  type Row,
} from './measure';

export const SHARES = [0.25, 0.5, 0.75] as const;

export interface LoadSeries {
  max: HttpResult;
  maxCpu: CpuShares;
  atShares: Array<{ share: number; result: OpenLoopResult; cpu: CpuShares }>;
}

export interface SeriesOptions {
  url: string;
  connections: number;
  closedS: number;
  openS: number;
  request: (n: number) => RequestSpec;
  /** Runs before each open-loop run (letting the previous run's background work finish). */
  between?: () => Promise<void>;
}

export async function closedThenOpen(cluster: HasPieces, options: SeriesOptions): Promise<LoadSeries> {
  // One request counter across the runs, so requests that must differ (new bookings) always do.
  let n = 0;
  const request = () => options.request(n++);
  let meter = startCpuMeter(cluster);
  const max = await runAutocannon({
    url: options.url,
    connections: options.connections,
    durationS: options.closedS,
    request,
  });
  const maxCpu = meter.stop();
  const atShares: LoadSeries['atShares'] = [];
  for (const share of SHARES) {
    await options.between?.();
    meter = startCpuMeter(cluster);
    const result = await runOpenLoop({
      url: options.url,
      ratePerS: Math.max(1, max.rps * share),
      durationS: options.openS,
      request,
    });
    atShares.push({ share, result, cpu: meter.stop() });
  }
  return { max, maxCpu, atShares };
}

/** CPU the API process spent per answered request, in µs: what a request costs, whatever else ran on the machine. */
export function apiCpuPerRequest(cpu: CpuShares, perS: number): string {
  const cores = cpu.cores['api-1'];
  return cores === undefined || perS <= 0 ? '' : `API ${Math.round((cores / perS) * 1e6)} µs CPU/request; `;
}

/** The rows of one series: the maximum, then p99 at each share of it. */
export function seriesRows(
  scenario: string,
  series: LoadSeries,
  options: { connections: number; closedS: number; openS: number; p99TargetMsAtHalf?: number },
): Row[] {
  const { max } = series;
  const rows: Row[] = [
    {
      scenario,
      measure: `max throughput, closed loop (${options.connections} conns × ${options.closedS} s)`,
      figure: max.rps,
      unit: '/s',
      detail: `p50 ${formatValue(max.p50, 'ms')}, p99 ${formatValue(max.p99, 'ms')} (queueing at saturation)`,
      pass: null,
      note: `${max.total} requests, ${max.non2xx} non-2xx, ${max.errors} errors; ${apiCpuPerRequest(series.maxCpu, max.rps)}cores: ${describeShares(series.maxCpu)}`,
    },
  ];
  for (const { share, result, cpu } of series.atShares) {
    const half = share === 0.5 && options.p99TargetMsAtHalf !== undefined;
    const clean = result.non2xx === 0 && result.errors === 0;
    rows.push({
      scenario,
      measure: `p99 at ${share * 100} % of max (${formatValue(result.offered, '/s')} offered, open loop × ${options.openS} s)`,
      figure: result.p99,
      unit: 'ms',
      detail: spreadDetail(result, 'ms'),
      ...(half
        ? { target: `p99 ≤ ${options.p99TargetMsAtHalf} ms`, pass: result.p99 <= options.p99TargetMsAtHalf! && clean }
        : { pass: null }),
      note: `answered ${formatValue(result.answered, '/s')}, ${result.non2xx} non-2xx, ${result.errors} errors; ${apiCpuPerRequest(cpu, result.answered)}cores: ${describeShares(cpu)}`,
    });
  }
  return rows;
}
