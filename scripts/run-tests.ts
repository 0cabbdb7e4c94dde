// `npm test`: provisions a throwaway real stack (embedded PostgreSQL, the Temporal dev server,
// MailDev), fetches the time-skipping test server, bundles the workflows once, then runs every
// test file with Node's test runner against them. Extra arguments are passed to `node --test`
// (e.g. `npm test -- test/config.test.ts`).
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { loadConfig } from '../src/config/config';
import { migrate } from '../src/db/migrate';
import { createSql } from '../src/db/sql';
import { say } from '../src/dev/progress';
import { startDevStack } from '../src/dev/stack';
import { resolveTestServer } from '../src/dev/temporal-test-server';
import { WORKFLOWS_PATH } from '../src/temporal/worker';
import { TEMPLATE_DATABASE } from '../test/support/database';

const ROOT = path.resolve(import.meta.dirname, '..');
// Run alone, after the rest: it works around a time-skipping lock the Java test server leaks when an
// abandoned child workflow outlives its parent, and that workaround needs an unloaded machine.
const SERIAL_FILES = ['test/waitlist-offers.test.ts'];

async function main(): Promise<number> {
  const started = Date.now();
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  // The postgres OS user must reach the cluster, so it lives under the system temp dir.
  const runDir = await mkdtemp(path.join(os.tmpdir(), 'bookit-test-'));
  await chmod(runDir, 0o755);
  say(`test run: provisioning a throwaway stack under ${runDir}`);
  const [stack, testServer, bundle] = await Promise.all([
    startDevStack({ ...config, database: { ...config.database, url: undefined }, temporal: { ...config.temporal, address: undefined }, mail: { ...config.mail, smtpUrl: undefined } }, { throwaway: true, rootDir: runDir }),
    resolveTestServer(config.cacheDir),
    bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger }),
  ]);
  // Ctrl-C or a CI timeout still stops the tests, PostgreSQL, Temporal and MailDev.
  let child: ChildProcess | undefined;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      child?.kill('SIGKILL');
      void stack.stop().finally(() => process.exit(130));
    });
  }
  try {
    const bundlePath = path.join(runDir, 'workflow-bundle.js');
    await writeFile(bundlePath, bundle.code);
    await prepareTemplateDatabase(stack.databaseUrl);
    const mailWebPort = new URL(stack.mailInboxUrl!).port;
    say(`test run: stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s; running tests`);

    const files = process.argv.slice(2).length ? process.argv.slice(2) : await testFiles();
    const env = {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
      BOOKIT_DATA_DIR: runDir,
      DATABASE_URL: stack.databaseUrl,
      TEMPORAL_ADDRESS: stack.temporalAddress,
      SMTP_URL: stack.smtpUrl,
      MAILDEV_WEB_PORT: mailWebPort,
      TEMPORAL_WORKFLOW_BUNDLE: bundlePath,
      TEMPORAL_TEST_SERVER: testServer,
      TEMPORAL_CLI: config.temporal.cliPath ?? '',
    };
    const runNodeTest = (batch: string[], concurrency: number) =>
      new Promise<number>((resolve) => {
        child = spawn(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-timeout=300000', ...batch], { cwd: ROOT, stdio: 'inherit', env });
        child.on('close', (code) => resolve(code ?? 1));
      });
    const parallel = files.filter((file) => !SERIAL_FILES.some((serial) => file.endsWith(serial)));
    const serial = files.filter((file) => !parallel.includes(file));
    const first = parallel.length ? await runNodeTest(parallel, 2) : 0;
    const second = serial.length ? await runNodeTest(serial, 1) : 0;
    return first || second;
  } finally {
    await stack.stop();
    await rm(runDir, { recursive: true, force: true });
  }
}

/** Every test file gets its own database cloned from this migrated template (fast, isolated). */
async function prepareTemplateDatabase(url: string): Promise<void> {
  const admin = createSql(url, { max: 1 });
  await admin.unsafe(`create database ${TEMPLATE_DATABASE}`);
  await admin.end();
  const template = createSql(withDatabase(url, TEMPLATE_DATABASE), { max: 1 });
  await migrate(template);
  await template.end();
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function testFiles(): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(path.join(ROOT, 'test'), { recursive: true })) {
    if (entry.endsWith('.test.ts')) found.push(path.join('test', entry));
  }
  return found.sort();
}

const quietLogger = { trace() {}, debug() {}, info() {}, warn() {}, error: (message: string) => say(message), log() {} };

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
