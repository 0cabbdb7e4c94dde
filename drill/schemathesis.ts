// Drill 5a: schemathesis fuzzes every operation in /openapi.json as a signed-in member: no 5xx, and
// every response matches its documented schema. A fuzz that could not be installed, did not run,
// or tested no operation with no test case is a failed drill, never a skipped one.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Cluster } from '../scripts/dev/harness/cluster';
import { createUsers, withTokens } from '../scripts/dev/harness/fixtures';
import type { DrillReport } from './report';
import { provisionSchemathesis, SCHEMATHESIS_VERSION } from './schemathesis-install';

/** The parts of schemathesis's JSON run report (`--report json`) the drill counts. */
interface RunReport {
  complete: boolean;
  stop_reason: string;
  operations: {
    total: number;
    selected: number;
    tested: number;
    errored: number;
    skipped: number;
    skip_reasons: Record<string, string[]>;
  } | null;
  test_cases: { generated: number; with_failures: number; errored: number };
  errors: Array<{ title: string; count: number }>;
}

export async function runSchemathesis(
  cluster: Cluster,
  report: DrillReport,
  { maxExamples, maxSeconds }: { maxExamples: number; maxSeconds: number },
): Promise<void> {
  const provisioned = await provisionSchemathesis((line) => report.did(line));
  if ('problem' in provisioned) {
    report.expect(
      false,
      `schemathesis ${SCHEMATHESIS_VERSION} could not be installed, so nothing was fuzzed: ${provisioned.problem}`,
    );
    return;
  }
  const [member] = await withTokens(cluster.jwtSecret, await createUsers(cluster.sql, 1, 'member', 'drill5-fuzz'));
  const api = cluster.apis[0]!.url!;
  const runReportPath = path.join(cluster.rootDir, 'schemathesis-run.json');
  const args = [
    'run',
    `${api}/openapi.json`,
    '--url',
    api,
    '-H',
    `Authorization: Bearer ${member!.token}`,
    '--checks',
    'not_a_server_error,response_schema_conformance',
    '--max-examples',
    String(maxExamples),
    '--max-time',
    String(maxSeconds),
    '--phases',
    'examples,coverage,fuzzing',
    // The event stream never ends; it is exercised by the benchmarks instead.
    '--exclude-path',
    '/api/notifications/stream',
    // Signs the fuzzing member out everywhere, after which every later case would be a bare 401;
    // the authorization matrix covers it.
    '--exclude-path',
    '/api/auth/logout',
    // Two worker threads crashed CPython 3.11 inside schemathesis ("SystemError: AST constructor
    // recursion depth mismatch" while compiling a schema strategy): one thread avoids it.
    '--workers',
    '1',
    '--generation-database',
    'none',
    '--request-timeout',
    '10',
    '--no-color',
    '--seed',
    '7',
    // What was tested is counted from this, not read off the terminal output.
    '--report',
    'json',
    '--report-json-path',
    runReportPath,
  ];
  report.did(
    `schemathesis ${args.slice(1, 4).join(' ')} as a signed-in member, checks not_a_server_error + response_schema_conformance, ≤ ${maxExamples} examples per operation`,
  );
  const { code, output } = await new Promise<{ code: number | string | null; output: string }>((resolve) => {
    const child = spawn(provisioned.executable, args, {
      env: { ...process.env, SCHEMATHESIS_HOOKS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
    });
    child.on('error', (error) => resolve({ code: error.message, output: text }));
    child.on('close', (status, signal) => resolve({ code: status ?? signal, output: text }));
  });
  const summary = output
    .split('\n')
    .filter((line) => /passed|failed|error|Summary|operations|test cases|Server error|schema/i.test(line))
    .slice(-25);
  for (const line of summary) report.did(`  ${line.trim()}`);
  if (code !== 0) process.stderr.write(`${output.slice(-12_000)}\n`);
  report.expect(
    code === 0,
    `schemathesis found no server error and no response outside the documented schema (exit ${code})`,
  );

  const run = await readFile(runReportPath, 'utf8').then(
    (text) => JSON.parse(text) as RunReport,
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
  if (typeof run === 'string') {
    report.expect(false, `schemathesis wrote no run report, so what it tested is unknown: ${run}`);
    return;
  }
  const operations = run.operations ?? { total: 0, selected: 0, tested: 0, errored: 0, skipped: 0, skip_reasons: {} };
  for (const [operation, reasons] of Object.entries(operations.skip_reasons))
    report.did(`  not tested: ${operation}: ${reasons.join('; ')}`);
  for (const error of run.errors) report.did(`  error: ${error.title} ×${error.count}`);
  report.expect(
    run.complete && operations.tested > 0 && operations.tested === operations.selected,
    `schemathesis tested ${operations.tested} of ${operations.selected} selected operations (${operations.total} in the schema; ${operations.errored} errored, ${operations.skipped} skipped; stopped: ${run.stop_reason})`,
  );
  report.expect(
    run.test_cases.generated > 0 && run.test_cases.errored === 0,
    `schemathesis ran ${run.test_cases.generated} test cases (${run.test_cases.with_failures} with failures, ${run.test_cases.errored} errored)`,
  );
}
