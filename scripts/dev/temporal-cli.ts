import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { goInstall } from './go-install';
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
  say(
    'Temporal CLI: a first build downloads and compiles the server and Web UI, which takes several minutes; later starts reuse it',
  );
  await goInstall({
    label: 'Temporal CLI',
    packages: [`${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`],
    binDir,
    expect: [cached],
  });
  say(`Temporal CLI: built ${cached}`);
  return cached;
}
