// The reduced fault drills (1 worker killed, 2 Temporal down, 5 bad input) as one test, so a
// regression in loss or authorization cannot land. The drill starts its own PostgreSQL, Temporal
// and MailDev with two API processes and two workers; it ignores the stack `npm test` provides.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { it } from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '..');
const TEN_MINUTES = 10 * 60_000;

it('the CI drills lose nothing, double nothing, and every route answers each caller as it should', { timeout: TEN_MINUTES }, async () => {
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
    // The drill's processes read their own settings; the test run's DATABASE_URL etc. must not leak in.
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(DATABASE_URL|TEMPORAL_ADDRESS|SMTP_URL|TEMPORAL_TASK_QUEUE|PORT)$/.test(name)));
    const child = spawn(process.execPath, ['--import', 'tsx', 'drill/run.ts', '--ci'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => { text += chunk.toString('utf8'); });
    child.stderr.on('data', (chunk: Buffer) => { text = (text + chunk.toString('utf8')).slice(-200_000); });
    const timer = setTimeout(() => child.kill('SIGTERM'), TEN_MINUTES - 15_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ code: status, output: text });
    });
  });
  assert.equal(code, 0, `drill/run.ts --ci failed:\n${output.slice(-8_000)}`);
});
