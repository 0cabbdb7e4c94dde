// BookIT's own entry points (src/main/api.ts, src/main/worker.ts) as child processes, so a drill can
// kill -9 one and a benchmark can read a worker's RSS from /proc, as a small production would.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../../..');

export type PieceKind = 'api' | 'worker';

const ENTRY: Record<PieceKind, string> = { api: 'src/main/api.ts', worker: 'src/main/worker.ts' };

export interface Piece {
  readonly name: string;
  readonly kind: PieceKind;
  /** The API's base URL (api pieces only). */
  readonly url?: string;
  readonly pid: number | undefined;
  /** Starts (or restarts) the process and resolves once it serves. */
  start(): Promise<void>;
  /** SIGKILL: no shutdown hook runs, as when a machine dies. */
  kill9(): Promise<void>;
  /** SIGTERM and wait. */
  stop(): Promise<void>;
  /** Resident set size in bytes, read from /proc/<pid>/status. */
  rssBytes(): Promise<number>;
}

export interface PieceOptions {
  kind: PieceKind;
  name: string;
  env: Record<string, string>;
  logDir: string;
  port?: number;
  /** Another entry point than BookIT's own for the kind (a benchmark's bare worker); it must print "worker running" once up. */
  entry?: string;
  /** Node flags before the entry, e.g. `--max-old-space-size=256` or `--cpu-prof`. */
  nodeArgs?: string[];
}

export function createPiece(options: PieceOptions): Piece {
  const { kind, name, env, logDir, port, entry = ENTRY[kind], nodeArgs = [] } = options;
  const url = kind === 'api' ? `http://127.0.0.1:${port}` : undefined;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let starts = 0;

  async function waitUntilServing(output: { text: string }): Promise<void> {
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (!child || child.exitCode !== null)
        throw new Error(`${name} exited during start-up; see ${logDir}/${name}.log\n${output.text.slice(-2000)}`);
      if (kind === 'api') {
        const ok = await fetch(`${url}/healthz`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) return;
      } else if (/worker running/.test(output.text)) {
        return;
      }
      if (Date.now() > deadline) throw new Error(`${name} did not start within 120 s; see ${logDir}/${name}.log`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  return {
    name,
    kind,
    url,
    get pid() {
      return child?.pid;
    },
    async start() {
      starts++;
      const log = createWriteStream(path.join(logDir, `${name}.log`), { flags: 'a' });
      log.write(`--- start ${starts} at ${new Date().toISOString()}\n`);
      child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', entry], {
        cwd: ROOT,
        env: { ...process.env, ...env, ...(port ? { PORT: String(port) } : {}) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const output = { text: '' };
      const collect = (chunk: Buffer) => {
        log.write(chunk);
        if (output.text.length < 20_000) output.text += chunk.toString('utf8');
      };
      child.stdout!.on('data', collect);
      child.stderr!.on('data', collect);
      const current = child;
      exited = new Promise((resolve) =>
        current.once('exit', () => {
          log.end();
          resolve();
        }),
      );
      await waitUntilServing(output);
    },
    async kill9() {
      if (!child || child.exitCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child?.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
    async rssBytes() {
      if (!child?.pid) return 0;
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      return kb * 1024;
    },
  };
}
