import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { say } from './progress';

export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';
// v1.5.1 is the newest release whose go.mod has no `replace` directive (which `go install` refuses);
// it embeds Temporal server 1.29.1 and the Web UI.
export const TEMPORAL_CLI_VERSION = 'v1.5.1';

/**
 * Finds the Temporal CLI: TEMPORAL_CLI, then `temporal` on PATH, then our cached build, else builds
 * it with `go install` into the cache (a first build takes several minutes).
 */
export async function resolveTemporalCli({
  explicitPath,
  cacheDir,
}: {
  explicitPath?: string;
  cacheDir: string;
}): Promise<string> {
  if (explicitPath) {
    if (!existsSync(explicitPath)) throw new Error(`TEMPORAL_CLI points at ${explicitPath}, which does not exist`);
    return explicitPath;
  }
  const onPath = spawnSync('sh', ['-c', 'command -v temporal'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return onPath;
  const binDir = path.join(cacheDir, `temporal-cli-${TEMPORAL_CLI_VERSION}`);
  const cached = path.join(binDir, 'temporal');
  if (existsSync(cached)) return cached;

  if (spawnSync('go', ['version']).status !== 0) {
    throw new Error(
      'The Temporal CLI was not found and Go is not installed to build it. Install Go (https://go.dev/dl), ' +
        'or install the Temporal CLI and put `temporal` on PATH, or set TEMPORAL_CLI, or set TEMPORAL_ADDRESS to a running server.',
    );
  }
  say(`Temporal CLI: building ${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION} with go install into ${binDir}`);
  say(
    'Temporal CLI: a first build downloads and compiles the server and Web UI, which takes several minutes; later starts reuse it',
  );
  await new Promise<void>((resolve, reject) => {
    const build = spawn('go', ['install', '-x', `${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`], {
      env: { ...process.env, GOBIN: binDir, GOFLAGS: '-buildvcs=false' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let packages = 0;
    let lastLines: string[] = [];
    let lastReport = Date.now();
    build.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) {
        if (line.startsWith('go: downloading') || line.startsWith('go: ')) lastLines = [...lastLines.slice(-20), line];
        if (line.startsWith('# ') || line.includes('/compile ')) packages++;
      }
      if (Date.now() - lastReport > 15_000) {
        lastReport = Date.now();
        say(`Temporal CLI: still building (${packages} compile steps so far)`);
      }
    });
    build.on('error', reject);
    build.on('close', (code) => {
      if (code === 0 && existsSync(cached)) return resolve();
      reject(
        new Error(
          `go install ${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION} failed (exit ${code}):\n${lastLines.join('\n')}`,
        ),
      );
    });
  });
  say(`Temporal CLI: built ${cached}`);
  return cached;
}
