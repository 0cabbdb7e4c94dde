import type { Config } from '../config/config';
import type { ActingUser } from '../domain/acting-user';
import { conflict, forbidden, invalid, notFound } from '../domain/errors';
import { findBookingView, type BookingView } from './queries';
import { outbox } from '../db/outbox';
import type { Queryable, Sql, TransactionSql } from '../db/sql';
import { venueLocal, venueLocalSlot } from '../db/venue-local-time';
import { administersVenue, findVenue, type VenueRow } from '../venues/store';
import { bookingWorkflowId } from '../temporal/workflow-ids';
import { approvalDeadline } from '../contracts/approval-policy';
import { isShortNotice } from '../contracts/booking-policy';
import { describeDuration } from '../config/duration';
import { cancelSignal, confirmSignal, rescheduleSignal } from '../contracts/booking-signals';
import { resolveLocalSlot, type LocalSlot } from './local-slot';
import { lockVenueBookings } from './occupancy';
import { findRuleSettings, rulesInForce } from '../rules/store';
import { enforceQuotas, enforceVenueRules } from './rule-checks';
import { releaseSlot } from './slot-release';
import { BOOKING_WORKFLOW_TYPE, bookingSummary, bookingWorkflowInput } from './workflow-start';

/** What the booking commands need: the pool and the lifecycle's timings. */
export interface BookingDeps {
  sql: Sql;
  config: Pick<Config, 'lifecycle' | 'rules'>;
}
type Deps = BookingDeps;
const EXCLUSION_VIOLATION = '23P01';

export interface NewBooking extends LocalSlot {
  venueId: number;
  eventName: string;
  eventDetails: string;
  /** A venue's staff waiving its rules for this booking, and why (recorded on it). */
  overrideReason?: string;
}

/** The exclusion constraint refused an overlapping active booking. */
export function isOverlapError(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === EXCLUSION_VIOLATION;
}

const OVERLAP_MESSAGE = 'The venue is already booked for an overlapping time';

/**
 * Writes the booking and its workflow start in one transaction, so a 201 never depends on Temporal
 * being up. The exclusion constraint decides overlaps (a conflict), never a check-then-insert.
 */
export async function createBooking(
  deps: Deps,
  user: ActingUser,
  input: NewBooking,
  now = new Date(),
): Promise<BookingView> {
  const venue = await findVenue(deps.sql, input.venueId);
  if (!venue) throw invalid('body field "venue" names no venue');
  const slot = await resolveLocalSlot(deps.sql, venue, input, {
    now,
    horizonMs: deps.config.lifecycle.bookingHorizonMs,
  });
  if (!slot.ok) throw invalid(`body field "${slot.field}" ${slot.message}`);
  if (input.overrideReason !== undefined && !(await administersVenue(deps.sql, user, venue.id)))
    throw forbidden(`Only ${venue.name}'s staff can override its rules`);
  try {
    return (await deps.sql.begin(async (tx) => {
      const applied = await enforceVenueRules(tx, deps, {
        venue,
        user,
        slots: [slot],
        now,
        override: input.overrideReason !== undefined,
      });
      const bookingId = await insertBookingWithWorkflow(tx, deps, {
        venue,
        userId: user.id,
        startsAt: slot.startsAt,
        endsAt: slot.endsAt,
        eventName: input.eventName,
        eventDetails: input.eventDetails,
        now,
        buffers: applied,
        override: input.overrideReason === undefined ? undefined : { reason: input.overrideReason, by: user.id },
      });
      await enforceQuotas(tx, applied, { venue, userId: user.id, slots: [slot], now });
      return (await findBookingView(tx, bookingId))!;
    })) as BookingView;
  } catch (error) {
    if (isOverlapError(error)) throw conflict(OVERLAP_MESSAGE);
    throw error;
  }
}

export interface BookingInsert {
  venue: Pick<VenueRow, 'id' | 'name' | 'time_zone' | 'approval_required'>;
  userId: number;
  startsAt: Date;
  endsAt: Date;
  eventName: string;
  eventDetails: string;
  now: Date;
  /** An occurrence of a series: the series and the venue-local date it stands for. */
  series?: { id: number; date: string };
  /** At a venue that approves bookings: the deadline of the request, when it is decided with others (a series' dates). */
  approvalDeadline?: Date;
  /** The venue's setup and teardown buffers, blocked around the booking's time (the venue's own without). */
  buffers?: { setupBufferMs: number; teardownBufferMs: number };
  /** A venue's staff waived its rules for it: why, and who. */
  override?: { reason: string; by: number };
}

/**
 * Inserts an active booking and the start of its lifecycle workflow, inside the caller's
 * transaction (a direct booking, or a claimed waitlist offer), in line for the venue first. The
 * exclusion constraint raises 23P01 on an overlap; callers turn that into a conflict.
 */
export async function insertBookingWithWorkflow(tx: TransactionSql, deps: Deps, b: BookingInsert): Promise<number> {
  // A claimed offer has had no rules checked: it still keeps the venue's buffers.
  const buffers = b.buffers ?? rulesInForce(await findRuleSettings(tx, b.venue.id), deps.config.rules);
  const setupMs = buffers.setupBufferMs;
  const teardownMs = buffers.teardownBufferMs;
  await lockVenueBookings(
    tx,
    b.venue.id,
    new Date(b.startsAt.getTime() - setupMs),
    new Date(b.endsAt.getTime() + teardownMs),
  );
  const leads = leadsOf(deps);
  // A venue that approves its bookings needs time to: one inside the confirmation lead is refused.
  if (b.venue.approval_required && isShortNotice(b.startsAt.getTime(), b.now.getTime(), leads)) {
    throw invalid(
      `${b.venue.name}'s staff approve each booking: book at least ${describeDuration(leads.confirmDeadlineMs)} ahead`,
    );
  }
  const confirmedOnCreation = !b.venue.approval_required && isShortNotice(b.startsAt.getTime(), b.now.getTime(), leads);
  const deadline = b.venue.approval_required
    ? (b.approvalDeadline ??
      new Date(approvalDeadline(b.now.getTime(), b.startsAt.getTime(), { ...leads, ...deps.config.lifecycle })))
    : null;
  const [row] = await tx<{ id: number; date: string; start_time: string; end_time: string }[]>`
    insert into bookings (venue_id, user_id, event_name, event_details, during, confirmed, confirmed_at, series_id, occurrence_date,
      approval_status, approval_requested_at, approval_deadline, setup_buffer, teardown_buffer, rule_override_reason, rule_override_by)
    values (${b.venue.id}, ${b.userId}, ${b.eventName}, ${b.eventDetails}, tstzrange(${b.startsAt}, ${b.endsAt}, '[)'),
      ${confirmedOnCreation}, ${confirmedOnCreation ? b.now : null}, ${b.series?.id ?? null}, ${b.series?.date ?? null},
      ${deadline ? 'pending' : null}, ${deadline ? b.now : null}, ${deadline},
      make_interval(secs => ${setupMs / 1000}), make_interval(secs => ${teardownMs / 1000}),
      ${b.override?.reason ?? null}, ${b.override?.by ?? null})
    returning id, ${venueLocalSlot(tx, { startsAt: tx`lower(during)`, endsAt: tx`upper(during)` }, b.venue.time_zone, 'HH24:MI')}`;
  const { id: bookingId, ...local } = row!;
  await outbox.start(
    tx,
    BOOKING_WORKFLOW_TYPE,
    bookingWorkflowId(bookingId),
    bookingWorkflowInput(bookingId, deps.config.lifecycle),
    {
      staticSummary: bookingSummary(
        b.venue.name,
        { date: local.date, startTime: local.start_time, endTime: local.end_time },
        bookingId,
      ),
      staticDetails: `Booking ${bookingId} of ${b.venue.name} (${b.venue.time_zone}). Query \`state\` for its lifecycle as JSON.`,
    },
  );
  return bookingId;
}

function leadsOf(deps: Deps) {
  return {
    reminderLeadMs: deps.config.lifecycle.reminderLeadMs,
    confirmDeadlineMs: deps.config.lifecycle.confirmDeadlineMs,
  };
}

type Access = 'view' | 'cancel' | 'confirm' | 'override' | 'edit' | 'check_in';

/** Loads a booking the user may act on; someone who may not even see it gets not_found, as if it did not exist. */
export async function bookingFor(
  sql: Queryable,
  user: Pick<ActingUser, 'id' | 'role'>,
  id: number,
  access: Access,
): Promise<BookingView> {
  const booking = await findBookingView(sql, id);
  if (!booking) throw notFound('Booking');
  const owner = booking.user === user.id;
  const admin = await administersVenue(sql, user, booking.venue);
  if (!owner && !admin) throw notFound('Booking');
  if (access === 'confirm' && !owner) throw forbidden('Only the person who made the booking can confirm it');
  // Checking in is the booker's, or the venue's staff's at its desk (the booker stands before them).
  if (access === 'override' && !admin) throw forbidden('Only an administrator of this venue can override auto-cancel');
  return booking;
}

/**
 * What an email link knew of the booking: the schedule_version its email described. A command given
 * one changes the booking only while it still has that version (a reschedule moves it on).
 */
export interface ExpectedSchedule {
  scheduleVersion: number;
}

const RESCHEDULED_MESSAGE = 'The booking was rescheduled after this link was sent';

const onSchedule = (tx: TransactionSql, expected: ExpectedSchedule | undefined) =>
  expected ? tx`and schedule_version = ${expected.scheduleVersion}` : tx``;

export async function confirmBooking(
  deps: Deps,
  user: Pick<ActingUser, 'id' | 'role'>,
  id: number,
  mode: 'owner' | 'override',
  expected?: ExpectedSchedule,
): Promise<{ booking: BookingView; confirmedNow: boolean }> {
  await bookingFor(deps.sql, user, id, mode === 'owner' ? 'confirm' : 'override');
  return deps.sql.begin(async (tx) => {
    const changed = await tx`
      update bookings set confirmed = true, confirmed_at = now(), confirmed_by = ${user.id}, updated_at = now()
      where id = ${id} and status = 'active' and not confirmed ${onSchedule(tx, expected)}
      returning id`;
    const booking = (await findBookingView(tx, id))!;
    if (changed.length === 0) {
      if (booking.status !== 'active')
        throw conflict(
          `The booking is ${booking.auto_cancelled ? 'already auto-cancelled' : booking.status} and cannot be confirmed`,
        );
      if (expected && !booking.confirmed) throw conflict(RESCHEDULED_MESSAGE);
      return { booking, confirmedNow: false };
    }
    await outbox.signal(tx, confirmSignal, bookingWorkflowId(id));
    return { booking, confirmedNow: true };
  }) as Promise<{ booking: BookingView; confirmedNow: boolean }>;
}

export async function cancelBooking(
  deps: Deps,
  user: Pick<ActingUser, 'id' | 'role'>,
  id: number,
  reason: string | undefined,
  expected?: ExpectedSchedule,
): Promise<BookingView> {
  await bookingFor(deps.sql, user, id, 'cancel');
  return deps.sql.begin(async (tx) => {
    const [freed] = await tx<{ venue_id: number; starts_at: Date; ends_at: Date }[]>`
      update bookings set status = 'cancelled', cancelled_at = now(), cancelled_by = ${user.id}, cancel_reason = ${reason ?? null}, updated_at = now()
      where id = ${id} and status = 'active' ${onSchedule(tx, expected)}
      returning venue_id, lower(during) as starts_at, upper(during) as ends_at`;
    if (!freed)
      throw conflict(
        expected && (await findBookingView(tx, id))?.status === 'active'
          ? RESCHEDULED_MESSAGE
          : 'The booking is no longer active',
      );
    await outbox.signal(tx, cancelSignal, bookingWorkflowId(id));
    await releaseSlot(tx, { venueId: freed.venue_id, startsAt: freed.starts_at, endsAt: freed.ends_at });
    return (await findBookingView(tx, id))!;
  }) as Promise<BookingView>;
}

/** What closing an account did to the member's bookings. */
export const ACCOUNT_CLOSED_REASON = 'account closed';

/**
 * A member's account closed: every booking of theirs that has not started is cancelled in the
 * caller's transaction, by the admin who closed it, with the reason "account closed". Each booking's
 * workflow tells the booker (with the calendar cancellation) and the venue's hall admins, and each
 * slot goes to its waiters. Answers the ids cancelled.
 */
export async function cancelUpcomingBookingsOf(
  tx: TransactionSql,
  actor: Pick<ActingUser, 'id'>,
  userId: number,
  now = new Date(),
): Promise<number[]> {
  const freed = await tx<Freed[]>`
    update bookings set status = 'cancelled', cancelled_at = now(), cancelled_by = ${actor.id}, cancel_reason = ${ACCOUNT_CLOSED_REASON}, updated_at = now()
    where user_id = ${userId} and status = 'active' and lower(during) > ${now}
    returning id, venue_id, lower(during) as starts_at, upper(during) as ends_at`;
  return afterCancelling(tx, freed);
}

type Freed = { id: number; venue_id: number; starts_at: Date; ends_at: Date };

/** What follows a cancel of many bookings in one statement: each workflow told, each slot offered to its waiters; the ids, in order. */
async function afterCancelling(tx: TransactionSql, freed: Freed[]): Promise<number[]> {
  for (const booking of freed) {
    await outbox.signal(tx, cancelSignal, bookingWorkflowId(booking.id));
    await releaseSlot(tx, { venueId: booking.venue_id, startsAt: booking.starts_at, endsAt: booking.ends_at });
  }
  return freed.map((booking) => booking.id).sort((a, b) => a - b);
}

/**
 * Cancels a series' active occurrences that have not started, from `fromDate` on (all of them
 * without it), in the caller's transaction: each is marked cancelled with its series (the series'
 * notice tells of them all at once), its workflow signalled and its slot offered to waiters.
 * Answers the ids cancelled.
 */
export async function cancelSeriesOccurrences(
  tx: TransactionSql,
  actor: Pick<ActingUser, 'id'>,
  seriesId: number,
  fromDate: string | null,
  reason: string | null,
  now = new Date(),
): Promise<number[]> {
  const freed = await tx<Freed[]>`
    update bookings set status = 'cancelled', cancelled_at = now(), cancelled_by = ${actor.id}, cancel_reason = ${reason}, cancelled_with_series = true, updated_at = now()
    where series_id = ${seriesId} and status = 'active' and lower(during) > ${now}
      ${fromDate === null ? tx`` : tx`and occurrence_date >= ${fromDate}::date`}
    returning id, venue_id, lower(during) as starts_at, upper(during) as ends_at`;
  return afterCancelling(tx, freed);
}

/** A series renamed: every active occurrence takes the new name or details (null keeps one). */
export async function renameSeriesOccurrences(
  tx: TransactionSql,
  seriesId: number,
  eventName: string | null,
  eventDetails: string | null,
): Promise<void> {
  await tx`update bookings set event_name = coalesce(${eventName}, event_name),
    event_details = coalesce(${eventDetails}, event_details), updated_at = now()
    where series_id = ${seriesId} and status = 'active'`;
}

/** The owner confirms every remaining occurrence of their series at once ("all remaining"); answers the ids confirmed now. */
export async function confirmSeriesOccurrences(
  tx: TransactionSql,
  owner: Pick<ActingUser, 'id'>,
  seriesId: number,
  now = new Date(),
): Promise<number[]> {
  const confirmed = await tx<{ id: number }[]>`
    update bookings set confirmed = true, confirmed_at = now(), confirmed_by = ${owner.id}, updated_at = now()
    where series_id = ${seriesId} and user_id = ${owner.id} and status = 'active' and not confirmed and lower(during) > ${now}
    returning id`;
  for (const { id } of confirmed) await outbox.signal(tx, confirmSignal, bookingWorkflowId(id));
  return confirmed.map((row) => row.id).sort((a, b) => a - b);
}

/** The active bookings at a venue that overlap an interval (but `exceptId`, the one moving), as venue-local times: what holds a slot someone asked for. */
export async function overlappingBookingTimes(
  sql: Queryable,
  venue: Pick<VenueRow, 'id' | 'time_zone'>,
  startsAt: Date,
  endsAt: Date,
  exceptId: number | null = null,
): Promise<{ start_time: string; end_time: string }[]> {
  return sql<{ start_time: string; end_time: string }[]>`
    select ${venueLocal(sql, sql`lower(during)`, venue.time_zone, 'HH24:MI')} as start_time, ${venueLocal(sql, sql`upper(during)`, venue.time_zone, 'HH24:MI')} as end_time
    from bookings where venue_id = ${venue.id} and status = 'active' and during && tstzrange(${startsAt}, ${endsAt}, '[)')
      and id is distinct from ${exceptId}
    order by lower(during)`;
}

export interface BookingChanges {
  date?: string;
  startTime?: string;
  endTime?: string;
  eventName?: string;
  eventDetails?: string;
}

/**
 * A new time is checked by the same exclusion constraint, clears reminder and confirmation, frees
 * the old interval and tells the workflow to re-arm its timers for the new time.
 */
export async function rescheduleBooking(
  deps: Deps,
  user: Pick<ActingUser, 'id' | 'role'>,
  id: number,
  changes: BookingChanges,
  now = new Date(),
): Promise<BookingView> {
  const current = await bookingFor(deps.sql, user, id, 'edit');
  if (current.status !== 'active') throw conflict('Only an active booking can be changed');
  const venue = (await findVenue(deps.sql, current.venue))!;
  const [started] = await deps.sql`select 1 from bookings where id = ${id} and lower(during) <= ${now}`;
  if (started) throw conflict('The booking has already started and cannot be changed');
  const slot: LocalSlot = {
    date: changes.date ?? current.date,
    startTime: changes.startTime ?? current.start_time,
    endTime: changes.endTime ?? current.end_time,
  };
  const timeChanged =
    slot.date !== current.date ||
    slot.startTime.padEnd(8, ':00') !== current.start_time ||
    slot.endTime.padEnd(8, ':00') !== current.end_time;
  const resolved = timeChanged
    ? await resolveLocalSlot(deps.sql, venue, slot, { now, horizonMs: deps.config.lifecycle.bookingHorizonMs })
    : undefined;
  if (resolved && !resolved.ok) throw invalid(`body field "${resolved.field}" ${resolved.message}`);
  try {
    return (await deps.sql.begin(async (tx) => {
      const applied = resolved?.ok
        ? await enforceVenueRules(tx, deps, { venue, user, slots: [resolved], now, override: false })
        : undefined;
      if (resolved?.ok) await lockVenueBookings(tx, venue.id, resolved.startsAt, resolved.endsAt);
      if (changes.eventName !== undefined || changes.eventDetails !== undefined) {
        await tx`update bookings set event_name = coalesce(${changes.eventName ?? null}, event_name), event_details = coalesce(${changes.eventDetails ?? null}, event_details), updated_at = now() where id = ${id}`;
      }
      if (resolved?.ok) {
        await moveBooking(tx, deps, id, resolved, now);
        await enforceQuotas(tx, applied!, { venue, userId: current.user, slots: [resolved], now });
      }
      return (await findBookingView(tx, id))!;
    })) as BookingView;
  } catch (error) {
    if (isOverlapError(error)) throw conflict(OVERLAP_MESSAGE);
    throw error;
  }
}

/**
 * Moves an active booking to a new interval in the caller's transaction (the exclusion constraint
 * checks it): reminder and confirmation start over, the workflow is told to re-arm its timers, and
 * the old interval is offered to waiters. `withSeries` marks a move made by its series, whose own
 * notice tells of it (the occurrence's own "moved" notice stays silent).
 */
export async function moveBooking(
  tx: TransactionSql,
  deps: Deps,
  id: number,
  to: { startsAt: Date; endsAt: Date },
  now: Date,
  { withSeries = false }: { withSeries?: boolean } = {},
): Promise<void> {
  const confirmedOnCreation = isShortNotice(to.startsAt.getTime(), now.getTime(), leadsOf(deps));
  const [old] = await tx<{ venue_id: number; starts_at: Date; ends_at: Date }[]>`
    update bookings b set during = tstzrange(${to.startsAt}, ${to.endsAt}, '[)'), schedule_version = schedule_version + 1,
      reminder_sent = false, reminder_sent_at = null, confirmed = ${confirmedOnCreation}, confirmed_at = ${confirmedOnCreation ? now : null}, confirmed_by = null,
      moved_with_series_version = case when ${withSeries} then schedule_version + 1 end, updated_at = now()
    from (select id, during as old_during from bookings where id = ${id} for update) o
    where b.id = o.id and b.status = 'active'
    returning b.venue_id, lower(o.old_during) as starts_at, upper(o.old_during) as ends_at`;
  if (!old) throw conflict('The booking is no longer active');
  await outbox.signal(tx, rescheduleSignal, bookingWorkflowId(id));
  await releaseSlot(tx, { venueId: old.venue_id, startsAt: old.starts_at, endsAt: old.ends_at });
}

/** A booking a closure would cancel, as the admin is shown it first. */
export interface ClosedOutBooking {
  id: number;
  date: string;
  start_time: string;
  end_time: string;
  event_name: string;
  user_name: string;
}

/** Venue-local dates first..last (inclusive) as instants at the venue. */
const localDates = (sql: Queryable, timeZone: string, range: { first: string; last: string }) =>
  sql`tstzrange((${range.first}::date)::timestamp at time zone ${timeZone}, (${range.last}::date + 1)::timestamp at time zone ${timeZone}, '[)')`;

/** The active bookings not yet started that a closure of the venue-local dates would cancel, in start order. */
export async function bookingsInClosure(
  sql: Queryable,
  venue: Pick<VenueRow, 'id' | 'time_zone'>,
  range: { first: string; last: string },
  now: Date,
): Promise<ClosedOutBooking[]> {
  return sql<ClosedOutBooking[]>`
    select b.id, ${venueLocalSlot(sql, { startsAt: sql`lower(b.during)`, endsAt: sql`upper(b.during)` }, venue.time_zone, 'HH24:MI')},
      b.event_name, u.full_name as user_name
    from bookings b join users u on u.id = b.user_id
    where b.venue_id = ${venue.id} and b.status = 'active' and lower(b.during) > ${now}
      and b.during && ${localDates(sql, venue.time_zone, range)}
    order by lower(b.during), b.id`;
}

/**
 * A venue closed over venue-local dates: its bookings there not yet started are cancelled in the
 * caller's transaction, by the admin, with the closure's reason. Each booking's workflow tells the
 * booker (with the calendar cancellation); no slot is offered to waiters: nothing is coming.
 */
export async function cancelBookingsForClosure(
  tx: TransactionSql,
  actor: Pick<ActingUser, 'id'>,
  venue: Pick<VenueRow, 'id' | 'time_zone'>,
  range: { first: string; last: string },
  reason: string,
  now: Date,
): Promise<number[]> {
  const cancelled = await tx<{ id: number }[]>`
    update bookings set status = 'cancelled', cancelled_at = now(), cancelled_by = ${actor.id}, cancel_reason = ${reason}, updated_at = now()
    where venue_id = ${venue.id} and status = 'active' and lower(during) > ${now}
      and during && ${localDates(tx, venue.time_zone, range)}
    returning id`;
  for (const { id } of cancelled) await outbox.signal(tx, cancelSignal, bookingWorkflowId(id));
  return cancelled.map((row) => row.id).sort((a, b) => a - b);
}
