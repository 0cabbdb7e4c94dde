import type { Config } from '../config/config';
import type { Sql } from '../db/sql';
import type { Logger } from '../log/logger';
import type { Role, SigningKey } from '../auth/tokens';
import type { TemporalGateway } from '../temporal/client';

export interface AuthUser {
  id: number;
  email: string;
  fullName: string;
  role: Role;
}

export type AppEnv = { Variables: { user: AuthUser } };

/** Everything a router needs, passed down once from the entry point. */
export interface ApiDeps {
  config: Config;
  sql: Sql;
  logger: Logger;
  temporal: TemporalGateway;
  keys: { session: SigningKey; action: SigningKey };
}
