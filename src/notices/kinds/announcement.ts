import { findBroadcast } from '../../broadcasts/store';
import type { NoticeKind } from '../kind';
import { NOTHING } from '../kind';
import type { NoticeOf } from '../../contracts/notice';

/**
 * An announcement to every active user who did not turn announcements off. Its in-app rows are
 * written in batches as the broadcast workflow walks the users (`writeAnnouncementBatch`, one
 * INSERT ... SELECT each), not per message here; this declares what follows once they are all
 * written: the webhook event, with how many it reached.
 */
export const announcement: NoticeKind<NoticeOf<'announcement'>> = {
  async plan(context, notice) {
    const broadcast = await findBroadcast(context.sql, notice.broadcastId);
    if (!broadcast) return NOTHING;
    return {
      messages: [],
      webhook: {
        id: `broadcast:${broadcast.id}`,
        type: 'announcement',
        occurredAt: context.now.toISOString(),
        data: {
          broadcast_id: broadcast.id,
          title: broadcast.title,
          message: broadcast.message,
          link: broadcast.link,
          recipient_count: broadcast.recipient_count,
        },
      },
    };
  },
};
