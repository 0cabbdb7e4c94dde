import { clockOf } from './zoned-time';

const QUARTER = 15 * 60_000;

export interface FreeTime {
  start_time: string;
  end_time: string;
}

/**
 * The free times nearest the one asked, as long as it: in each free stretch the start closest to
 * the asked start, on a quarter hour, up to `count` of them, nearest first, on the venue's clock.
 */
export function nearestFreeTimes(
  free: Array<{ starts_at: string; ends_at: string }>,
  asked: { start: Date; end: Date },
  zone: string,
  count = 3,
): FreeTime[] {
  const length = asked.end.getTime() - asked.start.getTime();
  const want = asked.start.getTime();
  const found: Array<{ start: number; distance: number }> = [];
  for (const stretch of free) {
    const earliest = Math.ceil(new Date(stretch.starts_at).getTime() / QUARTER) * QUARTER;
    const latest = Math.floor((new Date(stretch.ends_at).getTime() - length) / QUARTER) * QUARTER;
    if (latest < earliest) continue;
    const start = Math.min(latest, Math.max(earliest, Math.round(want / QUARTER) * QUARTER));
    if (start !== want) found.push({ start, distance: Math.abs(start - want) });
  }
  return found
    .sort((a, b) => a.distance - b.distance || a.start - b.start)
    .slice(0, count)
    .map(({ start }) => ({
      start_time: clockOf(new Date(start), zone),
      end_time: clockOf(new Date(start + length), zone),
    }));
}
