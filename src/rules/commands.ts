import { bookingsInClosure, cancelBookingsForClosure, type ClosedOutBooking } from '../bookings/commands';
import type { Config } from '../config/config';
import type { OpeningHours, VenueRules } from '../contracts/venue-rules';
import { workflowTypes } from '../contracts/workflow-types';
import { outbox } from '../db/outbox';
import type { Queryable, Sql } from '../db/sql';
import type { ActingUser } from '../domain/acting-user';
import { forbidden, invalid, notFound } from '../domain/errors';
import { noticeWorkflowId } from '../temporal/workflow-ids';
import { findUser } from '../users/store';
import { administersVenue, findVenue, type VenueRow } from '../venues/store';
import { closeEntriesInClosure } from '../waitlist/entries';
import {
  deleteClosure,
  findClosures,
  findOpeningHours,
  findRuleSettings,
  insertClosure,
  listedBookers,
  replaceListedBookers,
  replaceOpeningHours,
  rulesInForce,
  updateRuleSettings,
  type ClosureRow,
  type RuleChanges,
  type VenueRuleSettings,
} from './store';

type Actor = Pick<ActingUser, 'id' | 'role'>;

interface Deps {
  sql: Sql;
  config: Pick<Config, 'rules' | 'lifecycle'>;
}

/**
 * The venue, when `user` may change its rules, hours and closures: a super admin, or one of its
 * hall admins while the venue lets them (`hall_admins_edit`, the default).
 */
export async function editableVenue(sql: Queryable, user: Actor, venueId: number): Promise<VenueRow> {
  const venue = await findVenue(sql, venueId);
  if (!venue) throw notFound('Venue');
  if (user.role === 'super_admin') return venue;
  if (!(await administersVenue(sql, user, venueId))) throw forbidden('Only an administrator of this venue can do this');
  if (!(await findRuleSettings(sql, venueId)).hall_admins_edit)
    throw forbidden("Only a super admin can change this venue's rules");
  return venue;
}

/** A venue's rules as its page shows them: its own settings, the rules in force, hours, closures, listed bookers. */
export interface RulesView {
  settings: VenueRuleSettings;
  inForce: VenueRules;
  hours: OpeningHours[];
  closures: ClosureRow[];
  bookers: number[];
}

export async function rulesView(deps: Pick<Deps, 'sql' | 'config'>, venueId: number): Promise<RulesView> {
  const venue = await findVenue(deps.sql, venueId);
  if (!venue) throw notFound('Venue');
  const [settings, hours, closures, bookers] = await Promise.all([
    findRuleSettings(deps.sql, venueId),
    findOpeningHours(deps.sql, venueId),
    findClosures(deps.sql, venueId),
    listedBookers(deps.sql, venueId),
  ]);
  return { settings, inForce: rulesInForce(settings, deps.config.rules), hours, closures, bookers };
}

/**
 * Changes a venue's rules, opening hours (replaced as a whole) and listed bookers, in one
 * transaction. Bookings already made keep what they had; the rules apply to what is booked next.
 */
export async function changeRules(
  deps: Deps,
  user: Actor,
  venueId: number,
  changes: { rules?: RuleChanges; hours?: OpeningHours[]; bookers?: number[] },
): Promise<RulesView> {
  await editableVenue(deps.sql, user, venueId);
  if (changes.rules?.hallAdminsEdit !== undefined && user.role !== 'super_admin')
    throw forbidden('Only a super admin can say whether hall admins may change these rules');
  if (changes.hours) {
    const days = changes.hours.map((day) => day.weekday);
    if (new Set(days).size !== days.length) throw invalid('body field "hours" names a weekday twice');
    const backwards = changes.hours.find((day) => day.closes <= day.opens);
    if (backwards) throw invalid(`body field "hours": on weekday ${backwards.weekday} it must close after it opens`);
  }
  if (changes.bookers) {
    for (const id of changes.bookers)
      if (!(await findUser(deps.sql, id))) throw invalid(`body field "bookers" names no user ${id}`);
  }
  await deps.sql.begin(async (tx) => {
    if (changes.rules) await updateRuleSettings(tx, venueId, changes.rules);
    if (changes.hours) await replaceOpeningHours(tx, venueId, changes.hours);
    if (changes.bookers) await replaceListedBookers(tx, venueId, changes.bookers);
  });
  return rulesView(deps, venueId);
}

/** A closure that would cancel bookings, asked without saying to: a 409 that lists them. */
export class ClosureConflictError extends Error {
  constructor(
    message: string,
    readonly bookings: ClosedOutBooking[],
  ) {
    super(message);
  }
}

/**
 * Closes a venue over venue-local dates, with why. Bookings there not yet started are listed first
 * (a ClosureConflictError) unless `cancelBookings` says to cancel them: then, in one transaction,
 * the closure is written, each is cancelled with the reason (the booker told, with the calendar
 * cancellation) and each wait there is closed with a notice that nothing is coming.
 */
export async function addClosure(
  deps: Deps,
  user: Actor,
  venueId: number,
  closure: { first: string; last: string; reason: string; cancelBookings: boolean },
  now = new Date(),
): Promise<{ closure: ClosureRow; cancelled: number[]; waitsClosed: number[] }> {
  const venue = await editableVenue(deps.sql, user, venueId);
  if (closure.last < closure.first) throw invalid('body field "last" must not be before "first"');
  const range = { first: closure.first, last: closure.last };
  return (await deps.sql.begin(async (tx) => {
    const affected = await bookingsInClosure(tx, venue, range, now);
    if (affected.length > 0 && !closure.cancelBookings)
      throw new ClosureConflictError(
        `Closing ${venue.name} then would cancel ${affected.length} ${affected.length === 1 ? 'booking' : 'bookings'}; send "cancel_bookings": true to close it and cancel them`,
        affected,
      );
    const row = await insertClosure(tx, { venueId, ...range, reason: closure.reason, createdBy: user.id });
    const reason = `${venue.name} is closed: ${closure.reason}`;
    const cancelled = await cancelBookingsForClosure(tx, user, venue, range, reason, now);
    const waitsClosed = await closeEntriesInClosure(tx, venue, range);
    for (const entryId of waitsClosed)
      await outbox.start(
        tx,
        workflowTypes.noticeWorkflow,
        noticeWorkflowId(`waitlist-${entryId}-closed`),
        {
          notice: { kind: 'waitlist_closed', entryId, reason: closure.reason },
          emailRetryInitialMs: deps.config.lifecycle.emailRetryInitialMs,
        },
        { staticSummary: `Wait ${entryId} closed: ${venue.name} closed` },
      );
    return { closure: row, cancelled, waitsClosed };
  })) as { closure: ClosureRow; cancelled: number[]; waitsClosed: number[] };
}

export async function removeClosure(deps: Deps, user: Actor, venueId: number, closureId: number): Promise<void> {
  await editableVenue(deps.sql, user, venueId);
  if (!(await deleteClosure(deps.sql, venueId, closureId))) throw notFound('Closure');
}
