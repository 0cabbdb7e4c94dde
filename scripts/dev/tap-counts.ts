export interface TestCounts {
  passed: number;
  /** Failed and cancelled (timed out, or never ran because a parent failed). */
  failed: number;
  /** Skipped and todo. */
  skipped: number;
}

const TEST_POINT = /^\s*(not ok|ok) \d+ - (.*)$/;
const DIRECTIVE = /(?<!\\)# (SKIP|TODO)\b/i;
const TOTAL = /^# (pass|fail|cancelled|skipped|todo) (\d+)$/;

/**
 * Counts the tests in a `node --test` TAP report. A complete report ends with the runner's own
 * totals; one cut short (its file killed at a time limit) is counted from the test points it
 * reached, leaving out suites (describe blocks), which the totals do not count either.
 */
export function countTapTests(tap: string): TestCounts {
  const lines = tap.split('\n');
  const totals = new Map<string, number>();
  for (const line of lines) {
    const total = TOTAL.exec(line);
    if (total) totals.set(total[1]!, Number(total[2]));
  }
  if (totals.has('pass') && totals.has('fail')) {
    const get = (name: string) => totals.get(name) ?? 0;
    return { passed: get('pass'), failed: get('fail') + get('cancelled'), skipped: get('skipped') + get('todo') };
  }

  const counts: TestCounts = { passed: 0, failed: 0, skipped: 0 };
  let pending: { outcome: keyof TestCounts; suite: boolean } | undefined;
  const settle = () => {
    if (pending && !pending.suite) counts[pending.outcome]++;
    pending = undefined;
  };
  for (const line of lines) {
    const point = TEST_POINT.exec(line);
    if (point) {
      settle();
      const outcome = DIRECTIVE.test(point[2]!) ? 'skipped' : point[1] === 'ok' ? 'passed' : 'failed';
      pending = { outcome, suite: false };
    } else if (pending && line.trim() === "type: 'suite'") {
      pending.suite = true;
    } else if (pending && line.trim() === '...') {
      settle();
    }
  }
  settle();
  return counts;
}

/**
 * Whether a report holds no test of the file's own. Node 20 stands a file that registered none in
 * as one passing test named by its absolute path (later versions report `# tests 0`), so a file
 * whose tests were never registered (a forgotten `test(...)`, an exit before reaching them) would
 * otherwise pass and prove nothing.
 */
export function registeredNoTest(tap: string, absoluteFile: string): boolean {
  return tap.split('\n').every((line) => {
    const point = TEST_POINT.exec(line);
    return !point || point[2]!.trim() === absoluteFile;
  });
}
