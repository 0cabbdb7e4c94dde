import { TZDate } from '@date-fns/tz';

// The rules a venue lives by, as pure functions of a request and the rules: what the API checks
// before it writes, and what the room finder honours when it answers. 0 is "no limit" throughout.

/** The deployment's defaults (BOOKIT_RULE_*), which a venue's own settings override one by one. */
export interface RuleDefaults {
  minNoticeMs: number;
  maxAdvanceMs: number;
  minDurationMs: number;
  maxDurationMs: number;
  setupBufferMs: number;
  teardownBufferMs: number;
  /** Upcoming bookings one member may hold at one venue. */
  maxUpcomingPerVenue: number;
  /** Upcoming bookings one member may hold at all venues together (deployment-wide only). */
  maxUpcoming: number;
  /** Hours one member may book at one venue in one venue-local week (Monday to Sunday). */
  maxHoursPerWeek: number;
}

/** No limit anywhere: what a room finder asked without rules sees (the bench's and the oracle's). */
export const NO_LIMITS: RuleDefaults = {
  minNoticeMs: 0,
  maxAdvanceMs: 0,
  minDurationMs: 0,
  maxDurationMs: 0,
  setupBufferMs: 0,
  teardownBufferMs: 0,
  maxUpcomingPerVenue: 0,
  maxUpcoming: 0,
  maxHoursPerWeek: 0,
};

export const BOOKING_ROLES = ['member', 'hall_admin', 'super_admin'] as const;
export type BookingRole = (typeof BOOKING_ROLES)[number];

/** One venue's rules in force: its own settings laid over the defaults. */
export interface VenueRules extends RuleDefaults {
  /** Who may book: these roles (null: everyone), or, restricted, only the members listed (and its staff). */
  bookingRoles: BookingRole[] | null;
  restricted: boolean;
}

/** Opening hours of one weekday (0 = Sunday), venue-local "HH:MM:SS"; "24:00:00" is midnight at the end. */
export interface OpeningHours {
  weekday: number;
  opens: string;
  closes: string;
}

/** A closure over venue-local dates, first to last inclusive. */
export interface Closure {
  first: string;
  last: string;
  reason: string;
}

export type RuleName =
  | 'min_notice'
  | 'max_advance'
  | 'min_duration'
  | 'max_duration'
  | 'opening_hours'
  | 'closed'
  | 'max_upcoming'
  | 'max_upcoming_in_all'
  | 'max_hours_per_week'
  | 'who_may_book'
  | 'archived';

/** A refusal: which rule, its limit (an ISO 8601 duration, a count, or words), and a sentence. */
export interface RuleBroken {
  rule: RuleName;
  limit: string;
  message: string;
}

/** An ISO 8601 duration: PT4H, PT30M, P2D, PT1H30M. */
export function isoDuration(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  let rest = ms - days * 86_400_000;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  const seconds = Math.round((rest - minutes * 60_000) / 1000);
  const time = `${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${seconds ? `${seconds}S` : ''}`;
  if (!days && !time) return 'PT0S';
  return `P${days ? `${days}D` : ''}${time ? `T${time}` : ''}`;
}

/** "2 hours", "30 minutes", "1 day 6 hours": a limit in a sentence. */
export function durationWords(ms: number): string {
  const parts: string[] = [];
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
  ];
  let rest = ms;
  for (const [size, name] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
    rest -= n * size;
  }
  return parts.join(' ') || `${Math.round(ms / 1000)} seconds`;
}

/** Notice, advance and length: what a slot alone must meet, whoever books it. */
export function checkTiming(
  rules: Pick<VenueRules, 'minNoticeMs' | 'maxAdvanceMs' | 'minDurationMs' | 'maxDurationMs'>,
  slot: { startsAt: number; endsAt: number },
  now: number,
): RuleBroken | null {
  const ahead = slot.startsAt - now;
  const length = slot.endsAt - slot.startsAt;
  if (rules.minNoticeMs > 0 && ahead < rules.minNoticeMs)
    return {
      rule: 'min_notice',
      limit: isoDuration(rules.minNoticeMs),
      message: `must be booked at least ${durationWords(rules.minNoticeMs)} ahead`,
    };
  if (rules.maxAdvanceMs > 0 && ahead > rules.maxAdvanceMs)
    return {
      rule: 'max_advance',
      limit: isoDuration(rules.maxAdvanceMs),
      message: `may be booked at most ${durationWords(rules.maxAdvanceMs)} ahead`,
    };
  if (rules.minDurationMs > 0 && length < rules.minDurationMs)
    return {
      rule: 'min_duration',
      limit: isoDuration(rules.minDurationMs),
      message: `is booked for at least ${durationWords(rules.minDurationMs)} at a time`,
    };
  if (rules.maxDurationMs > 0 && length > rules.maxDurationMs)
    return {
      rule: 'max_duration',
      limit: isoDuration(rules.maxDurationMs),
      message: `is booked for at most ${durationWords(rules.maxDurationMs)} at a time`,
    };
  return null;
}

/** A slot on the venue's clock: the local date, weekday and times it starts and ends at. */
export interface LocalSpan {
  startDate: string;
  weekday: number;
  startTime: string;
  /** The local date the slot ends on, "24:00:00" standing for midnight at the end of startDate. */
  endDate: string;
  endTime: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const localDate = (d: TZDate) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
const localTime = (d: TZDate) => `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;

export function localSpan(slot: { startsAt: number; endsAt: number }, timeZone: string): LocalSpan {
  const start = new TZDate(slot.startsAt, timeZone);
  const end = new TZDate(slot.endsAt, timeZone);
  const startDate = localDate(start);
  let endDate = localDate(end);
  let endTime = localTime(end);
  // Ending at midnight is ending on the start's day, at its end.
  if (endTime === '00:00:00' && endDate > startDate) {
    const dayAfterStart = new TZDate(start.getFullYear(), start.getMonth(), start.getDate() + 1, timeZone);
    if (localDate(dayAfterStart) === endDate) {
      endDate = startDate;
      endTime = '24:00:00';
    }
  }
  return { startDate, weekday: start.getDay(), startTime: localTime(start), endDate, endTime };
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const shortTime = (time: string) => time.slice(0, 5);

/** Opening hours and closures: a slot must lie within one day's hours, on no closed date. */
export function checkOpening(hours: OpeningHours[], closures: Closure[], span: LocalSpan): RuleBroken | null {
  const closed = closures.find((c) => c.first <= span.endDate && c.last >= span.startDate);
  if (closed)
    return {
      rule: 'closed',
      limit: closed.first === closed.last ? closed.first : `${closed.first}/${closed.last}`,
      message: `is closed ${closed.first === closed.last ? `on ${closed.first}` : `from ${closed.first} to ${closed.last}`}: ${closed.reason}`,
    };
  if (hours.length === 0) return null;
  const day = hours.find((h) => h.weekday === span.weekday);
  const name = WEEKDAYS[span.weekday]!;
  if (!day) return { rule: 'opening_hours', limit: `${name}: closed`, message: `is closed on ${name}s` };
  const limit = `${name} ${shortTime(day.opens)}–${shortTime(day.closes)}`;
  if (span.endDate !== span.startDate || span.startTime < day.opens || span.endTime > day.closes)
    return {
      rule: 'opening_hours',
      limit,
      message: `is open on ${name}s from ${shortTime(day.opens)} to ${shortTime(day.closes)}`,
    };
  return null;
}

/** The venue-local Monday that starts the week `date` (YYYY-MM-DD) falls in. */
export function weekStart(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  const back = (day.getUTCDay() + 6) % 7;
  return new Date(day.getTime() - back * 86_400_000).toISOString().slice(0, 10);
}
