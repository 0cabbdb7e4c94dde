import type { Transporter } from 'nodemailer';
import type { Config } from '../src/config/config';
import type { Sql } from '../src/db/sql';
import type { Logger } from '../src/log/logger';

/** What activities close over; tests pass real instances pointed at their own servers. */
export interface ActivityDeps {
  config: Config;
  sql: Sql;
  mailer: Transporter;
  logger: Logger;
}
