import type { Queryable } from '../db/sql';
import type { UserRow } from '../users/store';

export const NOTIFICATION_TYPES = [
  'booking_confirmed',
  'booking_cancelled',
  'booking_auto_cancelled',
  'new_booking',
  'venue_assigned',
  'user_created',
  'booking_reminder',
  'waitlist_slot_available',
  'waitlist_offer_expired',
  'system',
  'booking_rescheduled',
  'booking_no_show',
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** The LISTEN/NOTIFY channel that tells every API process of new rows and changed counts. */
export const NOTIFICATION_CHANNEL = 'bookit_notifications';

/** A notification as its owner sees it; `user_id` and `event_key` stay inside. */
export interface NotificationRow {
  id: number;
  notification_type: NotificationType;
  title: string;
  message: string;
  link: string;
  is_read: boolean;
  created_at: Date;
  read_at: Date | null;
}

const VISIBLE_COLUMNS = ['id', 'notification_type', 'title', 'message', 'link', 'is_read', 'created_at', 'read_at'];

export interface InboxPage {
  isRead?: boolean;
  /** Keyset cursor: only ids below it, so rows inserted while a client pages never shift a page. */
  before?: number;
  limit: number;
}

/** Newest first, read through notifications_inbox (user_id, id desc). */
export async function listNotifications(sql: Queryable, userId: number, page: InboxPage): Promise<NotificationRow[]> {
  return sql<NotificationRow[]>`
    select ${sql(VISIBLE_COLUMNS)} from notifications
    where user_id = ${userId}
      ${page.isRead === undefined ? sql`` : sql`and is_read = ${page.isRead}`}
      ${page.before === undefined ? sql`` : sql`and id < ${page.before}`}
    order by id desc
    limit ${page.limit}`;
}

/** Oldest first: what a reconnecting stream missed after the last id it saw. */
export async function listNotificationsAfter(
  sql: Queryable,
  userId: number,
  afterId: number,
  limit: number,
): Promise<NotificationRow[]> {
  return sql<NotificationRow[]>`
    select ${sql(VISIBLE_COLUMNS)} from notifications
    where user_id = ${userId} and id > ${afterId}
    order by id
    limit ${limit}`;
}

export async function findNotification(
  sql: Queryable,
  userId: number,
  id: number,
): Promise<NotificationRow | undefined> {
  const [row] = await sql<
    NotificationRow[]
  >`select ${sql(VISIBLE_COLUMNS)} from notifications where id = ${id} and user_id = ${userId}`;
  return row;
}

export async function latestNotificationId(sql: Queryable, userId: number): Promise<number> {
  const [row] = await sql<{ id: number | null }[]>`select max(id) as id from notifications where user_id = ${userId}`;
  return row?.id ?? 0;
}

/** Kept to exactly this shape so it stays an index-only scan on the partial index notifications_unread. */
export async function countUnread(sql: Queryable, userId: number): Promise<number> {
  const [row] = await sql<
    { count: number }[]
  >`select count(*) from notifications where user_id = ${userId} and not is_read`;
  return row?.count ?? 0;
}

/** The caller's row as the API admits it, with their unread count. */
export type ActiveUserWithUnreadCount = Pick<
  UserRow,
  'id' | 'email' | 'full_name' | 'role' | 'token_version' | 'must_change_password'
> & { unread_count: number };

/**
 * GET unread_count in one round trip: the user's row, only while the account is active (the API
 * then checks its token version as for any request), and the count, by the same index-only scan
 * as countUnread. Undefined for an inactive or missing user.
 */
export async function findActiveUserWithUnreadCount(
  sql: Queryable,
  userId: number,
): Promise<ActiveUserWithUnreadCount | undefined> {
  const [row] = await sql<ActiveUserWithUnreadCount[]>`
    select u.id, u.email, u.full_name, u.role, u.token_version, u.must_change_password,
      (select count(*) from notifications n where n.user_id = u.id and not n.is_read) as unread_count
    from users u where u.id = ${userId} and u.is_active`;
  return row;
}

/**
 * What the NOTIFY payload on NOTIFICATION_CHANNEL says: with `id`, that row is new (insertNotification);
 * with `kind: 'unread_count'`, rows were read or deleted and only the count moved; with
 * `kind: 'sessions_ended'`, the user's token version moved and their open streams must close.
 */
export type NotificationSignal =
  | { user_id: number; id: number }
  | { user_id: number; kind: 'unread_count' | 'sessions_ended' };

/** Tells every API process (on commit) that the user's sessions ended, so their open streams close. */
export async function announceSessionsEnded(sql: Queryable, userId: number): Promise<void> {
  await sql`select pg_notify(${NOTIFICATION_CHANNEL}, json_build_object('user_id', ${userId}::bigint, 'kind', 'sessions_ended')::text)`;
}

function unreadCountMoved(sql: Queryable, userId: number) {
  return sql`pg_notify(${NOTIFICATION_CHANNEL}, json_build_object('user_id', ${userId}::bigint, 'kind', 'unread_count')::text)`;
}

export type MarkReadOutcome = 'marked' | 'already_read' | 'not_found';

/** Sets read_at only on the first call, so a repeat keeps the original time and still succeeds. */
export async function markNotificationRead(sql: Queryable, userId: number, id: number): Promise<MarkReadOutcome> {
  const [row] = await sql<{ found: boolean; marked: boolean }[]>`
    with marked as (
      update notifications set is_read = true, read_at = now()
      where id = ${id} and user_id = ${userId} and not is_read
      returning id
    )
    select exists (select 1 from notifications where id = ${id} and user_id = ${userId}) as found,
           exists (select 1 from marked) as marked,
           (select ${unreadCountMoved(sql, userId)} where exists (select 1 from marked)) as announced`;
  if (row?.marked) return 'marked';
  return row?.found ? 'already_read' : 'not_found';
}

/** Returns how many rows changed. */
export async function markAllNotificationsRead(sql: Queryable, userId: number): Promise<number> {
  const [row] = await sql<{ count: number }[]>`
    with marked as (
      update notifications set is_read = true, read_at = now()
      where user_id = ${userId} and not is_read
      returning id
    )
    select (select count(*) from marked) as count,
           (select ${unreadCountMoved(sql, userId)} where exists (select 1 from marked)) as announced`;
  return row?.count ?? 0;
}

/** True when the row existed and belonged to the user. */
export async function deleteNotification(sql: Queryable, userId: number, id: number): Promise<boolean> {
  const [row] = await sql<{ count: number }[]>`
    with deleted as (delete from notifications where id = ${id} and user_id = ${userId} returning is_read)
    select (select count(*) from deleted) as count,
           (select ${unreadCountMoved(sql, userId)} where exists (select 1 from deleted where not is_read)) as announced`;
  return (row?.count ?? 0) > 0;
}

/** Returns how many rows were deleted. */
export async function deleteAllNotifications(sql: Queryable, userId: number): Promise<number> {
  const [row] = await sql<{ count: number }[]>`
    with deleted as (delete from notifications where user_id = ${userId} returning is_read)
    select (select count(*) from deleted) as count,
           (select ${unreadCountMoved(sql, userId)} where exists (select 1 from deleted where not is_read)) as announced`;
  return row?.count ?? 0;
}

/**
 * Deletes up to `limit` notifications created before `cutoff` (the retention clean-up's batch) and
 * returns how many went. Users who lose unread rows are told their unread count moved, as a single
 * delete does.
 */
export async function deleteNotificationsCreatedBefore(sql: Queryable, cutoff: Date, limit: number): Promise<number> {
  const [row] = await sql<{ deleted: number }[]>`
    with deleted as (
      delete from notifications
      where id in (select id from notifications where created_at < ${cutoff} limit ${limit})
      returning user_id, is_read
    ), unread_moved as (
      select distinct user_id from deleted where not is_read
    )
    select (select count(*)::int from deleted) as deleted,
           (select count(pg_notify(${NOTIFICATION_CHANNEL}, json_build_object('user_id', user_id, 'kind', 'unread_count')::text)) from unread_moved) as announced`;
  return row?.deleted ?? 0;
}
