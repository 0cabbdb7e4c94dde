import { ApplicationFailure, Context } from '@temporalio/activity';
import { beginEmailAttempt, markEmailFailed, markEmailSent, markEmailSuppressed, recordEmailError, settledEmailStatus } from '../src/db/email-log';
import { maskEmail } from '../src/log/logger';
import type { EmailDeliveryRequest, EmailOutcome } from '../workflows/email-types';
import { deriveKey } from '../src/auth/tokens';
import { welcomePasswordKey } from '../src/auth/sealed-box';
import { forgetWelcomePassword } from '../src/users/welcome-password';
import type { Invitation } from '../src/calendar/booking-calendar';
import { decideEmail } from './delivery-preferences';
import { composeEmail } from './email-composer';
import type { ActivityDeps } from './deps';

/** SMTP answers that will not change on retry: the recipient or message is refused for good. */
function isPermanentRefusal(error: unknown): boolean {
  const { responseCode, command } = (error ?? {}) as { responseCode?: number; command?: string };
  return typeof responseCode === 'number' && responseCode >= 500 && responseCode < 600 && /RCPT/i.test(command ?? '');
}

/**
 * A booking's invitation twice over, as nodemailer's own `icalEvent` lays it out but with the
 * attachment typed text/calendar too: a text/calendar alternative (what Gmail and Outlook turn
 * into Add to calendar) and `invite.ics` for every other client.
 */
function calendarParts(invitation: Invitation | undefined) {
  if (!invitation) return {};
  const contentType = `text/calendar; charset=utf-8; method=${invitation.method}`;
  return {
    alternatives: [{ contentType, content: invitation.content }],
    attachments: [{ filename: 'invite.ics', contentType, content: invitation.content }],
  };
}

/**
 * Sends one email at most once per idempotency key, unless its recipient's preferences hold it
 * back: then the email log says `suppressed` with the reason, and the key never sends.
 * Composition happens here, not in the workflow, so generated passwords, signed links and the
 * calendar invitation never enter workflow history. Throws a non-retryable
 * `EmailRefused` failure for a permanent refusal, and the transport's error for anything else.
 */
export function emailSender(deps: ActivityDeps): (request: EmailDeliveryRequest, attempt: number) => Promise<EmailOutcome> {
  const { sql, mailer, logger, config } = deps;
  // Derived once per worker, not per email: link tokens are signed, welcome passwords sealed with them.
  const keys = { action: deriveKey(config.auth.jwtSecret, 'action'), welcomePassword: welcomePasswordKey(config.auth.jwtSecret) };
  // A welcome's password waits sealed only until its email is sent: wiped after the send, and again
  // by any later attempt, in case the worker died in between.
  const forgetSecrets = async (request: EmailDeliveryRequest) => {
    if (request.email.kind === 'welcome') await forgetWelcomePassword(sql, request.key);
  };
  return async (request, attempt) => {
    const log = logger.child({ emailKey: request.key, kind: request.email.kind, attempt });
    const settled = await settledEmailStatus(sql, request.key);
    if (settled === 'sent') {
      await forgetSecrets(request);
      return 'already_sent';
    }
    if (settled === 'suppressed') return 'suppressed';
    // Decided before composing, so a held-back email makes no link token or password at all.
    const decision = await decideEmail(deps, request.email);
    if (!decision.send) {
      await markEmailSuppressed(sql, { key: request.key, template: request.email.kind, recipient: decision.recipient, reason: decision.reason });
      log.info({ reason: decision.reason }, 'email held back by the recipient\'s preferences; logged suppressed');
      return 'suppressed';
    }
    const composed = await composeEmail(deps, keys, request);
    if (!composed) {
      log.info('email no longer applies; nothing sent');
      return 'already_sent';
    }
    await beginEmailAttempt(sql, { key: request.key, template: request.email.kind, recipient: composed.to, subject: composed.subject });
    try {
      const info = await mailer.sendMail({
        from: config.mail.from,
        to: composed.to,
        subject: composed.subject,
        html: composed.html,
        text: composed.text,
        ...calendarParts(composed.invitation),
        messageId: `<${request.key.replace(/[^A-Za-z0-9.-]/g, '.')}@bookit>`,
        headers: { 'X-BookIT-Idempotency-Key': request.key },
      });
      await markEmailSent(sql, request.key, info.messageId);
      await forgetSecrets(request);
      log.info({ to: maskEmail(composed.to) }, 'email sent');
      return 'sent';
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (isPermanentRefusal(error)) {
        await recordEmailError(sql, request.key, message, true);
        log.warn({ to: maskEmail(composed.to), err: message }, 'email refused permanently; not retrying');
        throw ApplicationFailure.nonRetryable(`SMTP refused the recipient: ${message}`, 'EmailRefused');
      }
      await recordEmailError(sql, request.key, message, false);
      log.warn({ to: maskEmail(composed.to), err: message }, 'email attempt failed; Temporal retries it');
      throw error;
    }
  };
}

export function emailActivities(deps: ActivityDeps) {
  const { sql, logger } = deps;
  const send = emailSender(deps);
  return {
    /** One email, sent at most once per idempotency key (see emailSender). */
    async deliverEmail(request: EmailDeliveryRequest): Promise<EmailOutcome> {
      return send(request, Context.current().info.attempt);
    },

    /** After the last retry: the email log says failed, for operators. */
    async recordEmailFailure(key: string, template: string, reason: string): Promise<void> {
      await markEmailFailed(sql, { key, template, error: reason });
      // The password it carried will never arrive: nothing should keep it.
      if (template === 'welcome') await forgetWelcomePassword(sql, key);
      logger.error({ emailKey: key, kind: template, err: reason }, 'email failed after all retries');
    },
  };
}
