import type { OnConflict } from '../api/booking-series';
import type { BookingSeries, SeriesConflict, SeriesMoved, SeriesOccurrence } from '../api/types';
import { ORDINAL_NAMES, WEEKDAY_CODES, WEEKDAY_NAMES, weekdayOf } from './repeat-rule';
import { dayOfDate, wallTimeWords } from './zoned-time';

const UNITS: Record<string, [string, string]> = {
  DAILY: ['day', 'days'],
  WEEKLY: ['week', 'weeks'],
  MONTHLY: ['month', 'months'],
};
const WORKING_WEEK = 'MO,TU,WE,TH,FR';

const weekdayName = (code: string) => WEEKDAY_NAMES[WEEKDAY_CODES.indexOf(code as (typeof WEEKDAY_CODES)[number])];
const listed = (words: string[]) =>
  words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;

/**
 * A stored RRULE in words, from its first date: "Every week on Tuesday, 6 times", "Every month on
 * the second Tuesday, until Tue 5 Jan 2027", "Every weekday (Mon–Fri), 10 times". A rule made
 * elsewhere that these words do not cover is shown as it is.
 */
export function describeRule(rule: string, firstDate: string): string {
  const parts = new Map(
    rule
      .replace(/^RRULE:/i, '')
      .split(';')
      .map((part) => part.split('=') as [string, string | undefined])
      .map(([key, value]) => [key.toUpperCase(), value ?? ''] as const),
  );
  const unit = UNITS[parts.get('FREQ') ?? ''];
  const interval = Number(parts.get('INTERVAL') ?? '1');
  if (!unit || !Number.isInteger(interval) || interval < 1) return `Repeats: ${rule}`;
  const every = interval === 1 ? `Every ${unit[0]}` : `Every ${interval} ${unit[1]}`;
  const byDay = parts.get('BYDAY');
  let pattern: string;
  if (parts.get('FREQ') === 'DAILY') pattern = every;
  else if (parts.get('FREQ') === 'WEEKLY') {
    if (byDay === WORKING_WEEK && interval === 1) pattern = 'Every weekday (Mon–Fri)';
    else {
      const days = byDay ? byDay.split(',').map(weekdayName) : [WEEKDAY_NAMES[weekdayOf(firstDate)]];
      if (days.some((day) => day === undefined)) return `Repeats: ${rule}`;
      pattern = `${every} on ${listed(days as string[])}`;
    }
  } else {
    const nth = byDay ? /^([+-]?\d)([A-Z]{2})$/.exec(byDay) : null;
    const monthDay = parts.get('BYMONTHDAY');
    if (nth && ORDINAL_NAMES[Number(nth[1])] && weekdayName(nth[2]!))
      pattern = `${every} on the ${ORDINAL_NAMES[Number(nth[1])]} ${weekdayName(nth[2]!)}`;
    else if (!byDay) pattern = `${every} on day ${monthDay ?? Number(firstDate.slice(8, 10))}`;
    else return `Repeats: ${rule}`;
  }
  const count = Number(parts.get('COUNT'));
  const until = /^(\d{4})(\d{2})(\d{2})/.exec(parts.get('UNTIL') ?? '');
  if (count > 0) return `${pattern}, ${count === 1 ? 'once' : `${count} times`}`;
  if (until) return `${pattern}, until ${dayOfDate(`${until[1]}-${until[2]}-${until[3]}`, true)}`;
  return pattern;
}

/** How the series stands as a whole: "Cancelled", "Cancelled from Tue 29 Dec on", or null while all of it stands. */
export function seriesStanding(series: BookingSeries): string | null {
  if (series.cancelled_at) return 'Cancelled';
  if (series.ends_before) return `Cancelled from ${dayOfDate(series.ends_before)} on`;
  return null;
}

/** One date's state in words; a date off the series' times says so ("Booked, moved from the series' time"). */
export function occurrenceState(occurrence: SeriesOccurrence, now = Date.now()): string {
  if (occurrence.status === 'cancelled') return 'Cancelled';
  const moved = occurrence.moved ? ", moved from the series' time" : '';
  if (occurrence.status === 'completed') return `Completed${moved}`;
  if (new Date(occurrence.starts_at).getTime() <= now)
    return `${occurrence.confirmed ? 'Under way, attendance confirmed' : 'Under way'}${moved}`;
  return `${occurrence.confirmed ? 'Attendance confirmed' : 'Booked'}${moved}`;
}

/** The dates still standing (not cancelled) that are off the series' times. */
export const movedAlone = (series: BookingSeries) =>
  series.occurrences.filter((o) => o.moved && o.status !== 'cancelled');

/** Active and not started: it may still be cancelled or confirmed. */
export const isUpcoming = (occurrence: SeriesOccurrence, now = Date.now()) =>
  occurrence.status === 'active' && new Date(occurrence.starts_at).getTime() > now;

/** Why a date was not booked, with the times that hold it: "already booked 10:30–11:30". */
export function conflictWords(conflict: SeriesConflict): string {
  if (conflict.held_by.length === 0) return conflict.reason;
  return `already booked ${listed(conflict.held_by.map((slot) => `${wallTimeWords(slot.start_time)}–${wallTimeWords(slot.end_time)}`))}`;
}

/** Why a date kept its old time when the rest moved: "the venue is already booked 12:00–13:00", "the new start time is in the past". */
function keptBecause(conflict: SeriesConflict): string {
  if (conflict.held_by.length > 0) return `the venue is ${conflictWords(conflict)}`;
  return conflict.reason.charAt(0).toLowerCase() + conflict.reason.slice(1);
}

/** What a change of a series asked for: new times (venue-local "HH:MM") from a date on or for all, a new name. */
export interface SeriesChangeAsked {
  from: string | null;
  times: { start: string; end: string } | null;
  renamedTo: string | null;
  onConflict: OnConflict;
}

/**
 * What a change of a series did, in sentences: "Moved 3 dates to 11:00–13:00 from Tue 12 Jan on.
 * Tue 19 Jan keeps its old time: the venue is already booked 12:00–13:00."
 */
export function seriesChangeWords(asked: SeriesChangeAsked, result: SeriesMoved): string {
  const sentences: string[] = [];
  if (asked.renamedTo !== null) sentences.push(`Renamed to “${asked.renamedTo}”.`);
  if (asked.times) {
    const times = `${asked.times.start}–${asked.times.end}`;
    const from = asked.from ? ` from ${dayOfDate(asked.from)} on` : '';
    if (result.moved.length > 0) sentences.push(`Moved ${datesCount(result.moved.length)} to ${times}${from}.`);
    else if (result.conflicts.length > 0) sentences.push(`No date moved to ${times}.`);
  }
  for (const conflict of result.conflicts) {
    const waiting =
      asked.onConflict !== 'waitlist' || conflict.held_by.length === 0
        ? ''
        : conflict.waitlist_entry_id !== undefined
          ? '; you are on the waitlist for the new time'
          : '; you were already on the waitlist for the new time';
    sentences.push(`${dayOfDate(conflict.date)} keeps its old time: ${keptBecause(conflict)}${waiting}.`);
  }
  return sentences.join(' ');
}

/** "3 dates", "1 date". */
export const datesCount = (n: number) => `${n} ${n === 1 ? 'date' : 'dates'}`;
