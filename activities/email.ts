import { ApplicationFailure, Context } from '@temporalio/activity';
import { beginEmailAttempt, isEmailSent, markEmailFailed, markEmailSent, recordEmailError } from '../src/db/email-log';
import { maskEmail } from '../src/log/logger';
import type { EmailDeliveryRequest, EmailOutcome } from '../workflows/email-types';
import { deriveKey } from '../src/auth/tokens';
import { welcomePasswordKey } from '../src/auth/sealed-box';
import { forgetWelcomePassword } from '../src/users/welcome-password';
import { composeEmail } from './email-composer';
import type { ActivityDeps } from './deps';

/** SMTP answers that will not change on retry: the recipient or message is refused for good. */
function isPermanentRefusal(error: unknown): boolean {
  const { responseCode, command } = (error ?? {}) as { responseCode?: number; command?: string };
  return typeof responseCode === 'number' && responseCode >= 500 && responseCode < 600 && /RCPT/i.test(command ?? '');
}

/**
 * Sends one email at most once per idempotency key. Composition happens here, not in the workflow,
 * so generated passwords and signed links never enter workflow history. Throws a non-retryable
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
    if (await isEmailSent(sql, request.key)) {
      await forgetSecrets(request);
      return 'already_sent';
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
