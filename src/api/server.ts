import { serve, type ServerType } from '@hono/node-server';
import { createApp } from './app';
import type { ApiDeps } from './context';
import { deriveKey } from '../auth/tokens';
import type { Config } from '../config/config';
import type { Sql } from '../db/sql';
import type { Logger } from '../log/logger';
import type { TemporalGateway } from '../temporal/client';

export interface ApiServer {
  url: string;
  deps: ApiDeps;
  /** The Node server underneath (its connections, for operators and tests). */
  node: ServerType;
  close(): Promise<void>;
}

export function apiDeps(config: Config, sql: Sql, logger: Logger, temporal: TemporalGateway): ApiDeps {
  return {
    config,
    sql,
    logger,
    temporal,
    keys: { session: deriveKey(config.auth.jwtSecret, 'session'), action: deriveKey(config.auth.jwtSecret, 'action') },
  };
}

/** Serves the API on config.http; port 0 picks a free one (tests). */
export async function startApiServer(deps: ApiDeps): Promise<ApiServer> {
  const app = createApp(deps);
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: deps.config.http.host, port: deps.config.http.port }, () =>
      resolve(s),
    );
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : deps.config.http.port;
  return {
    url: `http://${deps.config.http.host}:${port}`,
    deps,
    node: server,
    close: () =>
      new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
