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

/**
 * One upsert: a field given is set (null back to the default), a field left out keeps what the row
 * has, so two changes to different rules at once both stand.
 */
export async function updateRuleSettings(sql: Queryable, venueId: number, c: RuleChanges): Promise<void> {
  const interval = (value: number | null | undefined) =>
    value === undefined || value === null ? null : `${value} milliseconds`;
  const given = (value: unknown) => value !== undefined;
  await sql`
    insert into venue_rules (venue_id, min_notice, max_advance, min_duration, max_duration, setup_buffer, teardown_buffer,
      max_upcoming, max_hours_per_week, booking_roles, restricted, hall_admins_edit)
    values (${venueId}, ${interval(c.minNoticeMs)}::interval, ${interval(c.maxAdvanceMs)}::interval,
      ${interval(c.minDurationMs)}::interval, ${interval(c.maxDurationMs)}::interval, ${interval(c.setupBufferMs)}::interval,
      ${interval(c.teardownBufferMs)}::interval, ${c.maxUpcoming ?? null}::int, ${c.maxHoursPerWeek ?? null}::numeric,
      ${c.bookingRoles ?? null}::text[], ${c.restricted ?? false}, ${c.hallAdminsEdit ?? true})
    on conflict (venue_id) do update set
      min_notice = case when ${given(c.minNoticeMs)} then excluded.min_notice else venue_rules.min_notice end,
      max_advance = case when ${given(c.maxAdvanceMs)} then excluded.max_advance else venue_rules.max_advance end,
      min_duration = case when ${given(c.minDurationMs)} then excluded.min_duration else venue_rules.min_duration end,
      max_duration = case when ${given(c.maxDurationMs)} then excluded.max_duration else venue_rules.max_duration end,
      setup_buffer = case when ${given(c.setupBufferMs)} then excluded.setup_buffer else venue_rules.setup_buffer end,
      teardown_buffer = case when ${given(c.teardownBufferMs)} then excluded.teardown_buffer else venue_rules.teardown_buffer end,
      max_upcoming = case when ${given(c.maxUpcoming)} then excluded.max_upcoming else venue_rules.max_upcoming end,
      max_hours_per_week = case when ${given(c.maxHoursPerWeek)} then excluded.max_hours_per_week else venue_rules.max_hours_per_week end,
      booking_roles = case when ${given(c.bookingRoles)} then excluded.booking_roles else venue_rules.booking_roles end,
      restricted = case when ${given(c.restricted)} then excluded.restricted else venue_rules.restricted end,
      hall_admins_edit = case when ${given(c.hallAdminsEdit)} then excluded.hall_admins_edit else venue_rules.hall_admins_edit end,
      updated_at = now()`;
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
