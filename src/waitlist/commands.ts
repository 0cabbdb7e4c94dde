import { insertBookingWithWorkflow, isOverlapError, type BookingDeps } from '../bookings/commands';
import { resolveLocalSlot, type LocalSlot } from '../bookings/local-slot';
import { outbox } from '../db/outbox';
import type { Queryable, TransactionSql } from '../db/sql';
import { findVenue } from '../venues/store';
import type { ActingUser } from '../domain/acting-user';
import { conflict, forbidden, invalid, notFound } from '../domain/errors';
import { hasOverlappingBooking, lockBlockingBookings } from '../bookings/occupancy';
import {
  attachBooking,
  countOpenEntriesOnDay,
  findWaitlistEntry,
  hasOpenEntry,
  insertWaitlistEntry,
  closeOpenEntriesOf,
  lockUserJoins,
  markClaimed,
  markLeft,
  type WaitlistEntryRow,
} from './entries';
import { offerSettledSignal, type OfferSettled } from '../contracts/slot-offer-signals';

type Deps = BookingDeps;
type Actor = Pick<ActingUser, 'id'>;

const UNIQUE_VIOLATION = '23505';
/** The name a booking made from a claimed offer carries until its owner renames it. */
export const CLAIMED_EVENT_NAME = 'Booked from the waitlist';

export interface JoinRequest extends LocalSlot {
  venueId: number;
  /** What the waiter means to book: the claimed booking carries it. */
  eventName?: string;
  eventDetails?: string;
}

export type JoinOutcome = { joined: true; id: number; priority: number } | { joined: false; reason: 'slot_free' };

/**
 * Puts the user in the slot's queue. Refuses a slot in the past, one the user already holds or
 * waits for, more than the daily number of open waits, and a free slot (book it directly) unless
 * `whenFree` says to answer that instead of refusing.
 */
export async function joinWaitlist(
  deps: Deps,
  user: Actor,
  input: JoinRequest,
  whenFree: 'refuse' | 'answer' = 'refuse',
  now = new Date(),
): Promise<JoinOutcome> {
  const venue = await findVenue(deps.sql, input.venueId);
  if (!venue) throw invalid('body field "venue" names no venue');
  const resolved = await resolveLocalSlot(deps.sql, venue, input, {
    now,
    horizonMs: deps.config.lifecycle.bookingHorizonMs,
  });
  if (!resolved.ok) throw invalid(`body field "${resolved.field}" ${resolved.message}`);
  const slot = { startsAt: resolved.startsAt, endsAt: resolved.endsAt };
  const max = deps.config.lifecycle.waitlistMaxPerDay;
  try {
    return (await deps.sql.begin(async (tx) => {
      await lockUserJoins(tx, user.id);
      const blocking = await lockBlockingBookings(tx, venue.id, slot);
      if (await hasOverlappingBooking(tx, user.id, venue.id, slot))
        throw invalid('You already have a booking that overlaps this slot');
      if (await hasOpenEntry(tx, user.id, venue.id, slot))
        throw invalid('You are already on the waitlist for this slot');
      if ((await countOpenEntriesOnDay(tx, user.id, input.date, now)) >= max) {
        throw invalid(`You are already on ${max} waitlists for ${input.date}; that is the most allowed for one day`);
      }
      if (blocking === 0) {
        if (whenFree === 'answer') return { joined: false, reason: 'slot_free' };
        throw invalid('The slot is free; book it directly instead of joining the waitlist');
      }
      const entry = await insertWaitlistEntry(tx, {
        venueId: venue.id,
        userId: user.id,
        ...slot,
        eventName: input.eventName,
        eventDetails: input.eventDetails,
      });
      return { joined: true, ...entry };
    })) as JoinOutcome;
  } catch (error) {
    // A second join of the same slot racing this one (the open-entry unique index decided).
    if ((error as { code?: string }).code === UNIQUE_VIOLATION)
      throw invalid('You are already on the waitlist for this slot');
    throw error;
  }
}

/** The user's own entry; someone else's is forbidden, a missing one not found. */
async function ownEntry(deps: Deps, user: Actor, id: number): Promise<WaitlistEntryRow> {
  const entry = await findWaitlistEntry(deps.sql, id);
  if (!entry) throw notFound('Waitlist entry');
  if (entry.user_id !== user.id) throw forbidden('This waitlist entry belongs to someone else');
  return entry;
}

function refuseClaim(entry: WaitlistEntryRow, now: Date): never {
  if (
    entry.status === 'expired' ||
    (entry.status === 'offered' && entry.offer_expires_at && entry.offer_expires_at <= now)
  ) {
    throw invalid('The offer for this slot has expired and passed to the next person in line');
  }
  throw invalid(`There is no open offer for this waitlist entry (it is ${entry.status})`);
}

export interface ClaimResult {
  bookingId: number;
  /** False when it had been claimed before: the same booking is answered again. */
  claimedNow: boolean;
}

/**
 * Turns an open offer into a booking, in one transaction: the conditional update takes the entry
 * (so an expiry at the same moment finds it claimed and changes nothing), the booking and its
 * lifecycle workflow are written (the exclusion constraint refuses a slot someone else booked
 * meanwhile: a conflict), and the offer workflow is told to stop waiting.
 */
export async function claimOffer(deps: Deps, user: Actor, entryId: number, now = new Date()): Promise<ClaimResult> {
  const entry = await ownEntry(deps, user, entryId);
  if (entry.status === 'claimed' && entry.booking_id) return { bookingId: entry.booking_id, claimedNow: false };
  if (entry.status !== 'offered') refuseClaim(entry, now);
  const venue = (await findVenue(deps.sql, entry.venue_id))!;
  let bookingId: number | null;
  try {
    bookingId = (await deps.sql.begin(async (tx) => {
      const claimed = await markClaimed(tx, entryId, user.id);
      if (!claimed) return null;
      const id = await insertBookingWithWorkflow(tx, deps, {
        venue,
        userId: user.id,
        startsAt: claimed.starts_at,
        endsAt: claimed.ends_at,
        eventName: claimed.event_name ?? CLAIMED_EVENT_NAME,
        eventDetails: claimed.event_details,
        now,
      });
      await attachBooking(tx, entryId, id);
      if (claimed.offer_workflow_id) await signalOffer(tx, claimed.offer_workflow_id, { entryId, outcome: 'claimed' });
      return id;
    })) as number | null;
  } catch (error) {
    if (isOverlapError(error)) throw conflict('The slot was booked by someone else before you claimed it');
    throw error;
  }
  if (bookingId !== null) return { bookingId, claimedNow: true };
  // Another claim of this entry, or the expiry, committed first: answer what it did.
  const after = (await findWaitlistEntry(deps.sql, entryId))!;
  if (after.status === 'claimed' && after.booking_id) return { bookingId: after.booking_id, claimedNow: false };
  refuseClaim(after.status === 'offered' ? { ...after, status: 'expired' } : after, now);
}

/** Takes the user off the queue; an offer they held passes to the next waiter at once. */
export async function leaveWaitlist(deps: Deps, user: Actor, entryId: number): Promise<void> {
  await ownEntry(deps, user, entryId);
  const left = await deps.sql.begin(async (tx) => {
    const row = await markLeft(tx, entryId, user.id);
    if (row?.was === 'offered' && row.offer_workflow_id)
      await signalOffer(tx, row.offer_workflow_id, { entryId, outcome: 'left' });
    return Boolean(row);
  });
  if (!left) {
    const entry = (await findWaitlistEntry(deps.sql, entryId))!;
    throw invalid(`You are no longer waiting for this slot (the entry is ${entry.status})`);
  }
}

/**
 * A member's account closed: every open entry of theirs is closed in the caller's transaction, and
 * an offer they held passes to the next waiter at once (the offer workflow hears it as a leave).
 */
export async function closeWaitlistOf(tx: TransactionSql, userId: number): Promise<number> {
  const closed = await closeOpenEntriesOf(tx, userId);
  for (const entry of closed) {
    if (entry.was === 'offered' && entry.offer_workflow_id)
      await signalOffer(tx, entry.offer_workflow_id, { entryId: entry.id, outcome: 'left' });
  }
  return closed.length;
}

async function signalOffer(tx: Queryable, workflowId: string, settled: OfferSettled): Promise<void> {
  await outbox.signal(tx, offerSettledSignal, workflowId, settled);
}
