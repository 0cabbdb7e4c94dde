import { markBroadcastCompleted } from '../src/broadcasts/store';
import { noticesPipeline, type BroadcastBatch } from '../src/notices';
import type { ActivityDeps } from './deps';

/** Users per batch: one INSERT ... SELECT of this many rows is a short transaction even at 10 000 users. */
export const BROADCAST_BATCH_SIZE = 1_000;

export function broadcastActivities(deps: ActivityDeps) {
  const { sql, logger } = deps;
  const pipeline = noticesPipeline(deps);
  return {
    /**
     * Writes the next batch of a broadcast's notifications, to the users who did not turn
     * announcements off; idempotent per (broadcast, user).
     */
    async writeBroadcastBatch(broadcastId: number, afterUserId: number): Promise<BroadcastBatch> {
      return pipeline.writeAnnouncementBatch(broadcastId, afterUserId, BROADCAST_BATCH_SIZE);
    },

    async completeBroadcast(broadcastId: number, recipientCount: number): Promise<void> {
      if (await markBroadcastCompleted(sql, broadcastId, recipientCount)) {
        logger.info({ broadcastId, recipientCount }, 'broadcast delivered');
      }
    },
  };
}
