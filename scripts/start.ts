// `npm start`: the whole stack on one machine. Starts embedded PostgreSQL, the Temporal dev server
// (with its Web UI) and MailDev unless DATABASE_URL, TEMPORAL_ADDRESS or SMTP_URL point elsewhere,
// then the worker and the API in this process.
import { loadConfig, type Config } from '../src/config/config';
import { createSql } from '../src/db/sql';
import { say } from './dev/progress';
import { startDevStack } from './dev/stack';
import { createLogger } from '../src/log/logger';
import { createMailTransport } from '../src/mail/transport';
import { createTemporalGateway } from '../src/temporal/client';
import { temporalConnectionOptions } from '../src/temporal/connection-options';
import { startOutboxRelay } from '../src/temporal/outbox-relay';
import { reconcileInBackground } from '../src/temporal/reconcile';
import { startWorker } from '../src/worker/worker';
import { apiDeps, startApiServer } from '../src/api/server';
import { prepareDatabase } from '../src/db/prepare-database';
import { runMain, stopOnSignal } from '../src/process/lifecycle';
import { buildWebApp } from '../web/build';

runMain(async () => {
  const started = Date.now();
  const baseConfig = loadConfig();
  const logger = createLogger(baseConfig.logLevel, 'bookit', baseConfig.logFormat);
  // npm ci built it already; building again (about a second) serves any edit made since.
  await buildWebApp();
  say('starting the embedded stack (PostgreSQL, Temporal dev server, MailDev) where no external one is configured');
  const stack = await startDevStack(baseConfig, { rootDir: baseConfig.dataDir });
  const stops: Array<() => Promise<void>> = [stack.stop];
  stopOnSignal(stops, (signal) => say(`${signal}: stopping everything`));

  const config: Config = {
    ...baseConfig,
    database: { ...baseConfig.database, url: stack.databaseUrl },
    temporal: { ...baseConfig.temporal, address: stack.temporalAddress },
    mail: { ...baseConfig.mail, smtpUrl: stack.smtpUrl },
  };
  const sql = createSql(stack.databaseUrl, { max: config.database.poolSize });
  stops.push(() => sql.end({ timeout: 5 }));
  await prepareDatabase(config, sql, logger);

  const mailer = createMailTransport(stack.smtpUrl);
  stops.push(async () => mailer.close());
  const fallbackMailer = config.mail.fallbackSmtpUrl ? createMailTransport(config.mail.fallbackSmtpUrl) : undefined;
  if (fallbackMailer) stops.push(async () => fallbackMailer.close());
  // A pool of the worker's own: a burst of API requests must not hold back a reminder or an offer.
  const workerSql = createSql(stack.databaseUrl, {
    max: config.database.workerPoolSize,
    applicationName: 'bookit-worker',
  });
  stops.push(() => workerSql.end({ timeout: 5 }));
  const worker = await startWorker(config, { config, sql: workerSql, mailer, fallbackMailer, logger });
  stops.push(worker.shutdown);

  const temporal = createTemporalGateway({
    ...temporalConnectionOptions(config.temporal),
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
  });
  stops.push(() => temporal.close());
  const relay = startOutboxRelay({ sql, temporal, logger });
  reconcileInBackground({ sql, temporal, config, logger });
  stops.push(relay.stop);
  const api = await startApiServer(apiDeps(config, sql, logger, temporal));
  stops.push(api.close);

  const rows: Array<[string, string]> = [
    ['Web app', `${api.url}/`],
    ['API', `${api.url}/api`],
    ['API docs', `${api.url}/docs`],
    ['OpenAPI', `${api.url}/openapi.json`],
    ['Temporal', stack.temporalAddress],
    ['Temporal Web UI', stack.temporalUiUrl ?? '(external Temporal: its own UI)'],
    ['Mail inbox', stack.mailInboxUrl ?? '(external SMTP)'],
    ['PostgreSQL', redactPassword(stack.databaseUrl)],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  process.stdout.write(
    `\nBookIT is running (ready in ${((Date.now() - started) / 1000).toFixed(1)} s). Ctrl-C stops everything.\n\n`,
  );
  for (const [name, where] of rows) process.stdout.write(`  ${name.padEnd(width)}  ${where}\n`);
  process.stdout.write('\n');
});

function redactPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
