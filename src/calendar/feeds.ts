import { createHash, randomBytes } from 'node:crypto';
import type { Queryable, Sql } from '../db/sql';
import { findVenue, isVenueAdmin } from '../venues/store';
import { forbidden, notFound } from '../domain/errors';

// Owns calendar_feeds: private feed URLs whose random token is stored only as its hash.

export interface CalendarFeedRow {
  id: number;
  venue_id: number | null;
  created_at: Date;
}

/** The feed a token opens: whose calendar, and for a venue feed which venue. */
export interface ResolvedFeed {
  id: number;
  userId: number;
  venueId: number | null;
}

/** 32 random bytes, base64url: the whole credential of a feed URL. */
const newToken = () => randomBytes(32).toString('base64url');
const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/** Only what a feed URL can carry: anything else is no feed, answered without a query. */
export const FEED_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Makes the user's feed (their own bookings, or with `venueId` a venue they administer) and revokes
 * the one it replaces, in one transaction. Returns the new row and its token, which exists nowhere
 * else: the caller puts it in the URL it answers once.
 */
export async function createFeed(
  sql: Sql,
  userId: number,
  venueId: number | null,
): Promise<{ feed: CalendarFeedRow; token: string }> {
  if (venueId !== null) {
    if (!(await findVenue(sql, venueId))) throw notFound('Venue');
    if (!(await isVenueAdmin(sql, venueId, userId)))
      throw forbidden('Only a hall admin of this venue can have its calendar feed');
  }
  const token = newToken();
  const feed = await sql.begin(async (tx) => {
    // Two rotations at once queue here instead of tripping over the one-live-feed index.
    await tx`select pg_advisory_xact_lock(hashtextextended(${`bookit:calendar-feed:${userId}`}, 0))`;
    await tx`
      update calendar_feeds set revoked_at = now()
      where user_id = ${userId} and venue_id is not distinct from ${venueId} and revoked_at is null`;
    const [row] = await tx<CalendarFeedRow[]>`
      insert into calendar_feeds (user_id, venue_id, token_hash)
      values (${userId}, ${venueId}, ${hashOf(token)})
      returning id, venue_id, created_at`;
    return row!;
  });
  return { feed, token };
}

/** The user's live feeds, newest first; never their tokens. */
export async function listFeeds(sql: Queryable, userId: number): Promise<CalendarFeedRow[]> {
  return sql<CalendarFeedRow[]>`
    select id, venue_id, created_at from calendar_feeds
    where user_id = ${userId} and revoked_at is null
    order by id desc`;
}

/** Stops a feed URL for good. Revoking a feed already revoked changes nothing; another user's is not found. */
export async function revokeFeed(sql: Queryable, userId: number, feedId: number): Promise<void> {
  const [row] = await sql<{ id: number }[]>`
    with revoked as (
      update calendar_feeds set revoked_at = now()
      where id = ${feedId} and user_id = ${userId} and revoked_at is null
      returning id
    )
    select id from revoked
    union all
    select id from calendar_feeds where id = ${feedId} and user_id = ${userId}`;
  if (!row) throw notFound('Calendar feed');
}

/**
 * Turns off every live feed of the user. Called where the user ends their sessions themselves (sign
 * out everywhere, a new password) or an admin closes the account: a link handed out under those
 * sessions (perhaps to a calendar on a lost device) stops with them, and the user makes a new one.
 */
export async function revokeFeedsOf(sql: Queryable, userId: number): Promise<void> {
  await sql`update calendar_feeds set revoked_at = now() where user_id = ${userId} and revoked_at is null`;
}

/** Deletes the user's feeds of these venues, in the transaction that takes the venues from them. */
export async function deleteVenueFeeds(sql: Queryable, userId: number, venueIds: number[]): Promise<void> {
  if (venueIds.length === 0) return;
  await sql`delete from calendar_feeds where user_id = ${userId} and venue_id in ${sql(venueIds)}`;
}

/**
 * The live feed a token opens, or undefined. A feed stops with its owner's account, and a venue
 * feed also when its owner no longer administers the venue, or administers it again under an
 * assignment made after the feed: a feed belongs to the assignment it was made under, so one that
 * outlived a removal by any path (deleteVenueFeeds is the usual one) never comes back.
 */
export async function resolveFeed(sql: Queryable, token: string): Promise<ResolvedFeed | undefined> {
  if (!FEED_TOKEN.test(token)) return undefined;
  const [row] = await sql<ResolvedFeed[]>`
    select f.id, f.user_id as "userId", f.venue_id as "venueId"
    from calendar_feeds f join users u on u.id = f.user_id
    where f.token_hash = ${hashOf(token)} and f.revoked_at is null and u.is_active
      and (f.venue_id is null or exists (
        select 1 from venue_admins a
        where a.venue_id = f.venue_id and a.user_id = f.user_id and a.created_at <= f.created_at))`;
  return row;
}
