import { Context } from '@temporalio/activity';
import { beginEmailAttempt, findEmailBounce, markEmailBounced, markEmailDeferred, markEmailFailed, markEmailSent, markEmailSuppressed, settledEmailStatus } from '../src/db/email-log';
import { maskEmail } from '../src/log/logger';
import { sendThroughRelays } from '../src/mail/smtp-relays';
import type { EmailDeliveryRequest, EmailOutcome } from '../workflows/email-types';
import { deriveKey } from '../src/auth/tokens';
import { welcomePasswordKey } from '../src/auth/sealed-box';
import { forgetWelcomePassword } from '../src/users/welcome-password';
import type { Invitation } from '../src/calendar/booking-calendar';
import { decideEmail } from './delivery-preferences';
import { composeEmail } from './email-composer';
import type { ActivityDeps } from './deps';

/** SMTP answers quote the recipient; logs carry addresses masked. */
const maskAddresses = (text: string) => text.replace(/[^\s<>@:;,]+@[^\s<>@:;,]+/g, (address) => maskEmail(address));

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
 * Sends one email at most once per idempotency key, across the primary and the fallback server,
 * unless it is held back: by the recipient's preferences, or because their address bounced; then
 * the email log says `suppressed` with the reason, and the key never sends. A permanent refusal
 * (5xx to RCPT TO, DATA or the end of the data) is answered `bounced`, not thrown, so it is never
 * retried, and puts the address on the suppression list. Composition happens here, not in the
 * workflow, so generated passwords, signed links and the calendar invitation never enter workflow
 * history. Throws the transport's error for a transient failure (the row says `deferred`).
 */
export function emailSender(deps: ActivityDeps): (request: EmailDeliveryRequest, attempt: number) => Promise<EmailOutcome> {
  const { sql, mailer, fallbackMailer, logger, config } = deps;
  const relays = { primary: mailer, fallback: fallbackMailer };
  // Derived once per worker, not per email: link tokens are signed, welcome passwords sealed with them.
  const keys = { action: deriveKey(config.auth.jwtSecret, 'action'), welcomePassword: welcomePasswordKey(config.auth.jwtSecret) };
  // A welcome's password waits sealed only until its email is sent or settled otherwise: wiped then,
  // and again by any later attempt, in case the worker died in between.
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
    if (settled === 'bounced') {
      await forgetSecrets(request);
      return 'bounced';
    }
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
    // Checked against the address the composer just read, the current one: setting an address anew
    // lifts its bounce. (Only a welcome's composing leaves anything behind, its password: wiped here.)
    const bounce = await findEmailBounce(sql, composed.to);
    if (bounce) {
      await markEmailSuppressed(sql, { key: request.key, template: request.email.kind, recipient: composed.to, reason: `the address bounced: ${bounce.reason}` });
      await forgetSecrets(request);
      log.info({ to: maskEmail(composed.to) }, 'email held back: the address bounced before; logged suppressed');
      return 'suppressed';
    }
    await beginEmailAttempt(sql, { key: request.key, template: request.email.kind, recipient: composed.to, subject: composed.subject });
    let answer: Awaited<ReturnType<typeof sendThroughRelays>>;
    try {
      answer = await sendThroughRelays(relays, {
        from: config.mail.from,
        to: composed.to,
        subject: composed.subject,
        html: composed.html,
        text: composed.text,
        ...calendarParts(composed.invitation),
        // The same on every attempt and either server: a copy that did get through twice is one message to the reader's client.
        messageId: `<${request.key.replace(/[^A-Za-z0-9.-]/g, '.')}@bookit>`,
        headers: { 'X-BookIT-Idempotency-Key': request.key },
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await markEmailDeferred(sql, request.key, message);
      log.warn({ to: maskEmail(composed.to), err: maskAddresses(message) }, 'email attempt failed; logged deferred, Temporal retries it');
      throw error;
    }
    if (answer.outcome === 'bounced') {
      await markEmailBounced(sql, { key: request.key, answer: answer.answer, via: answer.via });
      // The password it carried will never arrive: nothing should keep it.
      await forgetSecrets(request);
      log.warn({ to: maskEmail(composed.to), via: answer.via, answer: maskAddresses(answer.answer) }, 'email bounced; not retried, and the address gets no more email until it changes');
      return 'bounced';
    }
    await markEmailSent(sql, request.key, answer.messageId, answer.via);
    await forgetSecrets(request);
    log.info({ to: maskEmail(composed.to), via: answer.via }, 'email sent');
    return 'sent';
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
