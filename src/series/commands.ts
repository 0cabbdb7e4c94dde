import {
  cancelSeriesOccurrences,
  confirmSeriesOccurrences,
  insertBookingWithWorkflow,
  isOverlapError,
  moveBooking,
  overlappingBookingTimes,
  renameSeriesOccurrences,
  type BookingDeps,
} from '../bookings/commands';
import { decideSeriesOccurrences } from '../bookings/approvals';
import { resolveLocalSlot } from '../bookings/local-slot';
import { enforceQuotas, enforceVenueRules } from '../bookings/rule-checks';
import { lockVenueBookings } from '../bookings/occupancy';
import { approvalDeadline } from '../contracts/approval-policy';
import { workflowTypes } from '../contracts/workflow-types';
import { outbox } from '../db/outbox';
import type { TransactionSql } from '../db/sql';
import type { ActingUser } from '../domain/acting-user';
import { conflict, forbidden, invalid, notFound } from '../domain/errors';
import { noticeWorkflowId } from '../temporal/workflow-ids';
import { administersVenue, findVenue } from '../venues/store';
import { insertWaitlistEntry } from '../waitlist/entries';
import { isMoved } from './calendar';
import { expandRecurrence } from './recurrence';
import {
  endSeries,
  excludeDates,
  findSeriesDetails,
  insertSeries,
  lockSeries,
  reviseSeries,
  seriesOccurrences,
  type SeriesDetails,
} from './store';

type Actor = Pick<ActingUser, 'id' | 'role'>;
const UNIQUE_VIOLATION = '23505';

/** What to do with a date someone else already holds. */
export type OnConflict = 'skip' | 'waitlist' | 'fail';

export interface NewSeriesRequest {
  venueId: number;
  /** The first date, venue-local YYYY-MM-DD. */
  date: string;
  startTime: string;
  endTime: string;
  eventName: string;
  eventDetails: string;
  rrule: string;
  exdates: string[];
  onConflict: OnConflict;
}

/** A date the series could not have, and why. */
export interface SeriesConflict {
  date: string;
  reason: string;
  /** The bookings in the way, as venue-local times (whose they are is not said). */
  held_by: { start_time: string; end_time: string }[];
  /** With on_conflict "waitlist": the wait it joined for that date. */
  waitlist_entry_id?: number;
}

export interface SeriesCreated {
  id: number;
  occurrences: { date: string; booking_id: number }[];
  conflicts: SeriesConflict[];
}

/** Thrown with `fail`, or when no date could be had: a 409 that lists the conflicts. */
export class SeriesConflictError extends Error {
  constructor(
    message: string,
    readonly conflicts: SeriesConflict[],
  ) {
    super(message);
  }
}

/**
 * Books every date of a recurrence rule at once, in one transaction with each occurrence's
 * lifecycle start in the outbox and one notice for the whole series. Each date is checked as a
 * single booking would be (its wall time on that date in the venue's zone, not in the past, within
 * the horizon); a date someone else holds is skipped, waitlisted or fails the whole series, as
 * `onConflict` says, and is answered with what holds it.
 */
export async function createSeries(
  deps: BookingDeps,
  user: Actor,
  input: NewSeriesRequest,
  now = new Date(),
): Promise<SeriesCreated> {
  const venue = await findVenue(deps.sql, input.venueId);
  if (!venue) throw invalid('body field "venue" names no venue');
  const recurrence = expandRecurrence(input.rrule, input.date, input.exdates);
  if (!recurrence.ok) throw invalid(`body field "rrule" ${recurrence.message}`);
  const window = { now, horizonMs: deps.config.lifecycle.bookingHorizonMs };
  const slots: { date: string; startsAt: Date; endsAt: Date }[] = [];
  for (const date of recurrence.dates) {
    const slot = await resolveLocalSlot(
      deps.sql,
      venue,
      { date, startTime: input.startTime, endTime: input.endTime },
      window,
    );
    if (!slot.ok) throw invalid(`the occurrence on ${date}: "${slot.field}" ${slot.message}`);
    slots.push({ date, startsAt: slot.startsAt, endsAt: slot.endsAt });
  }
  // Where the staff approve bookings, the series is one request, decided as a whole: every date
  // waits for the same deadline, the first date's (never later than its reminder).
  const leads = { ...deps.config.lifecycle };
  const requestDeadline = venue.approval_required
    ? new Date(Math.min(...slots.map((slot) => approvalDeadline(now.getTime(), slot.startsAt.getTime(), leads))))
    : undefined;
  return (await deps.sql.begin(async (tx) => {
    // Every date meets the venue's rules, or the series is refused naming the first that does not.
    const applied = await enforceVenueRules(tx, deps, { venue, user, slots, now, override: false });
    const seriesId = await insertSeries(tx, {
      venueId: venue.id,
      userId: user.id,
      eventName: input.eventName,
      eventDetails: input.eventDetails,
      rrule: recurrence.rule,
      firstDate: input.date,
      startTime: input.startTime,
      endTime: input.endTime,
      excludedDates: input.exdates,
    });
    const created: SeriesCreated = { id: seriesId, occurrences: [], conflicts: [] };
    for (const slot of slots) {
      try {
        const bookingId = await tx.savepoint((sp) =>
          insertBookingWithWorkflow(sp, deps, {
            venue,
            userId: user.id,
            startsAt: slot.startsAt,
            endsAt: slot.endsAt,
            eventName: input.eventName,
            eventDetails: input.eventDetails,
            now,
            series: { id: seriesId, date: slot.date },
            approvalDeadline: requestDeadline,
            buffers: applied,
          }),
        );
        created.occurrences.push({ date: slot.date, booking_id: bookingId });
      } catch (error) {
        if (!isOverlapError(error)) throw error;
        const held = await overlappingBookingTimes(tx, venue, slot.startsAt, slot.endsAt);
        const found: SeriesConflict = {
          date: slot.date,
          reason: 'The venue is already booked for an overlapping time',
          held_by: held,
        };
        if (input.onConflict === 'waitlist')
          found.waitlist_entry_id = await waitFor(tx, venue.id, user.id, slot, input.eventName, input.eventDetails);
        created.conflicts.push(found);
      }
    }
    if (input.onConflict === 'fail' && created.conflicts.length > 0) {
      throw new SeriesConflictError(
        `${created.conflicts.length} of the series' dates are already booked; nothing was booked`,
        created.conflicts,
      );
    }
    if (created.occurrences.length === 0)
      throw new SeriesConflictError(
        'Every date of the series is already booked; nothing was booked',
        created.conflicts,
      );
    const booked = new Set(created.occurrences.map((o) => o.date));
    await enforceQuotas(tx, applied, {
      venue,
      userId: user.id,
      slots: slots.filter((slot) => booked.has(slot.date)),
      now,
    });
    await excludeDates(
      tx,
      seriesId,
      created.conflicts.map((c) => c.date),
    );
    // A request is told by its dates' lifecycles, as one request for the series (see the approval notices).
    if (venue.approval_required) return created;
    await outbox.start(
      tx,
      workflowTypes.noticeWorkflow,
      noticeWorkflowId(`series-${seriesId}-booked`),
      { notice: { kind: 'series_booked', seriesId }, emailRetryInitialMs: deps.config.lifecycle.emailRetryInitialMs },
      {
        staticSummary: `Series ${seriesId} booked: ${created.occurrences.length} dates at ${venue.name}`,
      },
    );
    return created;
  })) as SeriesCreated;
}

/** Joins the waitlist for a date the series could not have; an existing wait for it is kept. */
async function waitFor(
  tx: TransactionSql,
  venueId: number,
  userId: number,
  slot: { startsAt: Date; endsAt: Date },
  eventName?: string,
  eventDetails?: string,
): Promise<number | undefined> {
  try {
    return (
      await tx.savepoint((sp) =>
        insertWaitlistEntry(sp, {
          venueId,
          userId,
          startsAt: slot.startsAt,
          endsAt: slot.endsAt,
          eventName,
          eventDetails,
        }),
      )
    ).id;
  } catch (error) {
    if ((error as { code?: string }).code === UNIQUE_VIOLATION) return undefined;
    throw error;
  }
}

/** A series the user may see: its owner, or an administrator of its venue; anyone else gets not found. */
export async function seriesFor(
  deps: BookingDeps,
  user: Actor,
  id: number,
  access: 'view' | 'cancel' | 'edit' | 'confirm',
): Promise<SeriesDetails> {
  const series = await findSeriesDetails(deps.sql, id);
  if (!series) throw notFound('Booking series');
  const owner = series.user_id === user.id;
  if (!owner && !(await administersVenue(deps.sql, user, series.venue_id))) throw notFound('Booking series');
  if (access === 'confirm' && !owner) throw forbidden('Only the person who made the series can confirm it');
  return series;
}

/**
 * Cancels the series from a date on ("this and following"), or all of it: every occurrence from
 * there that has not started is cancelled with the series, its slot offered to waiters, and one
 * notice tells the booker (the calendar event ends there, or goes) and the venue's hall admins.
 */
export async function cancelSeries(
  deps: BookingDeps,
  user: Actor,
  id: number,
  scope: { from: string | null; reason: string | null },
  now = new Date(),
): Promise<{ cancelled: number[] }> {
  await seriesFor(deps, user, id, 'cancel');
  return (await deps.sql.begin(async (tx) => {
    await lockSeries(tx, id);
    const cancelled = await cancelSeriesOccurrences(tx, user, id, scope.from, scope.reason, now);
    const sequence = await endSeries(tx, id, scope.from);
    if (sequence === null && cancelled.length === 0)
      throw conflict('The series is already cancelled from that date on');
    if (sequence !== null) {
      await outbox.start(
        tx,
        workflowTypes.noticeWorkflow,
        noticeWorkflowId(`series-${id}-cancelled-${sequence}`),
        {
          notice: { kind: 'series_cancelled', seriesId: id, sequence, cancelledBy: user.id },
          emailRetryInitialMs: deps.config.lifecycle.emailRetryInitialMs,
        },
        {
          staticSummary: `Series ${id} cancelled ${scope.from ? `from ${scope.from}` : 'entirely'}`,
        },
      );
    }
    return { cancelled };
  })) as { cancelled: number[] };
}

/** The owner confirms they still need every remaining occurrence; each one's lifecycle hears of it. */
export async function confirmSeries(
  deps: BookingDeps,
  user: Actor,
  id: number,
  now = new Date(),
): Promise<{ confirmed: number[] }> {
  await seriesFor(deps, user, id, 'confirm');
  return { confirmed: (await deps.sql.begin((tx) => confirmSeriesOccurrences(tx, user, id, now))) as number[] };
}

export interface SeriesChanges {
  /** Change this date and every later one ("this and following"); null: every date still to come ("all"). */
  from: string | null;
  startTime?: string;
  endTime?: string;
  eventName?: string;
  eventDetails?: string;
  onConflict: OnConflict;
}

export interface SeriesMoved {
  moved: { date: string; booking_id: number }[];
  /** Dates that could not move, with why; each keeps its booking at its old time. */
  conflicts: SeriesConflict[];
}

/** HH:MM or HH:MM:SS as the series stores it. */
const normalize = (time: string) => (time.length === 5 ? `${time}:00` : time);

/**
 * Moves a series to new times on each of its dates, from a date on ("this and following") or
 * every date still to come ("all"); renames it (all of it). Every date is re-checked as a booking
 * would be: one someone else holds at the new time (or whose new time has passed, or does not exist
 * on the venue's clock that day) keeps its booking at the old time and is answered with why, per
 * `onConflict` (`waitlist` also joins the waitlist for the new time; `fail` moves nothing). A
 * date that moves starts its reminder and confirmation over and frees its old time for waiters.
 * When every remaining date moves, the series' own times change; otherwise the moved dates are
 * exceptions to it. One notice tells the booker (the calendar's one event updated in place) and the
 * venue's hall admins.
 */
export async function moveSeries(
  deps: BookingDeps,
  user: Actor,
  id: number,
  changes: SeriesChanges,
  now = new Date(),
): Promise<SeriesMoved> {
  const series = await seriesFor(deps, user, id, 'edit');
  if (series.cancelled_at !== null) throw conflict('The series is cancelled');
  const renamed =
    (changes.eventName !== undefined && changes.eventName !== series.event_name) ||
    (changes.eventDetails !== undefined && changes.eventDetails !== series.event_details);
  if (renamed && changes.from !== null)
    throw invalid('a new name or details apply to the whole series: leave out "from" to rename it');
  const startTime = normalize(changes.startTime ?? series.start_time);
  const endTime = normalize(changes.endTime ?? series.end_time);
  if (endTime <= startTime) throw invalid('body field "end_time" must be after start_time');
  const venue = (await findVenue(deps.sql, series.venue_id))!;
  const inRange = (date: string) => series.ends_before === null || date < series.ends_before;
  const occurrences = (await seriesOccurrences(deps.sql, id)).filter(
    (o) => o.status !== 'cancelled' && inRange(o.date),
  );
  const ahead = occurrences.filter(
    (o) => o.status === 'active' && o.starts_at > now && (changes.from === null || o.date >= changes.from),
  );
  const timesGiven = changes.startTime !== undefined || changes.endTime !== undefined;
  const timeChanged = startTime !== series.start_time || endTime !== series.end_time;
  // New times move every date from there; the series' own times put back the dates moved alone.
  const targets = timesGiven ? ahead.filter((o) => timeChanged || isMoved(o)) : [];
  if (!renamed && !timesGiven)
    throw invalid('nothing to change: give start_time, end_time, event_name or event_details');
  if (!renamed && targets.length === 0) {
    throw ahead.length > 0
      ? invalid('nothing to change: those dates already have those times')
      : conflict('No date of the series from there is still to come');
  }
  // Every date of the series still stands ahead and moves: the series' own times change.
  const whole = targets.length === occurrences.length;
  const window = { now, horizonMs: deps.config.lifecycle.bookingHorizonMs };
  const result: SeriesMoved = { moved: [], conflicts: [] };
  await deps.sql.begin(async (tx) => {
    await lockSeries(tx, id);
    const resolved = new Map<number, Awaited<ReturnType<typeof resolveLocalSlot>>>();
    for (const occurrence of targets)
      resolved.set(
        occurrence.booking_id,
        await resolveLocalSlot(tx, venue, { date: occurrence.date, startTime, endTime }, window),
      );
    const newSlots = [...resolved.values()].flatMap((slot) => (slot.ok ? [slot] : []));
    const applied = await enforceVenueRules(tx, deps, { venue, user, slots: newSlots, now, override: false });
    for (const occurrence of targets) {
      const slot = resolved.get(occurrence.booking_id)!;
      if (!slot.ok) {
        result.conflicts.push({
          date: occurrence.date,
          reason: `The new ${slot.field.replace('_', ' ')} ${slot.message}`,
          held_by: [],
        });
        continue;
      }
      try {
        await tx.savepoint(async (sp) => {
          await lockVenueBookings(sp, venue.id, slot.startsAt, slot.endsAt);
          await moveBooking(sp, deps, occurrence.booking_id, slot, now, { withSeries: true });
        });
        result.moved.push({ date: occurrence.date, booking_id: occurrence.booking_id });
      } catch (error) {
        if (!isOverlapError(error)) throw error;
        const found: SeriesConflict = {
          date: occurrence.date,
          reason: 'The venue is already booked for an overlapping time',
          held_by: await overlappingBookingTimes(tx, venue, slot.startsAt, slot.endsAt, occurrence.booking_id),
        };
        if (changes.onConflict === 'waitlist')
          found.waitlist_entry_id = await waitFor(
            tx,
            venue.id,
            series.user_id,
            slot,
            series.event_name,
            series.event_details,
          );
        result.conflicts.push(found);
      }
    }
    if (result.conflicts.length > 0 && (changes.onConflict === 'fail' || (result.moved.length === 0 && !renamed))) {
      throw new SeriesConflictError(
        changes.onConflict === 'fail'
          ? `${result.conflicts.length} of the series' dates cannot move; nothing was changed`
          : "None of the series' dates can move; nothing was changed",
        result.conflicts,
      );
    }
    await enforceQuotas(tx, applied, { venue, userId: series.user_id, slots: newSlots, now });
    if (renamed) await renameSeriesOccurrences(tx, id, changes.eventName ?? null, changes.eventDetails ?? null);
    const revision = await reviseSeries(tx, id, {
      startTime: whole && timeChanged ? startTime : null,
      endTime: whole && timeChanged ? endTime : null,
      eventName: changes.eventName ?? null,
      eventDetails: changes.eventDetails ?? null,
    });
    await outbox.start(
      tx,
      workflowTypes.noticeWorkflow,
      noticeWorkflowId(`series-${id}-changed-${revision}`),
      {
        notice: {
          kind: 'series_changed',
          seriesId: id,
          sequence: revision,
          changedBy: user.id,
          moved: result.moved.map((m) => m.date),
          kept: result.conflicts.map((c) => ({ date: c.date, reason: c.reason })),
          renamedFrom:
            changes.eventName !== undefined && changes.eventName !== series.event_name ? series.event_name : null,
        },
        emailRetryInitialMs: deps.config.lifecycle.emailRetryInitialMs,
      },
      { staticSummary: `Series ${id} changed: ${result.moved.length} dates moved` },
    );
  });
  return result;
}

/**
 * A hall admin of the venue (or a super admin) decides a repeating request as a whole: every date
 * still waiting is approved, or denied with a reason. 409 when no date waits any more.
 */
export async function decideSeries(
  deps: Pick<BookingDeps, 'sql'>,
  user: Actor,
  id: number,
  decision: { approve: true } | { approve: false; reason: string | null },
): Promise<{ decided: number[] }> {
  const series = await findSeriesDetails(deps.sql, id);
  if (!series) throw notFound('Booking series');
  if (!(await administersVenue(deps.sql, user, series.venue_id))) {
    if (series.user_id === user.id) throw forbidden("Only the venue's staff can decide on a booking request");
    throw notFound('Booking series');
  }
  const decided = (await deps.sql.begin(async (tx) => {
    await lockSeries(tx, id);
    return decideSeriesOccurrences(tx, user, id, decision);
  })) as number[];
  if (decided.length === 0) throw conflict('No date of this series waits for a decision');
  return { decided };
}
