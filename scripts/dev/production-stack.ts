// BookIT in the shape of a small production, on one machine: PostgreSQL, a Temporal cluster of two
// server processes behind one address, its Web UI, MailDev, two API processes behind one HTTP
// address and two workers. `npm run cluster` runs it on fixed ports; drill 6 on free ones.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { Config } from '../../src/config/config';
import { WORKFLOWS_PATH } from '../../src/worker/worker';
import { startApiProxy, type ApiProxy } from './api-proxy';
import { startEmbeddedPostgres } from './embedded-postgres';
import { freePort } from './free-port';
import { createPiece, type Piece } from './harness/processes';
import { startMailDev } from './maildev';
import { say } from './progress';
import { startTemporalCluster, type TemporalCluster } from './temporal-cluster';
import { resolveTemporalServer, resolveTemporalUi } from './temporal-server-build';

export interface ProductionStackOptions {
  config: Config;
  /** Holds the embedded PostgreSQL cluster (kept between runs) when DATABASE_URL is unset. */
  dataDir: string;
  /** This run's generated configs, workflow bundle and logs. */
  runDir: string;
  ports: { http: number; temporal: number; temporalUi?: number; smtp: number; mailWeb: number };
  apis: number;
  workers: number;
  temporalNodes: number;
  /** Extra environment for every API and worker (a drill's short lifecycle timings). */
  env?: Record<string, string>;
}

export interface ProductionStack {
  url: string;
  databaseUrl: string;
  smtpUrl: string;
  mailWebUrl?: string;
  /** Absent when TEMPORAL_ADDRESS pointed at a Temporal of its own. */
  temporal?: TemporalCluster;
  temporalAddress: string;
  proxy: ApiProxy;
  apis: Piece[];
  workers: Piece[];
  logDir: string;
  stop(): Promise<void>;
}

const quietLogger = {
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error: (message: string) => say(message),
  log() {},
};

/** Starts what DATABASE_URL, TEMPORAL_ADDRESS and SMTP_URL do not point at, then the BookIT processes. */
export async function startProductionStack(options: ProductionStackOptions): Promise<ProductionStack> {
  const { config, runDir } = options;
  const logDir = path.join(runDir, 'logs');
  const stops: Array<() => Promise<void>> = [];
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      for (const stopOne of [...stops].reverse())
        await stopOne().catch((error) => say(`stop failed: ${String(error)}`));
    })();
    return stopping;
  };
  try {
    // The first run builds the Temporal server (minutes): before anything starts, so Ctrl-C meanwhile leaves nothing running.
    if (!config.temporal.address) {
      await resolveTemporalServer(config.cacheDir);
      if (options.ports.temporalUi) await resolveTemporalUi(config.cacheDir);
    }
    const bundling = bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger });
    let databaseUrl = config.database.url;
    if (!databaseUrl) {
      const pg = await startEmbeddedPostgres({ dataDir: path.join(options.dataDir, 'pg') });
      stops.push(pg.stop);
      databaseUrl = pg.url;
    }
    let smtpUrl = config.mail.smtpUrl;
    let mailWebUrl: string | undefined;
    if (!smtpUrl) {
      const mail = await startMailDev({
        smtpPort: options.ports.smtp,
        webPort: options.ports.mailWeb,
        mailDirectory: path.join(runDir, 'mail'),
      });
      stops.push(mail.stop);
      smtpUrl = mail.smtpUrl;
      mailWebUrl = mail.webUrl;
    }
    let temporal: TemporalCluster | undefined;
    if (!config.temporal.address) {
      say(`starting a Temporal cluster of ${options.temporalNodes} server processes on PostgreSQL`);
      temporal = await startTemporalCluster({
        databaseUrl,
        nodes: options.temporalNodes,
        runDir,
        cacheDir: config.cacheDir,
        namespace: config.temporal.namespace,
        port: options.ports.temporal,
        uiPort: options.ports.temporalUi,
      });
      stops.push(temporal.stop);
    }
    const temporalAddress = config.temporal.address ?? temporal!.address;

    const bundlePath = path.join(runDir, 'workflow-bundle.js');
    await writeFile(bundlePath, (await bundling).code);
    const env: Record<string, string> = {
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      SMTP_URL: smtpUrl,
      TEMPORAL_WORKFLOW_BUNDLE: bundlePath,
      BOOKIT_DATA_DIR: config.dataDir,
      // One secret for every API process, so a token one signed is good at the other.
      JWT_SECRET: config.auth.jwtSecret,
      PUBLIC_BASE_URL: config.http.publicBaseUrl,
      ...options.env,
    };
    const apis: Piece[] = [];
    const workers: Piece[] = [];
    for (let i = 0; i < options.apis; i++) {
      const port = await freePort();
      apis.push(createPiece({ kind: 'api', name: `api-${i + 1}`, env, logDir, port }));
    }
    for (let i = 0; i < options.workers; i++)
      workers.push(createPiece({ kind: 'worker', name: `worker-${i + 1}`, env, logDir }));
    stops.push(async () => {
      for (const piece of [...apis, ...workers].reverse()) await piece.stop().catch(() => {});
    });
    // The first API migrates the database (and creates the super admin); the rest start beside each other.
    say(`starting ${options.apis} API and ${options.workers} worker processes (logs in ${logDir})`);
    if (apis[0]) await apis[0].start();
    await Promise.all([...apis.slice(1), ...workers].map((piece) => piece.start()));

    const proxy = await startApiProxy({
      port: options.ports.http,
      host: config.http.host,
      backends: apis.map((api) => ({ name: api.name, url: api.url! })),
    });
    stops.push(proxy.close);
    return {
      url: proxy.url,
      databaseUrl,
      smtpUrl,
      mailWebUrl,
      temporal,
      temporalAddress,
      proxy,
      apis,
      workers,
      logDir,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
