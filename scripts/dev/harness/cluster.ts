// A small production on one machine: one PostgreSQL, one Temporal dev server, MailDev, and any
// number of API and worker processes. Each server can be stopped and started again on the same port
// and data, which is what the fault drills (and the benchmarks) need.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { loadConfig } from '../../../src/config/config';
import { createSql, type Sql } from '../../../src/db/sql';
import { startEmbeddedPostgres, type RunningPostgres } from '../embedded-postgres';
import { freePort } from '../free-port';
import { startMailDev, type RunningMailDev } from '../maildev';
import { say } from '../progress';
import { resolveTemporalCli } from '../temporal-cli';
import { startTemporalDevServer, type RunningTemporal } from '../temporal-dev-server';
import { WORKFLOWS_PATH } from '../../../src/worker/worker';
import { createPiece, type Piece } from './processes';

export interface ClusterOptions {
  apis: number;
  workers: number;
  /** Extra environment for every API and worker (compressed lifecycles, cache sizes ...). */
  env?: Record<string, string>;
  /** Node flags for every API or every worker process (a heap limit, `--cpu-prof`). */
  nodeArgs?: Partial<Record<'api' | 'worker', string[]>>;
  label: string;
}

export interface Cluster {
  rootDir: string;
  databaseUrl: string;
  temporalAddress: string;
  temporalNamespace: string;
  smtpUrl: string;
  mailWebUrl: string;
  jwtSecret: string;
  admin: { email: string; password: string };
  /** A pool for the harness itself (fixtures, counting). */
  sql: Sql;
  apis: Piece[];
  workers: Piece[];
  /** Every API and worker process of the cluster, those added later too. */
  allPieces(): Piece[];
  stopTemporal(): Promise<void>;
  startTemporal(): Promise<void>;
  stopPostgres(): Promise<void>;
  startPostgres(): Promise<void>;
  stopMail(): Promise<void>;
  startMail(): Promise<void>;
  /** A worker or API with the cluster's settings plus `env`, not yet started; `entry` runs another program in its place. */
  addPiece(
    kind: 'api' | 'worker',
    name: string,
    env?: Record<string, string>,
    program?: { entry?: string; nodeArgs?: string[] },
  ): Promise<Piece>;
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

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  // The postgres OS user must reach the cluster (see scripts/run-tests.ts), so it lives under the temp dir.
  const rootDir = await mkdtemp(path.join(os.tmpdir(), `bookit-${options.label}-`));
  await chmod(rootDir, 0o755);
  const logDir = path.join(rootDir, 'logs');
  await mkdir(logDir, { recursive: true });
  say(`${options.label}: starting PostgreSQL, Temporal and MailDev under ${rootDir}`);

  const [pgPort, temporalPort, uiPort, smtpPort, webPort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const cli = await resolveTemporalCli({ explicitPath: config.temporal.cliPath, cacheDir: config.cacheDir });
  let postgres: RunningPostgres | undefined;
  let temporal: RunningTemporal | undefined;
  let mail: RunningMailDev | undefined;
  const startPostgres = async () => {
    postgres = await startEmbeddedPostgres({ dataDir: path.join(rootDir, 'pg'), port: pgPort });
  };
  const startTemporal = async () => {
    temporal = await startTemporalDevServer({
      cli,
      port: temporalPort,
      uiPort,
      namespace: config.temporal.namespace,
      dataDir: path.join(rootDir, 'temporal'),
    });
  };
  const startMail = async () => {
    mail = await startMailDev({ smtpPort, webPort, mailDirectory: path.join(rootDir, 'mail') });
  };
  const [bundle] = await Promise.all([
    bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger }),
    startPostgres(),
    startTemporal(),
    startMail(),
  ]);
  const bundlePath = path.join(rootDir, 'workflow-bundle.js');
  await writeFile(bundlePath, bundle.code);

  const jwtSecret = randomBytes(36).toString('base64url');
  const admin = { email: 'drill-admin@bookit.test', password: `pw-${randomBytes(12).toString('base64url')}` };
  const baseEnv: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    BOOKIT_DATA_DIR: rootDir,
    DATABASE_URL: postgres!.url,
    DATABASE_POOL_SIZE: '20',
    TEMPORAL_ADDRESS: temporal!.address,
    SMTP_URL: mail!.smtpUrl,
    MAILDEV_WEB_PORT: String(webPort),
    TEMPORAL_WORKFLOW_BUNDLE: bundlePath,
    JWT_SECRET: jwtSecret,
    BOOKIT_ADMIN_EMAIL: admin.email,
    BOOKIT_ADMIN_PASSWORD: admin.password,
    ...options.env,
  };
  const sql = createSql(postgres!.url, { max: 20 });
  const pieces: Piece[] = [];
  const addPiece: Cluster['addPiece'] = async (
    kind,
    name,
    env = {},
    { entry, nodeArgs = options.nodeArgs?.[kind] } = {},
  ) => {
    const piece = createPiece({
      kind,
      name,
      env: { ...baseEnv, ...env },
      logDir,
      port: kind === 'api' ? await freePort() : undefined,
      entry,
      nodeArgs,
    });
    pieces.push(piece);
    return piece;
  };

  const cluster: Cluster = {
    rootDir,
    databaseUrl: postgres!.url,
    temporalAddress: temporal!.address,
    temporalNamespace: config.temporal.namespace,
    smtpUrl: mail!.smtpUrl,
    mailWebUrl: `http://127.0.0.1:${webPort}`,
    jwtSecret,
    admin,
    sql,
    apis: [],
    workers: [],
    allPieces: () => [...pieces],
    stopTemporal: async () => temporal?.stop(),
    startTemporal,
    stopPostgres: async () => postgres?.stop(),
    startPostgres,
    stopMail: async () => mail?.stop(),
    startMail,
    addPiece,
    // Once: Ctrl-C and the run's own `finally` both call it, and two interleaved shutdowns let the
    // process exit while the Temporal dev server was still stopping, leaving it running.
    stop() {
      stopping ??= stopEverything();
      return stopping;
    },
  };
  let stopping: Promise<void> | undefined;
  async function stopEverything(): Promise<void> {
    for (const piece of [...pieces].reverse()) await piece.stop().catch(() => {});
    await sql.end({ timeout: 2 }).catch(() => {});
    for (const stopOne of [mail?.stop, temporal?.stop, postgres?.stop]) await stopOne?.().catch(() => {});
    if (!process.env.BOOKIT_KEEP_RUN_DIR) await rm(rootDir, { recursive: true, force: true });
    else say(`${options.label}: kept ${rootDir}`);
  }

  try {
    // The first API migrates and creates the super admin; the rest start side by side.
    for (let i = 0; i < options.apis; i++) cluster.apis.push(await addPiece('api', `api-${i + 1}`));
    for (let i = 0; i < options.workers; i++) cluster.workers.push(await addPiece('worker', `worker-${i + 1}`));
    if (cluster.apis[0]) await cluster.apis[0].start();
    await Promise.all([...cluster.apis.slice(1), ...cluster.workers].map((piece) => piece.start()));
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  say(`${options.label}: ${options.apis} API and ${options.workers} worker processes running`);
  return cluster;
}

/** Stops the cluster on Ctrl-C too, so no server outlives the run. */
export function stopOnInterrupt(cluster: Cluster): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void cluster.stop().finally(() => process.exit(130)));
  }
}
