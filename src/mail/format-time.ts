/**
 * Times as a venue's guests read them: in the venue's IANA zone, 24-hour clock, with the zone
 * named, because the reader's mail client may sit in a different zone from the hall.
 */

type LocalParts = { date: string; time: string; zone: string };

/** "Mon, 10 Nov 2025 · 10:00–12:00 (Asia/Kolkata, GMT+5:30)"; the end date is written out when the slot crosses midnight. */
export function formatSlot(start: Date, end: Date, timeZone: string): string {
  const from = localParts(start, timeZone);
  const to = localParts(end, timeZone);
  const zone = from.zone === to.zone ? from.zone : `${from.zone} → ${to.zone}`;
  const span = from.date === to.date ? `${from.time}–${to.time}` : `${from.time} – ${to.date} · ${to.time}`;
  return `${from.date} · ${span} (${timeZone}, ${zone})`;
}

/** "Mon, 10 Nov 2025, 08:00 (Asia/Kolkata, GMT+5:30)". */
export function formatInstant(at: Date, timeZone: string): string {
  const local = localParts(at, timeZone);
  return `${local.date}, ${local.time} (${timeZone}, ${local.zone})`;
}

/** "14:00": a time on the venue's clock, for a reader who already knows the day and the zone. */
export function formatLocalTime(at: Date, timeZone: string): string {
  return localParts(at, timeZone).time;
}

/** "10:00–12:00", or "22:00 – Tue, 11 Nov 2025 · 01:00" past midnight: a slot on a day already named. */
export function formatTimes(start: Date, end: Date, timeZone: string): string {
  const from = localParts(start, timeZone);
  const to = localParts(end, timeZone);
  return from.date === to.date ? `${from.time}–${to.time}` : `${from.time} – ${to.date} · ${to.time}`;
}

/** "Asia/Kolkata, GMT+5:30": the zone and its offset at an instant. */
export function formatZone(at: Date, timeZone: string): string {
  return `${timeZone}, ${zoneLabel(at, timeZone)}`;
}

/** "Mon, 10 Nov 2025" for a calendar date written YYYY-MM-DD (a venue-local day). */
export function formatLocalDate(date: string): string {
  return localParts(new Date(`${date}T12:00:00Z`), 'UTC').date;
}

function localParts(at: Date, timeZone: string): LocalParts {
  // Assembled from parts rather than a locale's pattern so the wording is the same on every ICU
  // build (en-GB, for one, has switched September to "Sept" and dropped the weekday comma).
  const parts = partsOf(at, timeZone, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return {
    date: `${parts.weekday}, ${parts.day} ${parts.month} ${parts.year}`,
    time: `${parts.hour}:${parts.minute}`,
    zone: zoneLabel(at, timeZone),
  };
}

/** "GMT+5:30", or "EST, GMT-5" where the zone has a well-known abbreviation. */
function zoneLabel(at: Date, timeZone: string): string {
  const offset = partsOf(at, timeZone, { timeZoneName: 'shortOffset' }).timeZoneName ?? '';
  const abbreviation = partsOf(at, timeZone, { timeZoneName: 'short' }).timeZoneName ?? '';
  const isNamed = /^[A-Z]{2,5}$/.test(abbreviation) && abbreviation !== 'UTC' && abbreviation !== 'GMT';
  return isNamed ? `${abbreviation}, ${offset}` : offset;
}

/**
 * Formatters by zone and options. Making an Intl.DateTimeFormat costs far more than using one (the
 * bench's worker profile found 8 % of its CPU here), and a process only ever meets a few zones.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function partsOf(
  at: Date,
  timeZone: string,
  options: Intl.DateTimeFormatOptions,
): Partial<Record<Intl.DateTimeFormatPartTypes, string>> {
  const key = `${timeZone}|${JSON.stringify(options)}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { ...options, timeZone });
    formatters.set(key, formatter);
  }
  return Object.fromEntries(formatter.formatToParts(at).map((part) => [part.type, part.value]));
}
