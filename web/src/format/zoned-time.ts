// Times are always shown in the venue's zone and name it, whatever zone the browser is in, and
// written the person's way (format/locale.ts). Values a form or the API reads (HH:MM, YYYY-MM-DD)
// are computed apart from the words, in one fixed form.

import { formatLocale } from './locale';

/** The fixed locale of values (24-hour HH:MM), never of words. */
const VALUES = 'en-GB';

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string, options: Intl.DateTimeFormatOptions, locale = VALUES): Intl.DateTimeFormat {
  const key = `${locale}|${zone}|${JSON.stringify(options)}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(locale, { ...options, timeZone: zone });
    formatters.set(key, found);
  }
  return found;
}

/** Whether the person's way uses a 12-hour clock. */
const twelveHour = (locale: string) =>
  /^h1[12]$/.test(new Intl.DateTimeFormat(locale, { hour: 'numeric' }).resolvedOptions().hourCycle ?? '');

const part = (parts: Intl.DateTimeFormatPart[], type: Intl.DateTimeFormatPartTypes) =>
  parts.find((p) => p.type === type)?.value ?? '';

const DAY = { weekday: 'short', day: 'numeric', month: 'short' } as const;
const CLOCK = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;

/** "Tue 1 Dec" ("Tue, Dec 1" the US way) */
export function dayOf(instant: Date, zone: string): string {
  return formatter(zone, DAY, formatLocale()).format(instant);
}

/** "Tue 5 Jan" (or "Tue 5 Jan 2027"): a calendar date ("2027-01-05") in words, the same wherever the browser is. */
export function dayOfDate(date: string, withYear = false): string {
  const [y, m, d] = date.split('-').map(Number);
  const noon = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1, 12));
  if (!withYear) return dayOf(noon, 'UTC');
  const locale = formatLocale();
  // Day-first English writes the year after the month without a comma ("Tue 5 Jan 2027").
  return locale === 'en-GB'
    ? `${dayOf(noon, 'UTC')} ${noon.getUTCFullYear()}`
    : formatter('UTC', { ...DAY, year: 'numeric' }, locale).format(noon);
}

/** "14:00": the wall clock as a value (HH:MM, 24-hour), for forms and comparisons. */
export const clockOf = (instant: Date, zone: string) => {
  const parts = formatter(zone, CLOCK).formatToParts(instant);
  return `${part(parts, 'hour')}:${part(parts, 'minute')}`;
};

/** "14:00" or "2:00 PM": the wall clock in words, the person's way. */
export function timeOf(instant: Date, zone: string): string {
  const locale = formatLocale();
  if (!twelveHour(locale)) return clockOf(instant, zone);
  return formatter(zone, { hour: 'numeric', minute: '2-digit' }, locale).format(instant);
}

/** "14:00" or "2:00 PM" for a wall time value ("14:00", "14:00:00", "24:00"). */
export function wallTimeWords(time: string): string {
  const [hh, mm] = time.split(':').map(Number);
  if (!twelveHour(formatLocale())) return `${String(hh ?? 0).padStart(2, '0')}:${String(mm ?? 0).padStart(2, '0')}`;
  return timeOf(new Date(Date.UTC(1970, 0, 1, hh ?? 0, mm ?? 0)), 'UTC');
}

/** "GMT+5:30", "CET": the zone's short name at that instant (it differs across DST changes). */
export const zoneNameAt = (instant: Date, zone: string) =>
  part(formatter(zone, { timeZoneName: 'short' }).formatToParts(instant), 'timeZoneName');

/** "Tue 1 Dec, 14:00–15:00 GMT+5:30"; a slot past midnight names both days. */
export function formatSlot(start: Date, end: Date, zone: string): string {
  const startDay = dayOf(start, zone);
  const endDay = dayOf(new Date(end.getTime() - 1), zone);
  const startZone = zoneNameAt(start, zone);
  const endZone = zoneNameAt(end, zone);
  const endText = endDay === startDay ? timeOf(end, zone) : `${endDay}, ${timeOf(end, zone)}`;
  return endZone === startZone
    ? `${startDay}, ${timeOf(start, zone)}–${endText} ${endZone}`
    : `${startDay}, ${timeOf(start, zone)} ${startZone} – ${endText} ${endZone}`;
}

/** "Tue 1 Dec, 14:00 GMT+5:30" */
export const formatInstant = (instant: Date, zone: string) =>
  `${dayOf(instant, zone)}, ${timeOf(instant, zone)} ${zoneNameAt(instant, zone)}`;

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

/** "14:00" from "14:00:00": a wall time as a form's value. */
export const shortTime = (time: string) => time.slice(0, 5);
