import type postgres from 'postgres';
import { NOTIFICATION_CHANNEL } from './notifications';
import type { Queryable } from './sql';

export interface BroadcastRow {
  id: number;
  title: string;
  message: string;
  link: string;
  created_by: number;
  recipient_count: number | null;
  created_at: Date;
  completed_at: Date | null;
}

export interface NewBroadcast {
  title: string;
  message: string;
  link?: string;
  createdBy: number;
}

/**
 * Records the broadcast and counts who it will reach: the users active now. Run it in the
 * transaction that enqueues the workflow, so the count and the row describe the same moment.
 */
export async function insertBroadcast(sql: Queryable, broadcast: NewBroadcast): Promise<{ broadcast: BroadcastRow; activeUsers: number }> {
  const [row] = await sql<BroadcastRow[]>`
    insert into broadcasts (title, message, link, created_by)
    values (${broadcast.title}, ${broadcast.message}, ${broadcast.link ?? ''}, ${broadcast.createdBy})
    returning *`;
  const [count] = await sql<{ count: number }[]>`select count(*)::int as count from users where is_active`;
  return { broadcast: row!, activeUsers: count!.count };
}

export async function findBroadcast(sql: Queryable, id: number): Promise<BroadcastRow | undefined> {
  const [row] = await sql<BroadcastRow[]>`select * from broadcasts where id = ${id}`;
  return row;
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
export async function writeBroadcastBatch(
  sql: Queryable, broadcastId: number, afterUserId: number, limit: number,
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

/** Records the outcome once; a repeated call (a retried activity) changes nothing. */
export async function markBroadcastCompleted(sql: Queryable, broadcastId: number, recipientCount: number): Promise<boolean> {
  const rows = await sql`
    update broadcasts set recipient_count = ${recipientCount}, completed_at = now()
    where id = ${broadcastId} and completed_at is null
    returning id`;
  return rows.length === 1;
}
