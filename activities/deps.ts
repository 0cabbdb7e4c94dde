import type { Transporter } from 'nodemailer';
import type { Config } from '../src/config/config';
import type { Sql } from '../src/db/sql';
import type { Logger } from '../src/log/logger';

/** What activities close over; tests pass real instances pointed at their own servers. */
export interface ActivityDeps {
  config: Config;
  sql: Sql;
  /** SMTP_URL's server: every email goes here first. */
  mailer: Transporter;
  /** SMTP_FALLBACK_URL's server, when configured: used when the primary certainly did not take an email (src/mail/smtp-relays.ts). */
  fallbackMailer?: Transporter;
  logger: Logger;
}
