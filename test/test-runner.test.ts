// The runner that decides whether CI is green, run on small test files written for the purpose:
// real `node --test` processes, a real `sleep` left behind, real TAP reports. No stack needed.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { countTapTests } from '../scripts/dev/tap-counts';
import { failuresOf, runTestFiles, type TestFileOutcome, type TestFilePoolResult } from '../scripts/dev/test-file-pool';

const ROOT = path.resolve(import.meta.dirname, '..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'bookit-runner-'));
const sleepPidFile = path.join(dir, 'sleep.pid');
const FILE_LIMIT_MS = 5_000;

const FILES = {
  passes: `
    import assert from 'node:assert/strict';
    import { test } from 'node:test';
    test('adds up', () => assert.equal(1 + 1, 2));
  `,
  hangs: `
    import { spawn } from 'node:child_process';
    import { writeFileSync } from 'node:fs';
    import { test } from 'node:test';
    test('waits forever, leaving a process of its own', async () => {
      const child = spawn('sleep', ['600'], { stdio: 'ignore' });
      writeFileSync(${JSON.stringify(sleepPidFile)}, String(child.pid));
      await new Promise(() => setInterval(() => {}, 1_000));
    });
  `,
  'crashes-in-a-test': `
    import { test } from 'node:test';
    test('dies half-way', () => { process.kill(process.pid, 'SIGKILL'); });
  `,
  'throws-at-load': `
    throw new Error('a broken import, say');
  `,
  // The whole \`node --test\` process dies, so no report says anything failed.
  'kills-its-runner': `
    import { test } from 'node:test';
    test('takes the runner down', () => { process.kill(process.ppid, 'SIGKILL'); });
  `,
  'registers-no-test': `
    import { test } from 'node:test';
    // The tests were meant to be here.
    void test;
  `,
  'fails-in-a-subtest': `
    import assert from 'node:assert/strict';
    import { test } from 'node:test';
    test('outer', async (t) => {
      await t.test('inner passes', () => {});
      await t.test('inner fails', () => assert.equal(1, 2));
    });
    test('a sibling passes', () => {});
  `,
};
type Fixture = keyof typeof FILES;
const fileOf = (name: Fixture) => path.join(dir, `${name}.test.mjs`);

/** Runs the files through the pool as `npm test` does, each within FILE_LIMIT_MS. */
function runPool(names: Fixture[], nodeTestArgs: string[] = []): Promise<TestFilePoolResult> {
  const env = { ...process.env };
  // Inherited from the `node --test` running this file, it would make the inner one talk to a parent runner instead of writing TAP.
  delete env.NODE_TEST_CONTEXT;
  return runTestFiles(names.map(fileOf), {
    cwd: ROOT,
    env,
    concurrency: names.length,
    fileTimeoutMs: FILE_LIMIT_MS,
    runTimeoutMs: 60_000,
    testTimeoutMs: 60_000,
    nodeTestArgs,
    reportDir: dir,
    onFileStart: () => {},
    onFileDone: () => {},
  }).done;
}

/** Gone, or a zombie waiting for init: either way it no longer runs. */
function isRunning(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return false;
  const state = readFileSync(stat, 'utf8').replace(/^.*\) /s, '')[0];
  return state !== 'Z' && state !== 'X';
}

describe('the test runner that decides whether CI is green', () => {
  let result: TestFilePoolResult;
  const outcome = (name: Fixture): TestFileOutcome => {
    const found = result.outcomes.find((o) => o.file === fileOf(name));
    assert.ok(found, `${name} has an outcome`);
    return found;
  };

  before(async () => {
    for (const [name, source] of Object.entries(FILES)) writeFileSync(fileOf(name as Fixture), source);
    result = await runPool(Object.keys(FILES) as Fixture[]);
  });
  after(() => {
    if (existsSync(sleepPidFile)) {
      try {
        process.kill(Number(readFileSync(sleepPidFile, 'utf8')), 'SIGKILL');
      } catch {
        // Already gone, as it should be.
      }
    }
  });

  it('a file whose test passes passes, with nothing held against it', () => {
    assert.deepEqual(result.notRun, []);
    assert.equal(result.stoppedBecause, undefined);
    const passes = outcome('passes');
    assert.deepEqual(
      { passed: passes.passed, failed: failuresOf(passes), problem: passes.problem },
      { passed: 1, failed: 0, problem: undefined },
    );
  });

  it('a hung file is killed at its limit together with the process it started, and fails', async () => {
    const hangs = outcome('hangs');
    assert.match(hangs.problem ?? '', /^killed after 5 s$/);
    assert.ok(failuresOf(hangs) >= 1);
    assert.ok(
      hangs.seconds >= FILE_LIMIT_MS / 1000 && hangs.seconds < FILE_LIMIT_MS / 1000 + 10,
      `ended ${hangs.seconds} s after it started`,
    );
    assert.ok(existsSync(sleepPidFile), 'the hung file started its sleep before the limit');
    const pid = Number(readFileSync(sleepPidFile, 'utf8'));
    // SIGKILL is delivered at once; the short wait is for the kernel to finish tearing it down.
    for (let i = 0; i < 50 && isRunning(pid); i++) await sleep(100);
    assert.equal(
      isRunning(pid),
      false,
      `the sleep (pid ${pid}) the hung file started was killed with its process group`,
    );
  });

  it('a file that crashes inside a test fails', () => {
    assert.ok(failuresOf(outcome('crashes-in-a-test')) >= 1);
  });

  it('a file that throws while loading fails', () => {
    assert.ok(failuresOf(outcome('throws-at-load')) >= 1);
  });

  it('a file whose test runner dies without reporting a failure fails, saying how it ended', () => {
    const killed = outcome('kills-its-runner');
    assert.equal(killed.problem, 'ended by SIGKILL without a failed test');
    assert.equal(failuresOf(killed), 1);
  });

  it('a file that registers no test fails, and its stand-in is not counted as a pass', () => {
    const empty = outcome('registers-no-test');
    assert.equal(empty.problem, 'registered no test');
    assert.deepEqual({ passed: empty.passed, failed: failuresOf(empty) }, { passed: 0, failed: 1 });
  });

  it('a failure nested in a subtest is counted as a failure, as is the parent it failed', () => {
    const nested = outcome('fails-in-a-subtest');
    assert.deepEqual(
      { passed: nested.passed, failed: failuresOf(nested), problem: nested.problem },
      { passed: 2, failed: 2, problem: undefined },
    );
  });

  it('a report cut short after a nested failure (its file killed mid-way) still counts that failure', () => {
    const report = readdirSync(dir).find((name) => name.endsWith('-fails-in-a-subtest.test.mjs.tap'));
    assert.ok(report, 'the pool kept the TAP report of fails-in-a-subtest');
    const tap = readFileSync(path.join(dir, report), 'utf8');
    // Where a kill would leave it: the inner tests reported, the outer one and the totals never written.
    const cut = tap.slice(0, tap.indexOf('not ok 1 - outer'));
    assert.match(cut, /^ {4}not ok 2 - inner fails$/m);
    assert.doesNotMatch(cut, /^# fail/m);
    assert.deepEqual(countTapTests(cut), { passed: 1, failed: 1, skipped: 0 });
  });

  it('a file whose tests a name pattern leaves out is not taken for one that registered none', async () => {
    const filtered = await runPool(['passes'], ['--test-name-pattern=no test has this name']);
    const [passes] = filtered.outcomes;
    assert.deepEqual(
      { skipped: passes?.skipped, failed: passes && failuresOf(passes), problem: passes?.problem },
      { skipped: 1, failed: 0, problem: undefined },
    );
  });
});
