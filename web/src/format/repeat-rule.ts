// The Repeat choices of the booking form, as RFC 5545 RRULEs the server expands on the venue's
// calendar (from the chosen date, which is the series' first date), and their names in words.

/** How a booking repeats: the choices the form offers. */
export type Repeat = 'none' | 'weekly' | 'weekdays' | 'daily' | 'monthly';

/** Where a series ends: after a number of dates, or on a date (included). */
export type RepeatEnd = { kind: 'count'; count: number } | { kind: 'until'; date: string };

/** The most dates the form lets one series have by count (the server allows more; a year of weeks is enough here). */
export const MAX_REPEAT_COUNT = 52;
export const DEFAULT_REPEAT_COUNT = 10;

export const WEEKDAY_CODES = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const;
export const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
export const ORDINAL_NAMES: Record<number, string> = {
  1: 'first',
  2: 'second',
  3: 'third',
  4: 'fourth',
  5: 'fifth',
  [-1]: 'last',
};

const utcDate = (date: string) => {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1));
};

/** 0 (Sunday) … 6 (Saturday): the weekday of a calendar date, wherever the browser is. */
export const weekdayOf = (date: string): number => utcDate(date).getUTCDay();

/**
 * Which of its month's weekdays the date is: 1–4, or -1 for a fifth one (which not every month
 * has, so a monthly series on it repeats on the last one instead).
 */
export function nthWeekdayOf(date: string): number {
  const n = Math.ceil(utcDate(date).getUTCDate() / 7);
  return n === 5 ? -1 : n;
}

/** The choice's name for a date: "Every week on Tuesday", "Every month on the second Tuesday". */
export function repeatLabel(repeat: Repeat, date: string): string {
  const weekday = WEEKDAY_NAMES[weekdayOf(date)];
  switch (repeat) {
    case 'none':
      return 'Does not repeat';
    case 'weekly':
      return `Every week on ${weekday}`;
    case 'weekdays':
      return 'Every weekday (Mon–Fri)';
    case 'daily':
      return 'Every day';
    case 'monthly':
      return `Every month on the ${ORDINAL_NAMES[nthWeekdayOf(date)]} ${weekday}`;
  }
}

/** The RRULE for a choice from `date` on, or null for "Does not repeat". */
export function buildRrule(repeat: Repeat, date: string, end: RepeatEnd): string | null {
  const weekday = WEEKDAY_CODES[weekdayOf(date)];
  let rule: string;
  switch (repeat) {
    case 'none':
      return null;
    case 'weekly':
      rule = `FREQ=WEEKLY;BYDAY=${weekday}`;
      break;
    case 'weekdays':
      rule = 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR';
      break;
    case 'daily':
      rule = 'FREQ=DAILY';
      break;
    case 'monthly':
      rule = `FREQ=MONTHLY;BYDAY=${nthWeekdayOf(date)}${weekday}`;
      break;
  }
  return end.kind === 'count' ? `${rule};COUNT=${end.count}` : `${rule};UNTIL=${end.date.replace(/-/g, '')}`;
}
