import type { SendMailOptions, Transporter } from 'nodemailer';

/** Which SMTP server an email went through (or was refused by). */
export type SmtpServer = 'primary' | 'fallback';

/** The servers an email may go through: SMTP_URL, and SMTP_FALLBACK_URL when one is configured. */
export interface MailRelays {
  primary: Transporter;
  fallback?: Transporter;
}

/**
 * What a failed SMTP exchange says about the message:
 * - `bounced`: a 5xx answer to RCPT TO, DATA or the end of the data; the recipient or the message
 *   is refused for good, and asking again (or elsewhere) will not change it;
 * - `not_taken`: the server certainly does not have the message: no connection (refused,
 *   unreachable, no DNS answer, connect or greeting timeout, TLS, login), or a refusal answer (any
 *   4xx, or a 5xx about the server rather than the recipient: a 554 greeting, a 530 at MAIL FROM);
 * - `uncertain`: the connection broke or went silent after the message may have been handed over,
 *   so the server may have taken it and its answer was lost.
 */
export type SmtpFailureKind = 'bounced' | 'not_taken' | 'uncertain';

/** The parts of a nodemailer error that tell how far the exchange got. */
interface SmtpErrorFields {
  responseCode?: number;
  command?: string;
  code?: string;
  originalCode?: string;
  timeoutType?: string;
}

// System errors that happen only while connecting: nothing was ever sent.
const CONNECT_FAILURES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
// nodemailer's timeouts before the session starts; SOCKET_TIMEOUT (silence mid-session) is not one.
const SETUP_TIMEOUTS = new Set(['CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT']);
// nodemailer's own codes for failures before any mail command: bad TLS, login, envelope, or the API.
const BEFORE_THE_MESSAGE = new Set(['EDNS', 'ETLS', 'EAUTH', 'ENOAUTH', 'EENVELOPE', 'EREQUIRETLS', 'ECONFIG']);

export function classifySmtpFailure(error: unknown): SmtpFailureKind {
  const { responseCode, command, code, originalCode, timeoutType } = (error ?? {}) as SmtpErrorFields;
  if (typeof responseCode === 'number' && responseCode >= 400 && responseCode < 600) {
    // nodemailer names the end of the data 'DATA' too, so both count.
    if (responseCode >= 500 && /^(RCPT TO|DATA)$/i.test(command ?? '')) return 'bounced';
    // The server answered, and the answer was no: it does not have the message.
    return 'not_taken';
  }
  if (originalCode && CONNECT_FAILURES.has(originalCode)) return 'not_taken';
  if (code && CONNECT_FAILURES.has(code)) return 'not_taken';
  if (code === 'ETIMEDOUT' && timeoutType && SETUP_TIMEOUTS.has(timeoutType)) return 'not_taken';
  if (code && BEFORE_THE_MESSAGE.has(code)) return 'not_taken';
  if (command === 'API') return 'not_taken';
  return 'uncertain';
}

/** The email went out, or a server refused it for good; transient failures are thrown instead. */
export type RelayAnswer =
  | { outcome: 'sent'; via: SmtpServer; messageId: string }
  | { outcome: 'bounced'; via: SmtpServer; answer: string };

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
/** The server's own words ("550 No such mailbox here"), without nodemailer's preamble. */
const answerOf = (error: unknown) => {
  const { response } = (error ?? {}) as { response?: unknown };
  return typeof response === 'string' && response.trim() ? response.trim() : messageOf(error);
};

/**
 * Sends one message through the primary server, or through the fallback when the primary
 * certainly did not take it (`not_taken`: it refused connections, timed out before the greeting,
 * or answered 4xx). The fallback is tried at once, in the same attempt: a primary that is down
 * would refuse the retry too, and the email would wait out the backoff for nothing. An `uncertain`
 * primary failure (the connection lost after the data went out) is not sent elsewhere: the primary
 * may have the message, and a second server would make a second copy; it is thrown, so the
 * activity's retry asks the primary again. A 5xx about the recipient (`bounced`) is answered, not
 * thrown, from whichever server said it. Any other failure is thrown: the primary's own error when
 * the fallback was not tried (so callers see the SMTP answer unchanged), else one naming both.
 */
export async function sendThroughRelays(relays: MailRelays, message: SendMailOptions): Promise<RelayAnswer> {
  const attempt = async (via: SmtpServer, transport: Transporter): Promise<RelayAnswer> => {
    const info = (await transport.sendMail(message)) as { messageId: string };
    return { outcome: 'sent', via, messageId: info.messageId };
  };
  try {
    return await attempt('primary', relays.primary);
  } catch (primaryError) {
    const kind = classifySmtpFailure(primaryError);
    if (kind === 'bounced') return { outcome: 'bounced', via: 'primary', answer: answerOf(primaryError) };
    if (kind === 'uncertain' || !relays.fallback) throw primaryError;
    try {
      return await attempt('fallback', relays.fallback);
    } catch (fallbackError) {
      if (classifySmtpFailure(fallbackError) === 'bounced')
        return { outcome: 'bounced', via: 'fallback', answer: answerOf(fallbackError) };
      throw new Error(`primary: ${messageOf(primaryError)}; fallback: ${messageOf(fallbackError)}`, {
        cause: fallbackError,
      });
    }
  }
}
