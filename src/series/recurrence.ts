import rrule, { type Options } from 'rrule';

// rrule ships a UMD bundle as its CommonJS entry, whose names Node cannot list for an ES import.
const { RRule } = rrule;

/** The most occurrences one series may have: a year of weekdays, with room to spare. */
export const MAX_OCCURRENCES = 370;

export type Recurrence = { ok: true; rule: string; dates: string[] } | { ok: false; message: string };

const FREQUENCIES = new Set([RRule.DAILY, RRule.WEEKLY, RRule.MONTHLY]);

/**
 * Reads an RFC 5545 RRULE ("FREQ=WEEKLY;BYDAY=TU;COUNT=15") and expands it, from `firstDate`, into
 * venue-local calendar dates (YYYY-MM-DD): the rule is evaluated on floating days, so a weekly
 * 10:00 stays 10:00 on the venue's clock across a daylight-saving change (the times are made from
 * each date afterwards). Daily, weekly and monthly rules, ending by COUNT or UNTIL; `excluded`
 * dates are left out. Answers the rule as stored (normalized) and the dates.
 */
export function expandRecurrence(text: string, firstDate: string, excluded: readonly string[] = []): Recurrence {
  let options: Partial<Options>;
  try {
    options = RRule.parseString(text.replace(/^RRULE:/i, '').trim());
  } catch {
    return { ok: false, message: 'is not an RFC 5545 recurrence rule (e.g. "FREQ=WEEKLY;BYDAY=TU;COUNT=15")' };
  }
  if (options.freq === undefined || !FREQUENCIES.has(options.freq))
    return { ok: false, message: 'must repeat DAILY, WEEKLY or MONTHLY' };
  if (options.dtstart) return { ok: false, message: 'must not carry DTSTART: the first date is the body field "date"' };
  if (!options.count && !options.until) return { ok: false, message: 'must end, by COUNT or UNTIL' };
  if (options.count && options.count > MAX_OCCURRENCES)
    return { ok: false, message: `may make at most ${MAX_OCCURRENCES} occurrences` };
  if (options.interval !== undefined && (options.interval < 1 || options.interval > 52))
    return { ok: false, message: 'INTERVAL must be between 1 and 52' };
  const dtstart = new Date(`${firstDate}T00:00:00Z`);
  // UNTIL is a date on the venue's calendar: it includes that day.
  const until = options.until
    ? new Date(
        Date.UTC(options.until.getUTCFullYear(), options.until.getUTCMonth(), options.until.getUTCDate(), 23, 59, 59),
      )
    : undefined;
  const rule = new RRule({ ...options, dtstart, ...(until ? { until } : {}), tzid: null });
  const skip = new Set(excluded);
  const dates: string[] = [];
  let overflow = false;
  rule.all((date, index) => {
    if (index >= MAX_OCCURRENCES) {
      overflow = true;
      return false;
    }
    dates.push(date.toISOString().slice(0, 10));
    return true;
  });
  if (overflow) return { ok: false, message: `may make at most ${MAX_OCCURRENCES} occurrences` };
  const kept = dates.filter((date) => !skip.has(date));
  if (kept.length === 0) return { ok: false, message: 'makes no occurrence from the first date on' };
  return {
    ok: true,
    rule: RRule.optionsToString({ ...options, ...(until ? { until } : {}) }).replace(/^RRULE:/, ''),
    dates: kept,
  };
}

/** "every week on Tuesday for 15 times": the rule in words, for emails. */
export function describeRecurrence(rule: string): string {
  return RRule.fromString(`RRULE:${rule}`).toText();
}

/** How many dates the rule makes from `firstDate`, before `endsBefore` if given (exclusions included): the calendar event's COUNT. */
export function occurrenceCount(rule: string, firstDate: string, endsBefore: string | null): number {
  const expanded = expandRecurrence(rule, firstDate);
  if (!expanded.ok) return 0;
  return endsBefore === null ? expanded.dates.length : expanded.dates.filter((date) => date < endsBefore).length;
}
