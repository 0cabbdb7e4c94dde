import type { Config } from '../config/config';
import {
  checkOpening,
  checkTiming,
  localSpan,
  weekStart,
  type RuleBroken,
  type VenueRules,
} from '../contracts/venue-rules';
import type { TransactionSql } from '../db/sql';
import { ruleBroken } from '../domain/errors';
import { findClosures, findOpeningHours, findRuleSettings, isListedBooker, rulesInForce } from '../rules/store';
import { administersVenue, type VenueRow } from '../venues/store';

// The venue's rules, applied where bookings are written: what a slot must meet before it is
// inserted (who may book, notice, advance, length, opening hours, closures), and the quotas, counted
// after the insert inside the same transaction, behind a per-member lock, so two racing requests
// cannot both take the last allowance.

export interface RuleDeps {
  config: Pick<Config, 'rules'>;
}

type Venue = Pick<VenueRow, 'id' | 'name' | 'time_zone' | 'archived_at'>;
type Slot = { startsAt: Date; endsAt: Date };

/** The buffers a new booking blocks around its time, and the rules it was checked against. */
export interface RulesApplied {
  rules: VenueRules;
  setupBufferMs: number;
  teardownBufferMs: number;
  /** Quotas still to count once it is written (none when a venue's staff overrode the rules). */
  quotas: boolean;
}

const refuse = (venue: Venue, broken: RuleBroken, slot?: { date: string; many: boolean }) =>
  ruleBroken(`${venue.name} ${broken.message}${slot?.many ? ` (the date ${slot.date})` : ''}`, {
    rule: broken.rule,
    limit: broken.limit,
  });

/**
 * Takes the member's quota lock, then checks what the slots must meet before they are written;
 * `override` (a venue's staff, with a reason) waives every rule but an archived venue's. Answers
 * the buffers to block with. Call first in the transaction that writes the bookings.
 */
export async function enforceVenueRules(
  tx: TransactionSql,
  deps: RuleDeps,
  request: { venue: Venue; user: { id: number; role: string }; slots: Slot[]; now: Date; override: boolean },
): Promise<RulesApplied> {
  const { venue, user, slots, now } = request;
  if (venue.archived_at !== null)
    throw ruleBroken(`${venue.name} is archived: it takes no new bookings`, { rule: 'archived', limit: 'none' });
  const rules = rulesInForce(await findRuleSettings(tx, venue.id), deps.config.rules);
  const applied = {
    rules,
    setupBufferMs: rules.setupBufferMs,
    teardownBufferMs: rules.teardownBufferMs,
    quotas: !request.override,
  };
  await tx`select pg_advisory_xact_lock(hashtextextended(${`bookit:member-quota:${user.id}`}, 0))`;
  if (request.override) return applied;
  const staff = await administersVenue(tx, user, venue.id);
  if (!staff && rules.bookingRoles !== null && !rules.bookingRoles.includes(user.role as never))
    throw refuse(venue, {
      rule: 'who_may_book',
      limit: rules.bookingRoles.join(','),
      message: `is booked only by ${rules.bookingRoles.map((role) => role.replace('_', ' ')).join(', ')}s`,
    });
  if (!staff && rules.restricted && !(await isListedBooker(tx, venue.id, user.id)))
    throw refuse(venue, {
      rule: 'who_may_book',
      limit: 'listed members',
      message: 'is booked only by the members its staff list',
    });
  const spans = slots.map((slot) =>
    localSpan({ startsAt: slot.startsAt.getTime(), endsAt: slot.endsAt.getTime() }, venue.time_zone),
  );
  const [hours, closures] = await Promise.all([
    findOpeningHours(tx, venue.id),
    spans.length === 0
      ? Promise.resolve([])
      : findClosures(tx, venue.id, {
          first: spans[0]!.startDate,
          last: spans.reduce((last, span) => (span.endDate > last ? span.endDate : last), spans[0]!.endDate),
        }),
  ]);
  const many = slots.length > 1;
  for (const [index, slot] of slots.entries()) {
    const span = spans[index]!;
    const broken =
      checkTiming(rules, { startsAt: slot.startsAt.getTime(), endsAt: slot.endsAt.getTime() }, now.getTime()) ??
      checkOpening(hours, closures, span);
    if (broken) throw refuse(venue, broken, { date: span.startDate, many });
  }
  return applied;
}

/**
 * The quotas, counted once the bookings are written (in the same transaction, behind the lock
 * `enforceVenueRules` took): upcoming bookings at the venue and in all, and hours in each
 * venue-local week the new bookings fall in. Throws (rolling the transaction back) when over.
 */
export async function enforceQuotas(
  tx: TransactionSql,
  applied: RulesApplied,
  request: { venue: Venue; userId: number; slots: Slot[]; now: Date },
): Promise<void> {
  if (!applied.quotas || request.slots.length === 0) return;
  const { rules } = applied;
  const { venue, userId, now } = request;
  const [counts] = await tx<{ here: number; everywhere: number }[]>`
    select count(*) filter (where venue_id = ${venue.id})::int as here, count(*)::int as everywhere
    from bookings where user_id = ${userId} and status = 'active' and upper(during) > ${now}`;
  if (rules.maxUpcomingPerVenue > 0 && counts!.here > rules.maxUpcomingPerVenue)
    throw refuse(venue, {
      rule: 'max_upcoming',
      limit: String(rules.maxUpcomingPerVenue),
      message: `allows each member at most ${rules.maxUpcomingPerVenue} upcoming bookings (you would hold ${counts!.here})`,
    });
  if (rules.maxUpcoming > 0 && counts!.everywhere > rules.maxUpcoming)
    throw ruleBroken(
      `Each member may hold at most ${rules.maxUpcoming} upcoming bookings in all (you would hold ${counts!.everywhere})`,
      { rule: 'max_upcoming_in_all', limit: String(rules.maxUpcoming) },
    );
  if (rules.maxHoursPerWeek <= 0) return;
  const weeks = [
    ...new Set(
      request.slots.map((slot) =>
        weekStart(
          localSpan({ startsAt: slot.startsAt.getTime(), endsAt: slot.endsAt.getTime() }, venue.time_zone).startDate,
        ),
      ),
    ),
  ].sort();
  const booked = await tx<{ week: string; hours: number }[]>`
    select to_char(w.week, 'YYYY-MM-DD') as week,
      coalesce(sum(extract(epoch from upper(b.during) - lower(b.during)) / 3600), 0)::float8 as hours
    from unnest(${tx.array(weeks)}::date[]) as w(week)
    left join bookings b on b.user_id = ${userId} and b.venue_id = ${venue.id} and b.status = 'active'
      and (lower(b.during) at time zone ${venue.time_zone})::date >= w.week
      and (lower(b.during) at time zone ${venue.time_zone})::date < w.week + 7
    group by w.week order by w.week`;
  const over = booked.find((week) => week.hours > rules.maxHoursPerWeek + 1e-9);
  if (over)
    throw refuse(venue, {
      rule: 'max_hours_per_week',
      limit: String(rules.maxHoursPerWeek),
      message: `allows each member at most ${rules.maxHoursPerWeek} hours a week (the week of ${over.week} would have ${Math.round(over.hours * 100) / 100})`,
    });
}
