import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { assignVenueAdmin, insertUsers, insertVenues, type VenueRow } from '../../scripts/dev/harness/fixtures';
import { uniqueEmail, type TestContext, type TestUser } from './context';
import { slotAhead, type LocalSlot, type TimedSlot } from './slots';

/** A venue a test stands on: what its bookings need to know. */
export interface GivenVenue {
  id: number;
  name: string;
  timeZone: string;
}

export interface VenueWishes {
  /** `Hall <random>` unless said: a name of its own, so emails about it are found by it. */
  name?: string;
  /** Asia/Kolkata (GMT+5:30) unless said. */
  timeZone?: string;
  location?: string;
  capacity?: number;
  /** It asks for check-in (the window 15 minutes either side of the start unless said). */
  checkIn?: VenueRow['checkIn'];
  /** Its hall admins, assigned as the super admin's assignment would record them. */
  admins?: Array<{ id: number }>;
}

/** A venue, by its id or as `given.venue` answered it. */
export type VenueRef = number | { id: number };

/** The booking as POST /api/bookings answered it; a test names the fields it reads with the type parameter. */
export interface BookedJson {
  id: number;
  event_name: string;
  status: string;
  confirmed: boolean;
}

interface BookingWishes {
  /** 'Seminar' unless said. */
  eventName?: string;
}

/** A slot starting `aheadMs` from now (to the next minute) in the venue's zone, `durationMs` long (2 hours unless said): see slotAhead. */
export type Ahead = BookingWishes & { aheadMs: number; durationMs?: number };
/** A slot as the API takes it. */
export type AtSlot = BookingWishes & { slot: LocalSlot };

export interface Given {
  venue(wishes?: VenueWishes): Promise<GivenVenue>;
  member(wishes?: { fullName?: string; email?: string }): Promise<TestUser>;
  /** A hall admin, of `venue` when one is named. */
  hallAdmin(venue?: VenueRef, wishes?: { fullName?: string; email?: string }): Promise<TestUser>;
  superAdmin(wishes?: { fullName?: string; email?: string }): Promise<TestUser>;
  /** Someone a super admin has just created: no password yet, their welcome not sent (for tests that send it). */
  newcomer(wishes?: { fullName?: string; email?: string }): Promise<{ id: number; email: string }>;
  /** Booked through the API by `who`, as a person would; fails the test unless it answers 201. */
  booking<B extends { id: number } = BookedJson>(
    who: TestUser,
    venue: { id: number; timeZone: string },
    when: Ahead,
  ): Promise<{ booking: B; slot: TimedSlot }>;
  booking<B extends { id: number } = BookedJson>(
    who: TestUser,
    venue: VenueRef,
    when: AtSlot,
  ): Promise<{ booking: B; slot: LocalSlot }>;
}

const HOUR = 3_600_000;
const idOf = (venue: VenueRef) => (typeof venue === 'number' ? venue : venue.id);

/**
 * What a test stands on, made in its own database: venues and their hall admins, members, super
 * admins and newcomers (rows written by the harness's fixture writers, which the bench and drills
 * use too), and bookings made through the API. Each call makes new rows, so tests never share them.
 */
export function given(ctx: TestContext): Given {
  async function booking(who: TestUser, venue: VenueRef | { id: number; timeZone: string }, when: Ahead | AtSlot) {
    const slot =
      'slot' in when
        ? when.slot
        : slotAhead(when.aheadMs, when.durationMs ?? 2 * HOUR, (venue as { timeZone: string }).timeZone);
    const body = {
      venue: idOf(venue),
      date: slot.date,
      start_time: slot.start_time,
      end_time: slot.end_time,
      event_name: when.eventName ?? 'Seminar',
    };
    const response = await ctx.request('POST', '/api/bookings/', { token: who.token, body });
    assert.equal(response.status, 201, await response.clone().text());
    return { booking: await response.json(), slot };
  }

  return {
    async venue({
      name = `Hall ${randomBytes(3).toString('hex')}`,
      timeZone = 'Asia/Kolkata',
      location,
      capacity,
      checkIn,
      admins = [],
    } = {}) {
      const [id] = await insertVenues(ctx.db.sql, [{ name, timeZone, location, capacity, checkIn }]);
      for (const admin of admins) await assignVenueAdmin(ctx.db.sql, id!, admin.id);
      return { id: id!, name, timeZone };
    },
    member: (wishes = {}) => ctx.createUser('member', wishes),
    async hallAdmin(venue, wishes = {}) {
      const admin = await ctx.createUser('hall_admin', wishes);
      if (venue !== undefined) await assignVenueAdmin(ctx.db.sql, idOf(venue), admin.id);
      return admin;
    },
    superAdmin: (wishes = {}) => ctx.createUser('super_admin', wishes),
    async newcomer({ fullName = 'Nia Newcomer', email = uniqueEmail('newcomer') } = {}) {
      const [user] = await insertUsers(ctx.db.sql, [{ email, fullName, role: 'member', password: null }]);
      return { id: user!.id, email };
    },
    booking: booking as Given['booking'],
  };
}
