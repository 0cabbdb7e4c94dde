import type { Transporter } from 'nodemailer';
import { signActionToken } from '../auth/action-tokens';
import { welcomePasswordKey } from '../auth/sealed-box';
import { deriveKey } from '../auth/tokens';
import type { Invitation } from '../calendar/booking-calendar';
import type { Config } from '../config/config';
import {
  beginEmailAttempt,
  findEmailBounce,
  markEmailBounced,
  markEmailDeferred,
  markEmailSent,
  markEmailSuppressed,
  settledEmailStatus,
} from './email-log';
import type { Sql } from '../db/sql';
import { maskEmail, type Logger } from '../log/logger';
import { renderEmail, type EmailContent } from '../mail/render';
import { sendThroughRelays } from '../mail/smtp-relays';
import { decide } from '../preferences/decide';
import { forgetWelcomePassword, welcomePasswordFor } from '../users/welcome-password';
import type { EmailSecrets, NoticeMessage } from './kind';
import type { EmailOutcome } from '../contracts/notice';

/** What the notices room works with; the worker's activities pass theirs. */
export interface NoticeDeps {
  config: Config;
  sql: Sql;
  /** SMTP_URL's server: every email goes here first. */
  mailer: Transporter;
  /** SMTP_FALLBACK_URL's server, when configured: used when the primary certainly did not take an email (src/mail/smtp-relays.ts). */
  fallbackMailer?: Transporter;
  logger: Logger;
}

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

/** A message with an email, as the sender takes it. */
export type EmailMessage = NoticeMessage & { email: NonNullable<NoticeMessage['email']> };

/**
 * Sends a message's email at most once per key, across the primary and the fallback server,
 * unless it is held back: by the recipient's preferences, or because their address bounced (both
 * decided before anything is composed, so a held-back email makes no link token or password);
 * then the email log says `suppressed` with the reason, and the key never sends. A permanent
 * refusal (5xx) is answered `bounced`, not thrown, so it is never retried, and suppresses the
 * address until it changes. Throws the transport's error for a transient failure (`deferred`).
 */
export function emailSender(deps: NoticeDeps): (message: EmailMessage, attempt: number) => Promise<EmailOutcome> {
  const { sql, mailer, fallbackMailer, logger, config } = deps;
  const relays = { primary: mailer, fallback: fallbackMailer };
  // Derived once per worker, not per email: link tokens are signed, welcome passwords sealed with them.
  const actionKey = deriveKey(config.auth.jwtSecret, 'action');
  const sealingKey = welcomePasswordKey(config.auth.jwtSecret);
  const secrets: EmailSecrets = {
    actionUrl: async (action, targetId, userId, expiresAt, scheduleVersion) =>
      `${config.http.publicBaseUrl}/actions/${await signActionToken(actionKey, { action, targetId, userId, scheduleVersion }, expiresAt)}`,
    welcomePassword: (userId, emailKey) =>
      welcomePasswordFor({ sql, sealingKey, passwordHashCost: config.auth.passwordHashCost }, userId, emailKey),
  };

  return async (message, attempt) => {
    const { key, recipient, email } = message;
    const template = email.template;
    const log = logger.child({ emailKey: key, kind: template, attempt });
    // A welcome's password waits sealed only until its email is settled: wiped then, and again by
    // any later attempt, in case the worker died in between.
    const settle = async <T extends EmailOutcome>(outcome: T): Promise<T> => {
      if (template === 'welcome') await forgetWelcomePassword(sql, key);
      return outcome;
    };
    const held = async (reason: string) => {
      await markEmailSuppressed(sql, { key, template, recipient: recipient.email, reason });
      return settle('suppressed');
    };

    const settled = await settledEmailStatus(sql, key);
    if (settled === 'sent') return settle('already_sent');
    if (settled === 'suppressed' || settled === 'bounced') return settle(settled);
    if (message.preference) {
      const decision = await decide(sql, recipient.id, message.preference.type, 'email', {
        venueId: message.preference.venueId,
      });
      if (!decision.send) {
        log.info({ reason: decision.reason }, "email held back by the recipient's preferences; logged suppressed");
        return held(decision.reason);
      }
    }
    const bounce = await findEmailBounce(sql, recipient.email);
    if (bounce) {
      log.info({ to: maskEmail(recipient.email) }, 'email held back: the address bounced before; logged suppressed');
      return held(`the address bounced: ${bounce.reason}`);
    }
    const draft = await email.compose(secrets, key);
    if (!draft) {
      log.info('email no longer applies; nothing sent');
      return settle('already_sent');
    }
    const rendered = renderEmail({ kind: template, ...draft.content } as EmailContent);
    await beginEmailAttempt(sql, { key, template, recipient: recipient.email, subject: rendered.subject });
    let answer: Awaited<ReturnType<typeof sendThroughRelays>>;
    try {
      answer = await sendThroughRelays(relays, {
        from: config.mail.from,
        to: recipient.email,
        ...rendered,
        ...calendarParts(draft.invitation),
        // The same on every attempt and either server: a copy that did get through twice is one message to the reader's client.
        messageId: `<${key.replace(/[^A-Za-z0-9.-]/g, '.')}@bookit>`,
        headers: { 'X-BookIT-Idempotency-Key': key },
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      await markEmailDeferred(sql, key, reason);
      log.warn(
        { to: maskEmail(recipient.email), err: maskAddresses(reason) },
        'email attempt failed; logged deferred, Temporal retries it',
      );
      throw error;
    }
    if (answer.outcome === 'bounced') {
      await markEmailBounced(sql, { key, answer: answer.answer, via: answer.via });
      log.warn(
        { to: maskEmail(recipient.email), via: answer.via, answer: maskAddresses(answer.answer) },
        'email bounced; not retried, and the address gets no more email until it changes',
      );
      return settle('bounced');
    }
    await markEmailSent(sql, key, answer.messageId, answer.via);
    log.info({ to: maskEmail(recipient.email), via: answer.via }, 'email sent');
    return settle('sent');
  };
}
