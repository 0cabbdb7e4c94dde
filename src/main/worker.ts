// The worker process alone (production style): DATABASE_URL, TEMPORAL_ADDRESS and SMTP_URL point at running servers.
import { loadConfig } from '../config/config';
import { createSql } from '../db/sql';
import { createLogger } from '../log/logger';
import { createMailTransport } from '../mail/transport';
import { startWorker } from '../worker/worker';
import { runMain, stopOnSignal } from '../process/lifecycle';

runMain(async () => {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'bookit-worker', config.logFormat);
  if (!config.database.url) throw new Error('DATABASE_URL must be set for `npm run worker`');
  if (!config.mail.smtpUrl) throw new Error('SMTP_URL must be set for `npm run worker`');
  const sql = createSql(config.database.url, { max: config.database.workerPoolSize, applicationName: 'bookit-worker' });
  const mailer = createMailTransport(config.mail.smtpUrl);
  const fallbackMailer = config.mail.fallbackSmtpUrl ? createMailTransport(config.mail.fallbackSmtpUrl) : undefined;
  const worker = await startWorker(config, { config, sql, mailer, fallbackMailer, logger });
  logger.info(
    {
      taskQueue: config.temporal.taskQueue,
      smtpFallback: Boolean(fallbackMailer),
      deploymentVersion: worker.deploymentVersion ?? 'unversioned',
    },
    'worker running',
  );
  stopOnSignal(
    [() => sql.end({ timeout: 5 }), async () => mailer.close(), async () => fallbackMailer?.close(), worker.shutdown],
    (signal) => logger.info({ signal }, 'stopping'),
  );
  await worker.running;
});
