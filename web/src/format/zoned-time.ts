// Times are always shown in the venue's zone and name it, whatever zone the browser is in.

const LOCALE = 'en-GB';

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${zone}|${JSON.stringify(options)}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(LOCALE, { ...options, timeZone: zone });
    formatters.set(key, found);
  }
  return found;
}

const part = (parts: Intl.DateTimeFormatPart[], type: Intl.DateTimeFormatPartTypes) =>
  parts.find((p) => p.type === type)?.value ?? '';

const DAY = { weekday: 'short', day: 'numeric', month: 'short' } as const;
const CLOCK = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;

/** "Tue 1 Dec" */
export function dayOf(instant: Date, zone: string): string {
  const parts = formatter(zone, DAY).formatToParts(instant);
  return `${part(parts, 'weekday')} ${part(parts, 'day')} ${part(parts, 'month')}`;
}

/** "Tue 5 Jan" (or "Tue 5 Jan 2027"): a calendar date ("2027-01-05") in words, the same wherever the browser is. */
export function dayOfDate(date: string, withYear = false): string {
  const [y, m, d] = date.split('-').map(Number);
  const noon = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1, 12));
  return withYear ? `${dayOf(noon, 'UTC')} ${noon.getUTCFullYear()}` : dayOf(noon, 'UTC');
}

/** "14:00" */
export const clockOf = (instant: Date, zone: string) => {
  const parts = formatter(zone, CLOCK).formatToParts(instant);
  return `${part(parts, 'hour')}:${part(parts, 'minute')}`;
};

/** "GMT+5:30", "CET": the zone's short name at that instant (it differs across DST changes). */
export const zoneNameAt = (instant: Date, zone: string) =>
  part(formatter(zone, { timeZoneName: 'short' }).formatToParts(instant), 'timeZoneName');

/** "Tue 1 Dec, 14:00–15:00 GMT+5:30"; a slot past midnight names both days. */
export function formatSlot(start: Date, end: Date, zone: string): string {
  const startDay = dayOf(start, zone);
  const endDay = dayOf(new Date(end.getTime() - 1), zone);
  const startZone = zoneNameAt(start, zone);
  const endZone = zoneNameAt(end, zone);
  const endText = endDay === startDay ? clockOf(end, zone) : `${endDay}, ${clockOf(end, zone)}`;
  return endZone === startZone
    ? `${startDay}, ${clockOf(start, zone)}–${endText} ${endZone}`
    : `${startDay}, ${clockOf(start, zone)} ${startZone} – ${endText} ${endZone}`;
}

/** "Tue 1 Dec, 14:00 GMT+5:30" */
export const formatInstant = (instant: Date, zone: string) =>
  `${dayOf(instant, zone)}, ${clockOf(instant, zone)} ${zoneNameAt(instant, zone)}`;

/** The wall clock in a zone at an instant, as if it were UTC (for offset arithmetic). */
function wallClockAsUtc(instant: Date, zone: string): number {
  const parts = formatter(zone, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const n = (type: Intl.DateTimeFormatPartTypes) => Number(part(parts, type));
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
}

/**
 * The instant a venue-local date and time ("2031-01-10", "09:30:00") names, resolved as PostgreSQL
 * resolves it (so the app shows what the server stores): a time the clocks skip (spring forward)
 * is read with the offset before the change (02:30 → 03:30 EDT in New York), and a time that
 * happens twice (fall back) is the later one, with the offset after the change.
 */
export function instantOfWallTime(date: string, time: string, zone: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm, ss] = time.split(':').map(Number);
  const wall = Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1, hh ?? 0, mm ?? 0, ss ?? 0);
  const offsetAt = (instant: number) => wallClockAsUtc(new Date(instant), zone) - instant;
  const DAY = 24 * 3600_000;
  const withOffsetAfter = wall - offsetAt(wall + DAY);
  const withOffsetBefore = wall - offsetAt(wall - DAY);
  const names = (instant: number) => wallClockAsUtc(new Date(instant), zone) === wall;
  if (names(withOffsetAfter)) return new Date(withOffsetAfter);
  if (names(withOffsetBefore)) return new Date(withOffsetBefore);
  return new Date(withOffsetBefore);
}

/** A venue-local slot ("2031-01-10", "09:00:00", "10:00:00") in words; an end at or before the start is the next day. */
export function formatWallSlot(date: string, startTime: string, endTime: string, zone: string): string {
  const start = instantOfWallTime(date, startTime, zone);
  let end = instantOfWallTime(date, endTime, zone);
  if (end <= start) end = new Date(end.getTime() + 24 * 3600_000);
  return formatSlot(start, end, zone);
}

/** Today's date in the zone, as YYYY-MM-DD (what a date input holds). */
export function todayIn(zone: string, now = new Date()): string {
  const parts = formatter(zone, { year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  return `${part(parts, 'year')}-${part(parts, 'month')}-${part(parts, 'day')}`;
}

/** "14:00" from "14:00:00". */
export const shortTime = (time: string) => time.slice(0, 5);
