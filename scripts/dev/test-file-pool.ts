import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { formatDuration } from '../../src/config/duration';
import { countTapTests, registeredNoTest, type TestCounts } from './tap-counts';

export interface TestFileOutcome extends TestCounts {
  file: string;
  seconds: number;
  /** Why the file failed beyond its failed tests: killed at a limit, exited non-zero without a failed test, or registered no test. */
  problem?: string;
}

export interface TestFilePoolOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Files run side by side; the machine's cores and the shared stack set it, not the file count. */
  concurrency: number;
  fileTimeoutMs: number;
  /** After this the run stops: running files are killed and the rest are not started. */
  runTimeoutMs: number;
  /** Inside a file, so one hung test fails there and the file's other tests still report. */
  testTimeoutMs: number;
  /** Extra `node --test` flags, such as --test-name-pattern. */
  nodeTestArgs: string[];
  /** Where each file's TAP report goes (the throwaway run directory). */
  reportDir: string;
  onFileStart(file: string): void;
  /** `output` is the file's spec report and anything it wrote, in the order written. */
  onFileDone(outcome: TestFileOutcome, output: string): void;
}

export interface TestFilePoolResult {
  outcomes: TestFileOutcome[];
  notRun: string[];
  /** Set when the run was cut short, by its own limit or by stop(). */
  stoppedBecause?: string;
}

export interface TestFilePool {
  done: Promise<TestFilePoolResult>;
  /** Kills every running file's process group and starts no more. Synchronous, so an exit handler can call it. */
  stop(reason: string): void;
}

interface RunningFile {
  kill(problem: string): void;
}

/**
 * Runs each test file in its own `node --test` process, a few at a time. Each process leads its
 * own process group, so killing the group at the file's limit also ends whatever the file started
 * (the Java time-skipping test server, a Temporal dev server, a stray `sleep`): nothing it leaves
 * behind can keep the run waiting.
 */
export function runTestFiles(files: string[], options: TestFilePoolOptions): TestFilePool {
  const queue = files.map((file, index) => ({ file, index }));
  const running = new Set<RunningFile>();
  const outcomes: TestFileOutcome[] = [];
  let stoppedBecause: string | undefined;
  let finish: (result: TestFilePoolResult) => void;
  const done = new Promise<TestFilePoolResult>((resolve) => {
    finish = resolve;
  });

  const stop = (reason: string) => {
    if (stoppedBecause) return;
    stoppedBecause = reason;
    for (const file of running) file.kill(`killed: ${reason}`);
  };
  const runLimit = setTimeout(
    () => stop(`the run reached its ${formatDuration(options.runTimeoutMs)} limit`),
    options.runTimeoutMs,
  );

  const startNext = () => {
    while (!stoppedBecause && running.size < options.concurrency && queue.length) {
      const { file, index } = queue.shift()!;
      options.onFileStart(file);
      const tapFile = path.join(options.reportDir, `${index}-${path.basename(file)}.tap`);
      const handle = runTestFile(file, tapFile, options, (outcome, output) => {
        running.delete(handle);
        outcomes.push(outcome);
        options.onFileDone(outcome, output);
        startNext();
      });
      running.add(handle);
    }
    if (running.size === 0 && (stoppedBecause || !queue.length)) {
      clearTimeout(runLimit);
      finish({ outcomes, notRun: queue.map(({ file }) => file), stoppedBecause });
    }
  };
  startNext();
  return { done, stop };
}

function runTestFile(
  file: string,
  tapFile: string,
  options: TestFilePoolOptions,
  onDone: (outcome: TestFileOutcome, output: string) => void,
): RunningFile {
  const started = Date.now();
  const args = [
    '--import',
    'tsx',
    '--test',
    `--test-timeout=${options.testTimeoutMs}`,
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tapFile}`,
    ...options.nodeTestArgs,
    file,
  ];
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk));

  let problem: string | undefined;
  const killGroup = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // ESRCH: the group has already ended.
    }
  };
  const kill = (why: string) => {
    problem ??= why;
    killGroup();
  };
  const fileLimit = setTimeout(
    () => kill(`killed after ${Math.round(options.fileTimeoutMs / 1000)} s`),
    options.fileTimeoutMs,
  );

  let exit = { code: null as number | null, signal: null as NodeJS.Signals | null };
  // A process the file left behind would hold our pipes open, and 'close' would never come: once
  // the file's own process exits, whatever remains of its group goes too.
  child.on('exit', (code, signal) => {
    exit = { code, signal };
    clearTimeout(fileLimit);
    killGroup();
  });
  child.on('error', (error) => {
    problem ??= `could not start: ${error.message}`;
    clearTimeout(fileLimit);
  });
  child.on('close', () => {
    void readFile(tapFile, 'utf8')
      .catch(() => '')
      .then((tap) => {
        let counts = countTapTests(tap);
        if (!problem && counts.failed === 0) {
          if (exit.code !== 0) {
            problem = exit.signal
              ? `ended by ${exit.signal} without a failed test`
              : `exited with code ${exit.code} without a failed test`;
          } else if (registeredNoTest(tap, path.resolve(options.cwd, file))) {
            // The stand-in "test" Node reports for such a file is not a test that passed.
            problem = 'registered no test';
            counts = { ...counts, passed: 0 };
          }
        }
        onDone(
          { file, ...counts, seconds: (Date.now() - started) / 1000, problem },
          Buffer.concat(output).toString('utf8'),
        );
      });
  });
  return { kill };
}

/**
 * What a file adds to the run's failed count. A file killed, crashed or empty counts one failure
 * more than it reported: the test that hung, or the load that broke, never reported one of its own.
 */
export const failuresOf = (outcome: TestFileOutcome): number => outcome.failed + (outcome.problem ? 1 : 0);
