import { randomUUID } from 'node:crypto';
import type { Config } from '../config/config';
import { outbox } from '../db/outbox';
import type { Sql } from '../db/sql';
import { findUser, type UserRow } from '../users/store';
import type { Queryable } from '../db/sql';
import {
  administersVenue,
  assignVenueAdmin,
  findVenue,
  insertVenue,
  listVenues,
  removeVenueAdmin,
  setVenueAmenities,
  updateVenueApproval,
  updateVenueCheckIn,
  updateVenueFacts,
  type VenueFacts,
  type ApprovalSettings,
  type CheckInSettings,
  type VenueRow,
  type VenueWithAdmins,
} from './store';
import type { ActingUser } from '../domain/acting-user';
import { forbidden, invalid, notFound } from '../domain/errors';
import { venueAssignmentWorkflowId } from '../temporal/workflow-ids';
import { workflowTypes } from '../contracts/workflow-types';
import { deleteVenueFeeds } from '../calendar/feeds';

interface Deps {
  sql: Sql;
  config: Pick<Config, 'lifecycle' | 'defaultTimeZone'>;
}

export interface NewVenue {
  name: string;
  location?: string;
  capacity?: number | null;
  /** An IANA zone; the server's default zone when left out. */
  timeZone?: string;
}

export async function createVenue(deps: Deps, input: NewVenue): Promise<VenueRow> {
  return insertVenue(deps.sql, {
    name: input.name,
    location: input.location ?? '',
    capacity: input.capacity ?? null,
    timeZone: input.timeZone ?? deps.config.defaultTimeZone,
  });
}

/**
 * Makes a hall admin an administrator of the venue. A new assignment starts the workflow that
 * tells them (through the outbox, in the same transaction); repeating one changes nothing.
 */
export async function appointVenueAdmin(
  deps: Deps,
  venueId: number,
  userId: number,
): Promise<{ venue: VenueRow; user: UserRow }> {
  const [venue, user] = await Promise.all([findVenue(deps.sql, venueId), findUser(deps.sql, userId)]);
  if (!venue) throw notFound('Venue');
  if (!user) throw invalid('body field "user_id" names no user');
  if (user.role !== 'hall_admin') throw invalid('body field "user_id" must name a hall admin');
  await deps.sql.begin(async (tx) => {
    if (!(await assignVenueAdmin(tx, venue.id, user.id))) return;
    const assignmentId = randomUUID();
    await outbox.start(
      tx,
      workflowTypes.venueAssignmentWorkflow,
      venueAssignmentWorkflowId(venue.id, user.id, assignmentId),
      {
        venueId: venue.id,
        userId: user.id,
        assignmentId,
        emailRetryInitialMs: deps.config.lifecycle.emailRetryInitialMs,
      },
      { staticSummary: `${venue.name} · hall admin ${user.id} assigned` },
    );
  });
  return { venue, user };
}

/** Takes a hall admin off a venue, and their calendar feed of it with them (a later assignment makes a new one). */
export async function dismissVenueAdmin(sql: Sql, venueId: number, userId: number): Promise<void> {
  const removed = await sql.begin(async (tx) => {
    if (!(await removeVenueAdmin(tx, venueId, userId))) return false;
    await deleteVenueFeeds(tx, userId, [venueId]);
    return true;
  });
  if (!removed) throw notFound('Venue administrator');
}

/** The venue, when the user administers it (a super admin, or one of its hall admins): not_found when there is none, forbidden otherwise. */
export async function administeredVenue(
  sql: Queryable,
  user: Pick<ActingUser, 'id' | 'role'>,
  id: number,
): Promise<VenueRow> {
  const venue = await findVenue(sql, id);
  if (!venue) throw notFound('Venue');
  if (!(await administersVenue(sql, user, id))) throw forbidden('Only an administrator of this venue can do this');
  return venue;
}

/**
 * Sets whether bookers must check in (and the window) and whether its admins approve each booking
 * (and what an undecided request comes to), as one of the venue's administrators, in one
 * transaction; the venue as it now stands.
 */
export async function setVenueRules(
  sql: Sql,
  user: Pick<ActingUser, 'id' | 'role'>,
  id: number,
  rules: { checkIn?: CheckInSettings; approval?: ApprovalSettings; facts?: VenueFacts; amenities?: string[] },
): Promise<VenueWithAdmins> {
  await administeredVenue(sql, user, id);
  if (rules.facts?.archived !== undefined && user.role !== 'super_admin')
    throw forbidden('Only a super admin can archive a venue or bring it back');
  await sql.begin(async (tx) => {
    if (rules.checkIn && !(await updateVenueCheckIn(tx, id, rules.checkIn))) throw notFound('Venue');
    if (rules.approval && !(await updateVenueApproval(tx, id, rules.approval))) throw notFound('Venue');
    if (rules.facts) await updateVenueFacts(tx, id, rules.facts);
    if (rules.amenities) {
      const missing = await setVenueAmenities(tx, id, rules.amenities);
      if (missing.length > 0)
        throw invalid(
          `body field "amenities": ${missing.map((name) => `"${name}"`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} not on the amenities list (GET /api/amenities)`,
        );
    }
  });
  const [venue] = await listVenues(sql, id);
  return venue!;
}
