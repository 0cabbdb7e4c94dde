import path from 'node:path';
import type { Config } from '../../src/config/config';
import { startEmbeddedPostgres } from './embedded-postgres';
import { freePort } from './free-port';
import { startMailDev } from './maildev';
import { say } from './progress';
import { resolveTemporalCli } from './temporal-cli';
import { startTemporalDevServer } from './temporal-dev-server';

export interface DevStack {
  databaseUrl: string;
  temporalAddress: string;
  smtpUrl: string;
  /** Only for pieces this stack started itself. */
  temporalUiUrl?: string;
  mailInboxUrl?: string;
  stop(): Promise<void>;
}

interface StackOptions {
  /** Test runs: a throwaway cluster and Temporal database, random ports. */
  throwaway?: boolean;
  rootDir: string;
}

/**
 * Starts what the configuration does not point at: embedded PostgreSQL, the Temporal dev server
 * with its Web UI, MailDev. Whatever DATABASE_URL, TEMPORAL_ADDRESS or SMTP_URL names is used as is.
 */
export async function startDevStack(config: Config, { throwaway = false, rootDir }: StackOptions): Promise<DevStack> {
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const stopOne of stops.reverse()) await stopOne().catch((error) => say(`stop failed: ${String(error)}`));
  };
  try {
    const [database, temporal, mail] = await Promise.all([
      config.database.url
        ? { url: config.database.url }
        : startEmbeddedPostgres({ dataDir: path.join(rootDir, 'pg'), throwaway }).then((pg) => {
            stops.push(pg.stop);
            return pg;
          }),
      config.temporal.address
        ? { address: config.temporal.address, uiUrl: undefined }
        : resolveTemporalCli({ explicitPath: config.temporal.cliPath, cacheDir: config.cacheDir }).then(async (cli) => {
            const server = await startTemporalDevServer({
              cli,
              port: throwaway ? await freePort() : 7233,
              uiPort: throwaway ? await freePort() : config.temporal.uiPort,
              namespace: config.temporal.namespace,
              dataDir: path.join(rootDir, 'temporal'),
            });
            stops.push(server.stop);
            return server;
          }),
      config.mail.smtpUrl
        ? { smtpUrl: config.mail.smtpUrl, webUrl: undefined }
        : (async () => {
            const maildev = await startMailDev({
              smtpPort: throwaway ? await freePort() : config.mail.devSmtpPort,
              webPort: throwaway ? await freePort() : config.mail.devWebPort,
              mailDirectory: path.join(rootDir, 'mail'),
            });
            stops.push(maildev.stop);
            return maildev;
          })(),
    ]);
    return {
      databaseUrl: database.url,
      temporalAddress: temporal.address,
      smtpUrl: mail.smtpUrl,
      temporalUiUrl: temporal.uiUrl,
      mailInboxUrl: mail.webUrl,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
