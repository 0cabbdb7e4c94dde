import { findEmailBounce, markEmailFailed, settledEmailStatus } from './email-log';
import { decide, receives } from '../preferences/decide';
import { forgetWelcomePassword } from '../users/welcome-password';
import { deliverWebhookEvent, markWebhookEventFailed, type WebhookEvent } from '../webhooks';
import { kindOf } from './catalogue';
import { emailSender, type EmailMessage, type NoticeDeps } from './email-delivery';
import { insertNotification, writeAnnouncementBatch, type BroadcastBatch } from './inbox';
import type { NoticeContext, NoticeMessage, NoticePlan } from './kind';
import type { EmailOutcome, Notice } from '../contracts/notice';

const hasEmail = (message: NoticeMessage): message is EmailMessage => message.email !== null;

/**
 * The notices pipeline: a notice's plan (who hears what, from one load of its rows), its recording
 * step (the in-app rows, in the order the workflow hands notices over) and its delivery step (the
 * emails, then the webhook event). Every write is keyed, so a retried step repeats nothing.
 */
export function noticesPipeline(deps: NoticeDeps) {
  const { sql, config, logger } = deps;
  const sendEmail = emailSender(deps);
  const context = (): NoticeContext => ({ sql, config, baseUrl: config.http.publicBaseUrl, now: new Date() });
  const plan = (notice: Notice): Promise<NoticePlan> => kindOf(notice).plan(context(), notice);

  /** Writes one message's in-app row unless its recipient turned its type off in-app (or muted the venue). */
  async function recordMessage(message: NoticeMessage): Promise<number | null> {
    if (!message.inApp) return null;
    if (message.preference) {
      const decision = await decide(sql, message.recipient.id, message.preference.type, 'in_app', {
        venueId: message.preference.venueId,
      });
      if (!decision.send) {
        logger.info(
          { eventKey: message.key, kind: message.inApp.type, reason: decision.reason },
          "in-app notification held back by the recipient's preferences",
        );
        return null;
      }
    }
    const { type, title, message: text, link } = message.inApp;
    return insertNotification(sql, {
      userId: message.recipient.id,
      type,
      title,
      message: text,
      link,
      eventKey: message.key,
    });
  }

  /** After the last retry: the email under `key`, unless settled, is logged failed for operators. */
  async function recordEmailFailure(key: string, template: string, reason: string): Promise<void> {
    if (await settledEmailStatus(sql, key)) return;
    await markEmailFailed(sql, { key, template, error: reason });
    // The password it carried will never arrive: nothing should keep it.
    if (template === 'welcome') await forgetWelcomePassword(sql, key);
    logger.error({ emailKey: key, kind: template, err: reason }, 'email failed after all retries');
  }

  return {
    plan,
    /**
     * An announcement's in-app rows for the next batch of users after `afterUserId` who did not turn
     * announcements off: one INSERT ... SELECT, keyed per (broadcast, user).
     */
    writeAnnouncementBatch: (broadcastId: number, afterUserId: number, batchSize: number): Promise<BroadcastBatch> =>
      writeAnnouncementBatch(sql, broadcastId, afterUserId, batchSize, (userId) =>
        receives(sql, userId, 'broadcast', 'in_app'),
      ),
    recordMessage,
    recordEmailFailure,
    /** One webhook event, once per endpoint; throws while a receiver is still to be retried. */
    deliverWebhook: (event: WebhookEvent) => deliverWebhookEvent(deps, event),
    /** Sends one message's email (see emailSender); throws for a transient failure. */
    deliverMessage: (message: NoticeMessage, attempt: number): Promise<EmailOutcome> =>
      hasEmail(message) ? sendEmail(message, attempt) : Promise.resolve('already_sent'),

    /** The recording step: each in-app row of the notice, in order. */
    async record(notice: Notice): Promise<void> {
      for (const message of (await plan(notice)).messages) await recordMessage(message);
    },

    /**
     * The delivery step: each email of the notice, then its webhook event. A transient failure
     * does not hold up the rest; the first is thrown once everything was tried, so Temporal retries
     * the step and only what is still undelivered goes out. `progress` is called after each email.
     */
    async deliver(notice: Notice, attempt: number, progress: () => void = () => {}): Promise<EmailOutcome[]> {
      const { messages, webhook } = await plan(notice);
      const outcomes: EmailOutcome[] = [];
      let retryable: unknown = null;
      for (const message of messages.filter(hasEmail)) {
        try {
          const outcome = await sendEmail(message, attempt);
          outcomes.push(outcome);
          if (
            message.onBounce &&
            (outcome === 'bounced' || outcome === 'suppressed') &&
            (await findEmailBounce(sql, message.recipient.email))
          ) {
            const told = await message.onBounce();
            if (told) await recordMessage({ ...message, key: `${message.key}:bounced`, inApp: told });
          }
        } catch (error) {
          retryable ??= error;
        }
        progress();
      }
      // Once per endpoint: a receiver that is down makes the step retry with its emails' backoff.
      if (webhook)
        await deliverWebhookEvent(deps, webhook).catch((error: unknown) => {
          retryable ??= error;
        });
      if (retryable) throw retryable;
      return outcomes;
    },

    /** After the last retry: what the notice still had undelivered is logged failed. */
    async recordFailure(notice: Notice, reason: string): Promise<void> {
      const { messages, webhook } = await plan(notice);
      if (webhook) await markWebhookEventFailed(deps, webhook.id, reason);
      for (const message of messages.filter(hasEmail))
        await recordEmailFailure(message.key, message.email.template, reason);
    },
  };
}

export type NoticesPipeline = ReturnType<typeof noticesPipeline>;
