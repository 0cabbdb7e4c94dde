import { Context } from '@temporalio/activity';
import { noticesPipeline, type EmailOutcome, type Notice } from '../src/notices';
import type { ActivityDeps } from './deps';

/** Well inside the workflow's 30 s heartbeat timeout. */
const HEARTBEAT_EVERY_MS = 5_000;

/** The notices pipeline's two steps (and its last word), as the workflows call them. */
export function noticeActivities(deps: ActivityDeps) {
  const pipeline = noticesPipeline(deps);
  return {
    /** The notice's in-app notifications, one per person it concerns; keyed, so a retry writes nothing twice. */
    async recordNotice(notice: Notice): Promise<void> {
      await pipeline.record(notice);
    },

    /** The notice's emails, each sent once per key, and its webhook event, once per endpoint. */
    async deliverNotice(notice: Notice): Promise<EmailOutcome[]> {
      const context = Context.current();
      // Alive while an SMTP exchange is slow (one may take up to its 50 s of transport timeouts):
      // only a worker that died stops heartbeating, and its attempt is retried within the timeout.
      const alive = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
      try {
        return await pipeline.deliver(notice, context.info.attempt, () => context.heartbeat());
      } finally {
        clearInterval(alive);
      }
    },

    /** After the last retry: every email of the notice still unsent, and its webhook deliveries, are logged failed. */
    async recordNoticeFailure(notice: Notice, reason: string): Promise<void> {
      await pipeline.recordFailure(notice, reason);
    },
  };
}
