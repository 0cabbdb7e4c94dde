import { spawn } from 'node:child_process';
import path from 'node:path';

export interface StyleCheckResult {
  ok: boolean;
  /** Biome's report: each file it would format differently, and each lint rule broken. */
  output: string;
  seconds: number;
}

/**
 * Runs Biome as CI would (`biome ci`: the formatter's check and the linter, no writes) over the
 * files git tracks, with biome.json's settings. `npm run format` writes what it would change.
 */
export function styleCheck(root: string): Promise<StyleCheckResult> {
  const started = Date.now();
  const biome = path.join(root, 'node_modules', '.bin', 'biome');
  return new Promise((resolve) => {
    const child = spawn(biome, ['ci', '--colors=off', '.'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    const done = (ok: boolean, text: string) => resolve({ ok, output: text, seconds: (Date.now() - started) / 1000 });
    child.on('error', (error) => done(false, `could not start ${biome}: ${error.message}\n`));
    child.on('close', (code) => done(code === 0, Buffer.concat(output).toString('utf8')));
  });
}
