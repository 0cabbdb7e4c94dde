// The API process alone (production style): DATABASE_URL and TEMPORAL_ADDRESS point at running servers.
import { loadConfig } from '../config/config';
import { createSql } from '../db/sql';
import { createLogger } from '../log/logger';
import { createTemporalGateway } from '../temporal/client';
import { temporalConnectionOptions } from '../temporal/connection-options';
import { startOutboxRelay } from '../temporal/outbox-relay';
import { reconcileInBackground } from '../temporal/reconcile';
import { apiDeps, startApiServer } from '../api/server';
import { prepareDatabase } from '../db/prepare-database';
import { runMain, stopOnSignal } from '../process/lifecycle';

runMain(async () => {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'bookit-api', config.logFormat);
  if (!config.database.url)
    throw new Error('DATABASE_URL must be set for `npm run api` (use `npm start` for the embedded stack)');
  const sql = createSql(config.database.url, { max: config.database.poolSize });
  await prepareDatabase(config, sql, logger);
  const temporal = createTemporalGateway({
    ...temporalConnectionOptions(config.temporal),
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
  });
  const relay = startOutboxRelay({ sql, temporal, logger });
  reconcileInBackground({ sql, temporal, config, logger });
  const server = await startApiServer(apiDeps(config, sql, logger, temporal));
  logger.info({ url: server.url }, 'API listening');
  stopOnSignal([() => sql.end({ timeout: 5 }), () => temporal.close(), relay.stop, server.close], (signal) =>
    logger.info({ signal }, 'stopping'),
  );
});
