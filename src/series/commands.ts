import {
  cancelSeriesOccurrences,
  confirmSeriesOccurrences,
  insertBookingWithWorkflow,
  isOverlapError,
  overlappingBookingTimes,
  type BookingDeps,
} from '../bookings/commands';
import { resolveLocalSlot } from '../bookings/local-slot';
import { workflowTypes } from '../contracts/workflow-types';
import { outbox } from '../db/outbox';
import type { TransactionSql } from '../db/sql';
import type { ActingUser } from '../domain/acting-user';
import { conflict, forbidden, invalid, notFound } from '../domain/errors';
import { noticeWorkflowId } from '../temporal/workflow-ids';
import { administersVenue, findVenue } from '../venues/store';
import { insertWaitlistEntry } from '../waitlist/entries';
import { expandRecurrence } from './recurrence';
import { endSeries, excludeDates, findSeriesDetails, insertSeries, type SeriesDetails } from './store';

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
  // Until a series can be asked for and decided as a whole, one request per date would flood the
  // venue's staff: refused, saying so, rather than sent.
  if (venue.approval_required) {
    throw invalid(
      `${venue.name}'s staff approve each booking: book its dates one at a time (a repeating request there is not supported yet)`,
    );
  }
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
  return (await deps.sql.begin(async (tx) => {
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
        if (input.onConflict === 'waitlist') found.waitlist_entry_id = await waitFor(tx, venue.id, user.id, slot);
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
    await excludeDates(
      tx,
      seriesId,
      created.conflicts.map((c) => c.date),
    );
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
): Promise<number | undefined> {
  try {
    return (
      await tx.savepoint((sp) =>
        insertWaitlistEntry(sp, { venueId, userId, startsAt: slot.startsAt, endsAt: slot.endsAt }),
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
  access: 'view' | 'cancel' | 'confirm',
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
