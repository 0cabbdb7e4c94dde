import { spawn } from 'node:child_process';
import path from 'node:path';

export interface TypeCheckResult {
  ok: boolean;
  /** The compiler's own report for every project that failed, in the projects' order. */
  output: string;
  seconds: number;
}

/**
 * Type-checks the server (`tsconfig.json`: src, workflows, activities, tests, scripts, bench,
 * drills) and the web app (`web/tsconfig.json`, DOM types) side by side. tsx strips types without
 * reading them, so a type error would otherwise run, and pass, unnoticed.
 */
export async function typeCheck(root: string, projects: string[] = ['.', 'web']): Promise<TypeCheckResult> {
  const started = Date.now();
  const results = await Promise.all(projects.map((project) => runTsc(root, project)));
  const failed = results.filter((result) => !result.ok);
  return {
    ok: failed.length === 0,
    output: failed.map((result) => `tsc --noEmit -p ${result.project}\n${result.output}`).join('\n'),
    seconds: (Date.now() - started) / 1000,
  };
}

function runTsc(root: string, project: string): Promise<{ project: string; ok: boolean; output: string }> {
  const tsc = path.join(root, 'node_modules', '.bin', 'tsc');
  // Colours and source excerpts when a person is watching; plain lines in CI's log.
  const args = ['--noEmit', '-p', project, ...(process.stdout.isTTY ? ['--pretty'] : [])];
  return new Promise((resolve) => {
    const child = spawn(tsc, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    child.on('error', (error) => resolve({ project, ok: false, output: `could not start ${tsc}: ${error.message}\n` }));
    child.on('close', (code) => resolve({ project, ok: code === 0, output: Buffer.concat(output).toString('utf8') }));
  });
}
