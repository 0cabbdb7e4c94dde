import { NOTIFICATION_CHANNEL } from '../src/db/notifications';
import type { ActivityDeps } from './deps';

/** Rows per DELETE: short transactions and bounded lock time, however far behind retention is. */
export const RETENTION_BATCH_SIZE = 5_000;

export function retentionActivities({ sql, logger }: ActivityDeps) {
  return {
    /**
     * Deletes up to one batch of notifications created before `cutoffMs` (an instant the workflow
     * chose, so a retried batch uses the same cutoff) and returns how many went. Users who lose
     * unread rows are told their unread count moved, as a single delete does.
     */
    async deleteExpiredNotifications(cutoffMs: number): Promise<number> {
      const cutoff = new Date(cutoffMs);
      const [row] = await sql<{ deleted: number }[]>`
        with deleted as (
          delete from notifications
          where id in (select id from notifications where created_at < ${cutoff} limit ${RETENTION_BATCH_SIZE})
          returning user_id, is_read
        ), unread_moved as (
          select distinct user_id from deleted where not is_read
        )
        select (select count(*)::int from deleted) as deleted,
               (select count(pg_notify(${NOTIFICATION_CHANNEL}, json_build_object('user_id', user_id, 'kind', 'unread_count')::text)) from unread_moved) as announced`;
      const deleted = row?.deleted ?? 0;
      if (deleted > 0) logger.info({ deleted, cutoff: cutoff.toISOString() }, 'expired notifications deleted');
      return deleted;
    },
  };
}
