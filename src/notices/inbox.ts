import type postgres from 'postgres';
import { NOTIFICATION_CHANNEL, type NotificationType } from '../notifications/store';
import type { Queryable } from '../db/sql';

// The only writes to the notifications table: every in-app notice goes through here, from the
// notices pipeline's recording step and an announcement's batches. The inbox's reads and the
// reader's own changes (read, delete) stay with src/notifications.

export interface NewNotification {
  userId: number;
  type: NotificationType;
  title: string;
  message: string;
  link?: string;
  /** Names the event, e.g. `booking:42:confirmed:7`; a second insert with the same key is ignored. */
  eventKey: string;
}

/**
 * Inserts the row unless its event already produced one, and tells every API process through
 * NOTIFY (delivered on commit) so open streams hear of it at once. Returns the new id, or null.
 */
export async function insertNotification(sql: Queryable, n: NewNotification): Promise<number | null> {
  const [row] = await sql<{ id: number }[]>`
    with inserted as (
      insert into notifications (user_id, notification_type, title, message, link, event_key)
      values (${n.userId}, ${n.type}, ${n.title}, ${n.message}, ${n.link ?? ''}, ${n.eventKey})
      on conflict (event_key) do nothing
      returning id, user_id
    )
    select id, pg_notify(${NOTIFICATION_CHANNEL}, json_build_object('user_id', user_id, 'id', id)::text) from inserted`;
  return row?.id ?? null;
}

export interface BroadcastBatch {
  /** Users this batch reached (written now or by an earlier try of the same batch). */
  recipients: number;
  /** Where the next batch starts (the last user id seen), or null when none are left. */
  nextCursor: number | null;
}

/**
 * Writes the broadcast's `system` notification to the next `limit` active users after `afterUserId`
 * (keyset on users' primary key), as one INSERT ... SELECT in its own transaction. Users who joined
 * after the broadcast was made are not its audience. The event key makes a retried batch write
 * nothing twice. Each new row is announced with the same NOTIFY payload insertNotification sends,
 * so open streams show it at once; listeners drop payloads for users without a stream here.
 */
export async function writeAnnouncementBatch(
  sql: Queryable,
  broadcastId: number,
  afterUserId: number,
  limit: number,
  /** A condition on a user id saying who wants the broadcast (the activity passes the preferences' rule). */
  wants: (userId: postgres.Fragment) => postgres.Fragment = () => sql`true`,
): Promise<BroadcastBatch> {
  const [row] = await sql<{ recipients: number; last_user_id: number | null }[]>`
    with broadcast as (
      select id, title, message, link, created_at from broadcasts where id = ${broadcastId}
    ), recipients as (
      select u.id from users u, broadcast b
      where u.is_active and u.id > ${afterUserId} and u.created_at <= b.created_at and ${wants(sql`u.id`)}
      order by u.id
      limit ${limit}
    ), inserted as (
      insert into notifications (user_id, notification_type, title, message, link, event_key)
      select r.id, 'system', b.title, b.message, b.link, 'broadcast:' || b.id || ':' || r.id
      from recipients r, broadcast b
      on conflict (event_key) do nothing
      returning id, user_id
    )
    select (select count(*)::int from recipients) as recipients,
           (select max(id) from recipients) as last_user_id,
           (select count(pg_notify(${NOTIFICATION_CHANNEL}, json_build_object('user_id', user_id, 'id', id)::text)) from inserted) as announced`;
  const recipients = row?.recipients ?? 0;
  return { recipients, nextCursor: recipients < limit ? null : (row?.last_user_id ?? null) };
}
