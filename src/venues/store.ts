import type { Queryable } from '../db/sql';
import type { UserRow } from '../users/store';
import { venueLocalSlot } from '../db/venue-local-time';

export interface VenueRow {
  id: number;
  name: string;
  /** Its stable short name (`main-auditorium`), kept across renames: how identity-provider groups name it. */
  slug: string;
  location: string;
  capacity: number | null;
  time_zone: string;
  created_at: Date;
  /** Bookers must check in from `opens_before` minutes before the start until `closes_after` minutes after it. */
  check_in_required: boolean;
  check_in_opens_before_minutes: number;
  check_in_closes_after_minutes: number;
  /** Its hall admins approve each booking; undecided by the deadline, `approval_on_timeout` applies. */
  approval_required: boolean;
  approval_on_timeout: 'deny' | 'approve';
  building: string;
  floor: string;
  description: string;
  /** Archived: no new bookings; its history stays. */
  archived_at: Date | null;
}

/** A venue's columns as VenueRow names them, from `venues v`. */
const venueColumns = (sql: Queryable) => sql`
  v.id, v.name, v.slug, v.location, v.capacity, v.time_zone, v.created_at, v.check_in_required,
  (extract(epoch from v.check_in_opens_before) / 60)::int as check_in_opens_before_minutes,
  (extract(epoch from v.check_in_closes_after) / 60)::int as check_in_closes_after_minutes,
  v.approval_required, v.approval_on_timeout, v.building, v.floor, v.description, v.archived_at`;

export interface CheckInSettings {
  required: boolean;
  opensBeforeMinutes?: number;
  closesAfterMinutes?: number;
}

export interface ApprovalSettings {
  required: boolean;
  onTimeout?: 'deny' | 'approve';
}

/** Changes whether a venue's bookings need approval (bookings already made keep what they had); the row, or undefined. */
export async function updateVenueApproval(
  sql: Queryable,
  id: number,
  settings: ApprovalSettings,
): Promise<VenueRow | undefined> {
  const [row] = await sql<VenueRow[]>`
    update venues v set approval_required = ${settings.required}, approval_on_timeout = coalesce(${settings.onTimeout ?? null}, approval_on_timeout)
    where v.id = ${id}
    returning ${venueColumns(sql)}`;
  return row;
}

/** Changes a venue's check-in rule; the row as it now stands, or undefined when there is no such venue. */
export async function updateVenueCheckIn(
  sql: Queryable,
  id: number,
  settings: CheckInSettings,
): Promise<VenueRow | undefined> {
  const [row] = await sql<VenueRow[]>`
    update venues v set check_in_required = ${settings.required},
      check_in_opens_before = coalesce(make_interval(mins => ${settings.opensBeforeMinutes ?? null}::int), check_in_opens_before),
      check_in_closes_after = coalesce(make_interval(mins => ${settings.closesAfterMinutes ?? null}::int), check_in_closes_after)
    where v.id = ${id}
    returning ${venueColumns(sql)}`;
  return row;
}

export async function insertVenue(
  sql: Queryable,
  venue: { name: string; location: string; capacity: number | null; timeZone: string },
): Promise<VenueRow> {
  const [row] = await sql<VenueRow[]>`
    insert into venues as v (name, location, capacity, time_zone)
    values (${venue.name}, ${venue.location}, ${venue.capacity}, ${venue.timeZone})
    returning ${venueColumns(sql)}`;
  return row!;
}

export type VenueWithAdmins = VenueRow & { admin_ids: number[]; amenities: string[] };

/** Every venue with its administrators' ids and its amenities, or the one `id` names. */
export async function listVenues(sql: Queryable, id?: number): Promise<VenueWithAdmins[]> {
  return sql`
    select ${venueColumns(sql)}, coalesce(array_agg(va.user_id order by va.user_id) filter (where va.user_id is not null), '{}') as admin_ids,
      array(select a.name from venue_amenities vam join amenities a on a.id = vam.amenity_id where vam.venue_id = v.id order by a.name) as amenities
    from venues v left join venue_admins va on va.venue_id = v.id
    where ${id === undefined ? sql`true` : sql`v.id = ${id}`}
    group by v.id order by v.name, v.id`;
}

/** The amenities list the super admins keep. */
export async function listAmenities(sql: Queryable): Promise<{ id: number; name: string }[]> {
  return sql<{ id: number; name: string }[]>`select id, name from amenities order by lower(name)`;
}

/** Adds an amenity to the list; the existing one when the name is already there (any case). */
export async function addAmenity(
  sql: Queryable,
  name: string,
): Promise<{ id: number; name: string; created: boolean }> {
  const [made] = await sql<{ id: number; name: string }[]>`
    insert into amenities (name) values (${name}) on conflict (lower(name)) do nothing returning id, name`;
  if (made) return { ...made, created: true };
  const [found] = await sql<
    { id: number; name: string }[]
  >`select id, name from amenities where lower(name) = lower(${name})`;
  return { ...found!, created: false };
}

/** Sets a venue's amenities by name; answers the names the list does not have (nothing is changed then). */
export async function setVenueAmenities(sql: Queryable, venueId: number, names: string[]): Promise<string[]> {
  const known = await sql<{ id: number; name: string }[]>`
    select id, name from amenities where lower(name) = any(${sql.array(names.map((n) => n.toLowerCase()))}::text[])`;
  const missing = names.filter((name) => !known.some((k) => k.name.toLowerCase() === name.toLowerCase()));
  if (missing.length > 0) return missing;
  await sql`delete from venue_amenities where venue_id = ${venueId}`;
  if (known.length > 0)
    await sql`insert into venue_amenities (venue_id, amenity_id) select ${venueId}, unnest(${sql.array(known.map((k) => k.id))}::bigint[])`;
  return [];
}

/** What a venue is, beyond its rules: null keeps a field. */
export interface VenueFacts {
  name?: string;
  location?: string;
  capacity?: number | null;
  building?: string;
  floor?: string;
  description?: string;
  archived?: boolean;
}

export async function updateVenueFacts(sql: Queryable, id: number, facts: VenueFacts): Promise<void> {
  await sql`
    update venues set name = coalesce(${facts.name ?? null}, name), location = coalesce(${facts.location ?? null}, location),
      capacity = case when ${facts.capacity !== undefined} then ${facts.capacity ?? null}::int else capacity end,
      building = coalesce(${facts.building ?? null}, building), floor = coalesce(${facts.floor ?? null}, floor),
      description = coalesce(${facts.description ?? null}, description),
      archived_at = case when ${facts.archived ?? null}::boolean is null then archived_at
        when ${facts.archived ?? null}::boolean then coalesce(archived_at, now()) else null end
    where id = ${id}`;
}

export async function findVenue(sql: Queryable, id: number): Promise<VenueRow | undefined> {
  const [row] = await sql<VenueRow[]>`select ${venueColumns(sql)} from venues v where v.id = ${id}`;
  return row;
}

/**
 * True when this assignment is new (so the hall admin is told only once). Only a user who is a hall
 * admin when it commits is assigned: the share lock waits for a role change in flight, which
 * removes the user's assignments in its own transaction (removeFromAllVenues).
 */
export async function assignVenueAdmin(sql: Queryable, venueId: number, userId: number): Promise<boolean> {
  const rows = await sql`
    insert into venue_admins (venue_id, user_id)
    select ${venueId}, u.id from users u where u.id = ${userId} and u.role = 'hall_admin' for share of u
    on conflict do nothing
    returning user_id`;
  return rows.length === 1;
}

/** Takes the user off every venue they administer; the venues they were removed from. */
export async function removeFromAllVenues(sql: Queryable, userId: number): Promise<number[]> {
  const rows = await sql<{ venue_id: number }[]>`delete from venue_admins where user_id = ${userId} returning venue_id`;
  return rows.map((row) => row.venue_id);
}

export async function removeVenueAdmin(sql: Queryable, venueId: number, userId: number): Promise<boolean> {
  const rows =
    await sql`delete from venue_admins where venue_id = ${venueId} and user_id = ${userId} returning user_id`;
  return rows.length === 1;
}

export async function venueAdminIds(sql: Queryable, venueId: number): Promise<number[]> {
  const rows = await sql<{ user_id: number }[]>`
    select va.user_id from venue_admins va join users u on u.id = va.user_id
    where va.venue_id = ${venueId} and u.is_active order by va.user_id`;
  return rows.map((row) => row.user_id);
}

/** The venue's hall admins whose accounts are open, as messages address them. */
export async function venueAdminUsers(
  sql: Queryable,
  venueId: number,
): Promise<Pick<UserRow, 'id' | 'email' | 'full_name' | 'is_active'>[]> {
  return sql<Pick<UserRow, 'id' | 'email' | 'full_name' | 'is_active'>[]>`
    select u.id, u.email, u.full_name, u.is_active from venue_admins va join users u on u.id = va.user_id
    where va.venue_id = ${venueId} and u.is_active order by u.id`;
}

/** The venues these slugs name (any not found are left out). */
export async function findVenuesBySlug(sql: Queryable, slugs: string[]): Promise<VenueRow[]> {
  if (slugs.length === 0) return [];
  return sql<
    VenueRow[]
  >`select ${venueColumns(sql)} from venues v where v.slug = any(${sql.array(slugs)}::text[]) order by v.id`;
}

/** The ids of the venues the user is assigned to as a hall admin. */
export async function venuesAdministeredBy(sql: Queryable, userId: number): Promise<number[]> {
  const rows = await sql<
    { venue_id: number }[]
  >`select venue_id from venue_admins where user_id = ${userId} order by venue_id`;
  return rows.map((row) => row.venue_id);
}

export async function isVenueAdmin(sql: Queryable, venueId: number, userId: number): Promise<boolean> {
  const rows = await sql`select 1 from venue_admins where venue_id = ${venueId} and user_id = ${userId}`;
  return rows.length === 1;
}

/** Whether the user administers the venue: a super admin administers every venue, a hall admin those assigned. */
export async function administersVenue(
  sql: Queryable,
  user: { id: number; role: string },
  venueId: number,
): Promise<boolean> {
  if (user.role === 'super_admin') return true;
  return user.role === 'hall_admin' && isVenueAdmin(sql, venueId, user.id);
}

/** The venue's name and an interval as its wall clock shows it (date, HH24:MI times). */
export async function findVenueWithLocalSlot(
  sql: Queryable,
  venueId: number,
  interval: { startsAt: Date; endsAt: Date },
): Promise<{ name: string; date: string; start_time: string; end_time: string } | undefined> {
  const [row] = await sql<{ name: string; date: string; start_time: string; end_time: string }[]>`
    select name, ${venueLocalSlot(sql, interval, sql`time_zone`, 'HH24:MI')}
    from venues where id = ${venueId}`;
  return row;
}
