import { markBroadcastCompleted, writeBroadcastBatch, type BroadcastBatch } from '../src/db/broadcasts';
import { receives } from '../src/preferences/decide';
import type { ActivityDeps } from './deps';

/** Users per batch: one INSERT ... SELECT of this many rows is a short transaction even at 10 000 users. */
export const BROADCAST_BATCH_SIZE = 1_000;

export function broadcastActivities({ sql, logger }: ActivityDeps) {
  return {
    /**
     * Writes the next batch of a broadcast's notifications, to the users who did not turn
     * announcements off; idempotent per (broadcast, user).
     */
    async writeBroadcastBatch(broadcastId: number, afterUserId: number): Promise<BroadcastBatch> {
      return writeBroadcastBatch(sql, broadcastId, afterUserId, BROADCAST_BATCH_SIZE, (userId) => receives(sql, userId, 'broadcast', 'in_app'));
    },

    async completeBroadcast(broadcastId: number, recipientCount: number): Promise<void> {
      if (await markBroadcastCompleted(sql, broadcastId, recipientCount)) {
        logger.info({ broadcastId, recipientCount }, 'broadcast delivered');
      }
    },
  };
}
