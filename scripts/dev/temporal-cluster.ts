// A real Temporal cluster on one machine: N server processes (each running the frontend, history,
// matching and worker services) on PostgreSQL, finding each other through the cluster_membership
// table, behind one TCP address (tcp-balancer.ts), with the Web UI's own server in front of it.
// What `npm run cluster` and drill 6 run instead of the single-process dev server.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import postgres from 'postgres';
import { SEARCH_ATTRIBUTE_TYPES } from '../../src/contracts/search-attributes';
import { freePort, waitForPort } from './free-port';
import { say } from './progress';
import { startTcpBalancer, type TcpBalancer } from './tcp-balancer';
import { untilFrontendHealthy } from './temporal-dev-server';
import { resolveTemporalServer, resolveTemporalUi, type TemporalServerBinaries } from './temporal-server-build';

/**
 * Fixed when the cluster's databases are first set up and never changeable afterwards (a server
 * configured with another number logs a warning and keeps the stored one, since every workflow's
 * shard follows from it): it caps how far history work spreads over hosts. 16 lets two to eight
 * history hosts share the work evenly; a bigger production would pick 512 or more up front.
 */
export const NUM_HISTORY_SHARDS = 16;
export const TEMPORAL_DATABASE = 'temporal';
export const TEMPORAL_VISIBILITY_DATABASE = 'temporal_visibility';
const SERVICES = ['frontend', 'history', 'matching', 'worker'] as const;

export interface TemporalNode {
  readonly name: string;
  /** The node's own frontend, host:port. */
  readonly frontendAddress: string;
  /** Host:port of its history service: the owner a shard records. */
  readonly historyAddress: string;
  readonly pid: number | undefined;
  readonly logFile: string;
  /** Starts (or restarts) the process and resolves once its frontend answers. */
  start(): Promise<void>;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

export interface TemporalCluster {
  /** The one address clients use (the balancer in front of every frontend). */
  address: string;
  namespace: string;
  nodes: TemporalNode[];
  balancer: TcpBalancer;
  uiUrl?: string;
  /** Node name → history shards it owns now, read from the shards table. */
  shardOwners(): Promise<Map<string, number>>;
  /** Node name → services of it that heartbeat in cluster_membership within the last 20 s. */
  liveMembers(): Promise<Map<string, string[]>>;
  stop(): Promise<void>;
}

export interface TemporalClusterOptions {
  databaseUrl: string;
  nodes: number;
  /** Where configs and logs are written. */
  runDir: string;
  cacheDir: string;
  namespace: string;
  /** Port of the one client address. */
  port: number;
  /** Start the Web UI on this port (omit for none). */
  uiPort?: number;
}

export async function startTemporalCluster(options: TemporalClusterOptions): Promise<TemporalCluster> {
  const binaries = await resolveTemporalServer(options.cacheDir);
  const uiBinary = options.uiPort ? await resolveTemporalUi(options.cacheDir) : undefined;
  await setUpTemporalDatabases(binaries, options.databaseUrl);

  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const stopOne of [...stops].reverse()) await stopOne().catch((error) => say(`stop failed: ${String(error)}`));
  };
  try {
    const nodes: TemporalNode[] = [];
    const ports: NodePorts[] = [];
    for (let i = 0; i < options.nodes; i++) ports.push(await nodePorts());
    for (let i = 0; i < options.nodes; i++) {
      const node = await createNode({ ...options, name: `temporal-${i + 1}`, ports: ports[i]!, binaries });
      nodes.push(node);
      stops.push(node.stop);
    }
    const balancer = await startTcpBalancer({
      port: options.port,
      backends: nodes.map((node, i) => ({ name: node.name, port: ports[i]!.frontend.grpc })),
    });
    stops.push(balancer.close);

    // The first node alone registers what is missing; a node caches search attributes and
    // namespaces for up to a minute, so after a first registration it starts afresh and the
    // others start after it, every cache cold and right.
    await nodes[0]!.start();
    if (await registerNamespace(balancer.address, options.namespace)) {
      say('Temporal cluster: registered the namespace and search attributes; restarting the first node to load them');
      await nodes[0]!.stop();
      await nodes[0]!.start();
    }
    await Promise.all(nodes.slice(1).map((node) => node.start()));

    let uiUrl: string | undefined;
    if (uiBinary && options.uiPort) {
      const ui = await startTemporalUi({
        binary: uiBinary,
        port: options.uiPort,
        temporalAddress: balancer.address,
        namespace: options.namespace,
        runDir: options.runDir,
      });
      stops.push(ui.stop);
      uiUrl = ui.url;
    }

    const nodeByHistory = new Map(nodes.map((node) => [node.historyAddress, node.name]));
    const temporalSql = () =>
      postgres(withDatabase(options.databaseUrl, TEMPORAL_DATABASE), { max: 1, onnotice: () => {} });
    return {
      address: balancer.address,
      namespace: options.namespace,
      nodes,
      balancer,
      uiUrl,
      async shardOwners() {
        const sql = temporalSql();
        try {
          const rows = await sql<{ data: Buffer }[]>`select data from shards`;
          const owners = new Map<string, number>();
          for (const { data } of rows) {
            // The shard's owner is a host:port string inside its ShardInfo blob.
            const owner = /127\.0\.0\.1:\d+/.exec(data.toString('latin1'))?.[0];
            const name = (owner && nodeByHistory.get(owner)) ?? `other (${owner ?? 'none'})`;
            owners.set(name, (owners.get(name) ?? 0) + 1);
          }
          return owners;
        } finally {
          await sql.end({ timeout: 2 });
        }
      },
      async liveMembers() {
        const sql = temporalSql();
        try {
          const rows = await sql<{ rpc_port: number; role: number }[]>`
            select rpc_port, role from cluster_membership where last_heartbeat > now() at time zone 'utc' - interval '20 seconds'`;
          const members = new Map<string, string[]>();
          for (const row of rows) {
            const i = ports.findIndex((p) => SERVICES.some((service) => p[service].membership === row.rpc_port));
            if (i < 0) continue;
            const service = SERVICES.find((s) => ports[i]![s].membership === row.rpc_port)!;
            const name = nodes[i]!.name;
            members.set(name, [...(members.get(name) ?? []), service]);
          }
          return members;
        } finally {
          await sql.end({ timeout: 2 });
        }
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Creates the two databases when missing and brings their schemas to the newest version, with the
 * SQL tool built beside the server (its schemas are embedded in it). Safe to run at every start.
 */
export async function setUpTemporalDatabases(binaries: TemporalServerBinaries, databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  let existing: Set<string>;
  try {
    existing = new Set((await sql<{ datname: string }[]>`select datname from pg_database`).map((row) => row.datname));
  } finally {
    await sql.end({ timeout: 2 });
  }
  const base = [
    '--plugin',
    'postgres12',
    '--endpoint',
    url.hostname,
    '--port',
    url.port || '5432',
    '--user',
    decodeURIComponent(url.username),
    ...(['require', 'verify-ca', 'verify-full'].includes(url.searchParams.get('sslmode') ?? '') ? ['--tls'] : []),
  ];
  // The password travels in the environment, not on a command line every `ps` shows.
  const env = { ...process.env, SQL_PASSWORD: decodeURIComponent(url.password) };
  const run = (database: string, args: string[]) => {
    const result = spawnSync(binaries.sql, [...base, '--database', database, ...args], { env, encoding: 'utf8' });
    if (result.status !== 0)
      throw new Error(`temporal sql tool ${args.join(' ')} on ${database} failed:\n${result.stdout}${result.stderr}`);
  };
  for (const [database, schema] of [
    [TEMPORAL_DATABASE, 'postgresql/v12/temporal'],
    [TEMPORAL_VISIBILITY_DATABASE, 'postgresql/v12/visibility'],
  ] as const) {
    if (!existing.has(database)) {
      say(`Temporal cluster: creating database ${database} and its schema`);
      run(database, ['create']);
      run(database, ['setup-schema', '-v', '0.0']);
    }
    run(database, ['update-schema', '--schema-name', schema]);
  }
}

interface NodePorts {
  frontend: { grpc: number; membership: number; http: number };
  history: { grpc: number; membership: number };
  matching: { grpc: number; membership: number };
  worker: { grpc: number; membership: number };
}

async function nodePorts(): Promise<NodePorts> {
  const pair = async () => ({ grpc: await freePort(), membership: await freePort() });
  return {
    frontend: { ...(await pair()), http: await freePort() },
    history: await pair(),
    matching: await pair(),
    worker: await pair(),
  };
}

async function createNode(options: {
  name: string;
  ports: NodePorts;
  binaries: TemporalServerBinaries;
  databaseUrl: string;
  runDir: string;
  port: number;
}): Promise<TemporalNode> {
  const nodeDir = path.join(options.runDir, options.name);
  await mkdir(path.join(nodeDir, 'config'), { recursive: true });
  await writeFile(path.join(nodeDir, 'config', 'bookit.yaml'), serverConfig(options), { mode: 0o600 });
  await writeFile(path.join(nodeDir, 'config', 'dynamicconfig.yaml'), DYNAMIC_CONFIG);
  const logFile = path.join(options.runDir, 'logs', `${options.name}.log`);
  await mkdir(path.dirname(logFile), { recursive: true });
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let starts = 0;
  const frontendAddress = `127.0.0.1:${options.ports.frontend.grpc}`;

  return {
    name: options.name,
    frontendAddress,
    historyAddress: `127.0.0.1:${options.ports.history.grpc}`,
    logFile,
    get pid() {
      return child?.pid;
    },
    async start() {
      starts++;
      const log = createWriteStream(logFile, { flags: 'a' });
      log.write(`--- start ${starts} at ${new Date().toISOString()}\n`);
      const current = spawn(
        options.binaries.server,
        ['--root', nodeDir, '--config', 'config', '--env', 'bookit', '--allow-no-auth', 'start'],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      child = current;
      let tail = '';
      const collect = (chunk: Buffer) => {
        log.write(chunk);
        tail = (tail + chunk.toString('utf8')).slice(-4000);
      };
      current.stdout!.on('data', collect);
      current.stderr!.on('data', collect);
      const closed = new Promise<number | null>((resolve) => current.once('close', (code) => resolve(code)));
      exited = closed.then(() => {
        log.end();
      });
      const failedEarly = closed.then((code) => {
        throw new Error(`${options.name} exited during start-up (code ${code}); see ${logFile}\n${tail.trim()}`);
      });
      failedEarly.catch(() => {});
      await Promise.race([waitForPort(options.ports.frontend.grpc, 120_000), failedEarly]);
      await Promise.race([untilFrontendHealthy(frontendAddress, 120_000), failedEarly]);
    },
    async kill9() {
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child?.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The node's server config: its own ports, the shared databases, membership by broadcast address. */
function serverConfig({
  ports,
  databaseUrl,
  runDir,
  name,
  port,
}: {
  ports: NodePorts;
  databaseUrl: string;
  runDir: string;
  name: string;
  port: number;
}): string {
  const url = new URL(databaseUrl);
  const tls = ['require', 'verify-ca', 'verify-full'].includes(url.searchParams.get('sslmode') ?? '');
  const store = (database: string, maxConns: number) => `
      sql:
        pluginName: postgres12
        databaseName: ${database}
        connectAddr: ${JSON.stringify(`${url.hostname}:${url.port || '5432'}`)}
        connectProtocol: tcp
        user: ${JSON.stringify(decodeURIComponent(url.username))}
        password: ${JSON.stringify(decodeURIComponent(url.password))}
        maxConns: ${maxConns}
        maxIdleConns: ${maxConns}
        maxConnLifetime: 1h${
          tls
            ? `
        tls:
          enabled: true
          enableHostVerification: ${url.searchParams.get('sslmode') === 'verify-full'}`
            : ''
        }`;
  const service = (which: (typeof SERVICES)[number]) => {
    const p = ports[which];
    return `
  ${which}:
    rpc:
      grpcPort: ${p.grpc}
      membershipPort: ${p.membership}
      bindOnLocalHost: true${'http' in p ? `\n      httpPort: ${p.http}` : ''}`;
  };
  return `# ${name} of BookIT's Temporal cluster, written by scripts/dev/temporal-cluster.ts at every start.
log:
  stdout: true
  level: info
  format: json

persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  # Can never change once the databases exist.
  numHistoryShards: ${NUM_HISTORY_SHARDS}
  datastores:
    postgres-default:${store(TEMPORAL_DATABASE, 10)}
    postgres-visibility:${store(TEMPORAL_VISIBILITY_DATABASE, 3)}

global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: "127.0.0.1"

services:${SERVICES.map(service).join('')}

clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: "127.0.0.1:${port}"

dcRedirectionPolicy:
  policy: noop

dynamicConfigClient:
  filepath: ${JSON.stringify(path.join(runDir, name, 'config', 'dynamicconfig.yaml'))}
  pollInterval: 10s
`;
}

// Defaults, written down so an operator sees where to change them.
const DYNAMIC_CONFIG = `# Temporal dynamic config for BookIT's cluster (re-read every 10 s).
# The frontend's per-instance limit on visibility queries; the Web UI lists through them.
frontend.namespaceRPS.visibility:
  - value: 100
`;

/**
 * Registers the namespace (7 days' retention of closed workflows) and BookIT's search attributes
 * where missing; true when it registered anything.
 */
async function registerNamespace(address: string, namespace: string): Promise<boolean> {
  const connection = await Connection.connect({ address });
  try {
    let registered = false;
    const described = await connection.workflowService.describeNamespace({ namespace }).then(
      () => true,
      () => false,
    );
    if (!described) {
      await connection.workflowService.registerNamespace({
        namespace,
        workflowExecutionRetentionPeriod: msToTs('7 days'),
      });
      registered = true;
    }
    const types = { Keyword: 2, Int: 3, Datetime: 6 } as const; // temporal.api.enums.v1.IndexedValueType
    // The namespace takes a moment to reach every cache: retry until it is known.
    for (let attempt = 0; ; attempt++) {
      try {
        const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
        const missing = Object.entries(SEARCH_ATTRIBUTE_TYPES).filter(([name]) => !(name in (customAttributes ?? {})));
        if (missing.length) {
          await connection.operatorService.addSearchAttributes({
            namespace,
            searchAttributes: Object.fromEntries(missing.map(([name, type]) => [name, types[type]])),
          });
          registered = true;
        }
        return registered;
      } catch (error) {
        if (attempt >= 60) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  } finally {
    await connection.close();
  }
}

async function startTemporalUi(options: {
  binary: string;
  port: number;
  temporalAddress: string;
  namespace: string;
  runDir: string;
}): Promise<{ url: string; stop(): Promise<void> }> {
  const root = path.join(options.runDir, 'temporal-ui');
  await mkdir(path.join(root, 'config'), { recursive: true });
  await writeFile(
    path.join(root, 'config', 'bookit.yaml'),
    `temporalGrpcAddress: ${options.temporalAddress}
host: 127.0.0.1
port: ${options.port}
enableUi: true
defaultNamespace: ${options.namespace}
`,
  );
  const log = createWriteStream(path.join(options.runDir, 'logs', 'temporal-ui.log'), { flags: 'a' });
  const child = spawn(options.binary, ['--root', root, '--config', 'config', '--env', 'bookit', 'start'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const failedEarly = exited.then(() => {
    throw new Error(`the Temporal Web UI server exited during start-up; see ${options.runDir}/logs/temporal-ui.log`);
  });
  failedEarly.catch(() => {});
  await Promise.race([waitForPort(options.port, 30_000), failedEarly]);
  return {
    url: `http://127.0.0.1:${options.port}`,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The same server and credentials, another database. */
function withDatabase(databaseUrl: string, database: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
