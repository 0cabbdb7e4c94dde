import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { say } from './progress';

/**
 * `go install` of `packages` (each `module/path@version`) with GOBIN=binDir, printing a progress line
 * every 15 s; resolves once every binary in `expect` exists. A first build downloads the module
 * graph into Go's module cache and compiles it, which takes minutes; callers skip this when cached.
 */
export async function goInstall({
  label,
  packages,
  binDir,
  expect,
}: {
  label: string;
  packages: string[];
  binDir: string;
  expect: string[];
}): Promise<void> {
  if (spawnSync('go', ['version']).status !== 0) {
    throw new Error(
      `${label}: Go is needed to build ${packages.join(' ')} (install it from https://go.dev/dl), and was not found on PATH`,
    );
  }
  say(`${label}: building ${packages.join(' ')} with go install into ${binDir}`);
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const build = spawn('go', ['install', '-x', ...packages], {
      env: { ...process.env, GOBIN: binDir, GOFLAGS: '-buildvcs=false' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let steps = 0;
    let lastLines: string[] = [];
    let lastReport = Date.now();
    build.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) {
        if (line.startsWith('go: ')) lastLines = [...lastLines.slice(-20), line];
        if (line.startsWith('# ') || line.includes('/compile ')) steps++;
      }
      if (Date.now() - lastReport > 15_000) {
        lastReport = Date.now();
        say(`${label}: still building (${Math.round((Date.now() - started) / 1000)} s, ${steps} compile steps so far)`);
      }
    });
    build.on('error', reject);
    build.on('close', (code) => {
      if (code === 0 && expect.every((binary) => existsSync(binary))) return resolve();
      reject(new Error(`go install ${packages.join(' ')} failed (exit ${code}):\n${lastLines.join('\n')}`));
    });
  });
  say(`${label}: built in ${Math.round((Date.now() - started) / 1000)} s`);
}
