import type { Sql } from '../db/sql';
import { deleteAllNotifications, deleteNotification, markAllNotificationsRead, markNotificationRead } from './store';
import type { ActingUser } from '../domain/acting-user';
import { notFound } from '../domain/errors';

type Reader = Pick<ActingUser, 'id'>;
const NOTIFICATION = 'Notification';

/**
 * What a user does to their own inbox. Every statement is scoped by their id, so another user's
 * notification is not found, exactly like one that does not exist.
 */
export async function markRead(sql: Sql, reader: Reader, id: number): Promise<void> {
  if ((await markNotificationRead(sql, reader.id, id)) === 'not_found') throw notFound(NOTIFICATION);
}

/** How many were unread. */
export async function markAllRead(sql: Sql, reader: Reader): Promise<number> {
  return markAllNotificationsRead(sql, reader.id);
}

export async function dismiss(sql: Sql, reader: Reader, id: number): Promise<void> {
  if (!(await deleteNotification(sql, reader.id, id))) throw notFound(NOTIFICATION);
}

/** How many were deleted. */
export async function dismissAll(sql: Sql, reader: Reader): Promise<number> {
  return deleteAllNotifications(sql, reader.id);
}
