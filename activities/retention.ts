import { deleteNotificationsCreatedBefore } from '../src/notifications/store';
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
      const deleted = await deleteNotificationsCreatedBefore(sql, cutoff, RETENTION_BATCH_SIZE);
      if (deleted > 0) logger.info({ deleted, cutoff: cutoff.toISOString() }, 'expired notifications deleted');
      return deleted;
    },
  };
}
