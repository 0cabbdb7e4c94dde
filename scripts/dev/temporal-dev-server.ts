import { spawn } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { SEARCH_ATTRIBUTE_TYPES } from '../../src/contracts/search-attributes';
import { waitForPort } from './free-port';

export interface RunningTemporal {
  address: string;
  uiUrl: string;
  stop(): Promise<void>;
}

/**
 * `temporal server start-dev` with the Web UI, a SQLite file so workflows survive a restart, and
 * BookIT's search attributes registered.
 */
export async function startTemporalDevServer(options: {
  cli: string;
  port: number;
  uiPort: number;
  namespace: string;
  dataDir: string;
}): Promise<RunningTemporal> {
  await mkdir(options.dataDir, { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--ui-port',
    String(options.uiPort),
    '--namespace',
    options.namespace,
    '--db-filename',
    path.join(options.dataDir, 'temporal.sqlite'),
    // WAL with normal sync survives a crash of the process (not of the machine) and makes each
    // workflow start several times cheaper than a full fsync per commit.
    '--sqlite-pragma',
    'journal_mode=wal',
    '--sqlite-pragma',
    'synchronous=normal',
    // Worker Versioning: a version taken out of service reports itself drained seconds after its last
    // pinned run closes, not after the server's default 3-minute grace and 3-minute refresh, so the
    // rollout drill and `npm run deploy -- wait-drained` see it on a dev server too.
    '--dynamic-config-value',
    'matching.wv.VersionDrainageStatusVisibilityGracePeriod="10s"',
    '--dynamic-config-value',
    'matching.wv.VersionDrainageStatusRefreshInterval="5s"',
    '--log-format',
    'json',
    '--log-level',
    'warn',
    ...Object.entries(SEARCH_ATTRIBUTE_TYPES).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
  ];
  const child = spawn(options.cli, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // 'close' comes after the last of stderr has been read ('exit' can come before it).
  const closed = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const failedEarly = closed.then((code) => {
    throw new Error(`temporal server start-dev exited (code ${code}): ${stderr.trim()}`);
  });
  await Promise.race([waitForPort(options.port, 60_000), failedEarly]);
  // The port accepts before the frontend is healthy ("Frontend is not healthy yet"): a client that
  // connects at once (a worker started right after a restart) would be refused.
  await Promise.race([untilFrontendHealthy(`127.0.0.1:${options.port}`, 60_000), failedEarly]);
  failedEarly.catch(() => {});
  return {
    address: `127.0.0.1:${options.port}`,
    uiUrl: `http://127.0.0.1:${options.uiPort}`,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Connects (which asks the frontend for its system info) until it answers, or fails after timeoutMs. */
export async function untilFrontendHealthy(address: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 5_000 });
      await connection.close();
      return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`Temporal at ${address} was not healthy within ${timeoutMs / 1000} s: ${String(error)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
