import type { Queryable } from '../db/sql';
import type { BookingRole, Closure, OpeningHours, RuleDefaults, VenueRules } from '../contracts/venue-rules';

// A venue's rules, opening hours, closures and listed bookers: the tables this room owns.

/** A venue's own settings as stored: null keeps the deployment's default. */
export interface VenueRuleSettings {
  min_notice_ms: number | null;
  max_advance_ms: number | null;
  min_duration_ms: number | null;
  max_duration_ms: number | null;
  setup_buffer_ms: number | null;
  teardown_buffer_ms: number | null;
  max_upcoming: number | null;
  max_hours_per_week: number | null;
  booking_roles: BookingRole[] | null;
  restricted: boolean;
  hall_admins_edit: boolean;
}

const NO_SETTINGS: VenueRuleSettings = {
  min_notice_ms: null,
  max_advance_ms: null,
  min_duration_ms: null,
  max_duration_ms: null,
  setup_buffer_ms: null,
  teardown_buffer_ms: null,
  max_upcoming: null,
  max_hours_per_week: null,
  booking_roles: null,
  restricted: false,
  hall_admins_edit: true,
};

const ms = (column: string, sql: Queryable) =>
  sql`(extract(epoch from ${sql(column)}) * 1000)::bigint::float8 as ${sql(`${column}_ms`)}`;

export async function findRuleSettings(sql: Queryable, venueId: number): Promise<VenueRuleSettings> {
  const [row] = await sql<VenueRuleSettings[]>`
    select ${ms('min_notice', sql)}, ${ms('max_advance', sql)}, ${ms('min_duration', sql)}, ${ms('max_duration', sql)},
      ${ms('setup_buffer', sql)}, ${ms('teardown_buffer', sql)}, max_upcoming, max_hours_per_week::float8 as max_hours_per_week,
      booking_roles, restricted, hall_admins_edit
    from venue_rules where venue_id = ${venueId}`;
  return row ?? NO_SETTINGS;
}

/** The rules in force: the venue's own settings over the defaults. */
export function rulesInForce(settings: VenueRuleSettings, defaults: RuleDefaults): VenueRules {
  return {
    minNoticeMs: settings.min_notice_ms ?? defaults.minNoticeMs,
    maxAdvanceMs: settings.max_advance_ms ?? defaults.maxAdvanceMs,
    minDurationMs: settings.min_duration_ms ?? defaults.minDurationMs,
    maxDurationMs: settings.max_duration_ms ?? defaults.maxDurationMs,
    setupBufferMs: settings.setup_buffer_ms ?? defaults.setupBufferMs,
    teardownBufferMs: settings.teardown_buffer_ms ?? defaults.teardownBufferMs,
    maxUpcomingPerVenue: settings.max_upcoming ?? defaults.maxUpcomingPerVenue,
    maxUpcoming: defaults.maxUpcoming,
    maxHoursPerWeek: settings.max_hours_per_week ?? defaults.maxHoursPerWeek,
    bookingRoles: settings.booking_roles,
    restricted: settings.restricted,
  };
}

/** A change to a venue's rules: a number sets it, null goes back to the default, absent keeps it. */
export interface RuleChanges {
  minNoticeMs?: number | null;
  maxAdvanceMs?: number | null;
  minDurationMs?: number | null;
  maxDurationMs?: number | null;
  setupBufferMs?: number | null;
  teardownBufferMs?: number | null;
  maxUpcoming?: number | null;
  maxHoursPerWeek?: number | null;
  bookingRoles?: BookingRole[] | null;
  restricted?: boolean;
  hallAdminsEdit?: boolean;
}

export async function updateRuleSettings(sql: Queryable, venueId: number, changes: RuleChanges): Promise<void> {
  const current = await findRuleSettings(sql, venueId);
  const pick = <T>(change: T | undefined, kept: T): T => (change === undefined ? kept : change);
  const interval = (value: number | null) => (value === null ? null : `${value} milliseconds`);
  const next = {
    min_notice: interval(pick(changes.minNoticeMs, current.min_notice_ms)),
    max_advance: interval(pick(changes.maxAdvanceMs, current.max_advance_ms)),
    min_duration: interval(pick(changes.minDurationMs, current.min_duration_ms)),
    max_duration: interval(pick(changes.maxDurationMs, current.max_duration_ms)),
    setup_buffer: interval(pick(changes.setupBufferMs, current.setup_buffer_ms)),
    teardown_buffer: interval(pick(changes.teardownBufferMs, current.teardown_buffer_ms)),
    max_upcoming: pick(changes.maxUpcoming, current.max_upcoming),
    max_hours_per_week: pick(changes.maxHoursPerWeek, current.max_hours_per_week),
    booking_roles: pick(changes.bookingRoles, current.booking_roles),
    restricted: pick(changes.restricted, current.restricted),
    hall_admins_edit: pick(changes.hallAdminsEdit, current.hall_admins_edit),
  };
  await sql`
    insert into venue_rules (venue_id, min_notice, max_advance, min_duration, max_duration, setup_buffer, teardown_buffer,
      max_upcoming, max_hours_per_week, booking_roles, restricted, hall_admins_edit)
    values (${venueId}, ${next.min_notice}::interval, ${next.max_advance}::interval, ${next.min_duration}::interval,
      ${next.max_duration}::interval, ${next.setup_buffer}::interval, ${next.teardown_buffer}::interval, ${next.max_upcoming},
      ${next.max_hours_per_week}, ${next.booking_roles}::text[], ${next.restricted}, ${next.hall_admins_edit})
    on conflict (venue_id) do update set min_notice = excluded.min_notice, max_advance = excluded.max_advance,
      min_duration = excluded.min_duration, max_duration = excluded.max_duration, setup_buffer = excluded.setup_buffer,
      teardown_buffer = excluded.teardown_buffer, max_upcoming = excluded.max_upcoming,
      max_hours_per_week = excluded.max_hours_per_week, booking_roles = excluded.booking_roles,
      restricted = excluded.restricted, hall_admins_edit = excluded.hall_admins_edit, updated_at = now()`;
}

export async function findOpeningHours(sql: Queryable, venueId: number): Promise<OpeningHours[]> {
  return sql<OpeningHours[]>`
    select weekday, to_char(opens, 'HH24:MI:SS') as opens,
      case when closes = '24:00' then '24:00:00' else to_char(closes, 'HH24:MI:SS') end as closes
    from venue_hours where venue_id = ${venueId} order by weekday`;
}

/** Replaces a venue's opening hours (none: open round the clock). */
export async function replaceOpeningHours(sql: Queryable, venueId: number, hours: OpeningHours[]): Promise<void> {
  await sql`delete from venue_hours where venue_id = ${venueId}`;
  for (const day of hours)
    await sql`insert into venue_hours (venue_id, weekday, opens, closes) values (${venueId}, ${day.weekday}, ${day.opens}::time, ${day.closes}::time)`;
}

export interface ClosureRow extends Closure {
  id: number;
  venue_id: number;
  created_at: Date;
}

/** The closures that touch the venue-local dates first..last (all of them without a range). */
export async function findClosures(
  sql: Queryable,
  venueId: number,
  range?: { first: string; last: string },
): Promise<ClosureRow[]> {
  return sql<ClosureRow[]>`
    select id, venue_id, to_char(lower(dates), 'YYYY-MM-DD') as first, to_char(upper(dates) - 1, 'YYYY-MM-DD') as last, reason, created_at
    from venue_closures
    where venue_id = ${venueId}
      ${range ? sql`and dates && daterange(${range.first}::date, ${range.last}::date, '[]')` : sql``}
    order by lower(dates), id`;
}

export async function insertClosure(
  sql: Queryable,
  closure: { venueId: number; first: string; last: string; reason: string; createdBy: number },
): Promise<ClosureRow> {
  const [row] = await sql<ClosureRow[]>`
    insert into venue_closures (venue_id, dates, reason, created_by)
    values (${closure.venueId}, daterange(${closure.first}::date, ${closure.last}::date, '[]'), ${closure.reason}, ${closure.createdBy})
    returning id, venue_id, to_char(lower(dates), 'YYYY-MM-DD') as first, to_char(upper(dates) - 1, 'YYYY-MM-DD') as last, reason, created_at`;
  return row!;
}

export async function deleteClosure(sql: Queryable, venueId: number, id: number): Promise<boolean> {
  return (await sql`delete from venue_closures where venue_id = ${venueId} and id = ${id}`).count > 0;
}

/** Whether the member is listed as a booker of a restricted venue. */
export async function isListedBooker(sql: Queryable, venueId: number, userId: number): Promise<boolean> {
  return (await sql`select 1 from venue_bookers where venue_id = ${venueId} and user_id = ${userId}`).length > 0;
}

export async function listedBookers(sql: Queryable, venueId: number): Promise<number[]> {
  const rows = await sql<
    { user_id: number }[]
  >`select user_id from venue_bookers where venue_id = ${venueId} order by user_id`;
  return rows.map((row) => row.user_id);
}

export async function replaceListedBookers(sql: Queryable, venueId: number, userIds: number[]): Promise<void> {
  await sql`delete from venue_bookers where venue_id = ${venueId}`;
  if (userIds.length > 0)
    await sql`insert into venue_bookers (venue_id, user_id) select ${venueId}, unnest(${sql.array(userIds)}::bigint[]) on conflict do nothing`;
}
