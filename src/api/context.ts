import type { Config } from '../config/config';
import type { Sql } from '../db/sql';
import type { Logger } from '../log/logger';
import type { SigningKey } from '../auth/tokens';
import type { ActingUser } from '../domain/acting-user';
import type { TemporalGateway } from '../temporal/client';

/**
 * The signed-in user is set by requireUser and read by the handlers as `c.var.user`; `tokenVersion`
 * is the version their token carried (the stream closes when it moves).
 */
export type AppEnv = { Variables: { user: ActingUser; tokenVersion: number } };

/** Everything a router needs, passed down once from the entry point. */
export interface ApiDeps {
  config: Config;
  sql: Sql;
  logger: Logger;
  temporal: TemporalGateway;
  keys: { session: SigningKey; action: SigningKey };
}
