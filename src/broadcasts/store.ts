import type { Queryable } from '../db/sql';

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
export async function insertBroadcast(
  sql: Queryable,
  broadcast: NewBroadcast,
): Promise<{ broadcast: BroadcastRow; activeUsers: number }> {
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

/** Records the outcome once; a repeated call (a retried activity) changes nothing. */
export async function markBroadcastCompleted(
  sql: Queryable,
  broadcastId: number,
  recipientCount: number,
): Promise<boolean> {
  const rows = await sql`
    update broadcasts set recipient_count = ${recipientCount}, completed_at = now()
    where id = ${broadcastId} and completed_at is null
    returning id`;
  return rows.length === 1;
}
