// Drill 5a: schemathesis (from PyPI, in a venv under ~/.cache/bookit) fuzzes every operation in
// /openapi.json as a signed-in member: no 5xx, and every response matches its documented schema.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Cluster } from './cluster';
import { createUsers, withTokens } from './fixtures';
import type { DrillReport } from './report';

// Pinned, so a drill run on a fresh machine fuzzes with the same checks as the one recorded here.
const SCHEMATHESIS_VERSION = '4.32.5';
const VENV = path.join(os.homedir(), '.cache', 'bookit', `schemathesis-${SCHEMATHESIS_VERSION}`);
const SCHEMATHESIS = path.join(VENV, 'bin', 'schemathesis');

/** The schemathesis executable, installing it on first use; undefined (with the reason) when that fails. */
function ensureSchemathesis(report: DrillReport): string | undefined {
  if (existsSync(SCHEMATHESIS)) return SCHEMATHESIS;
  report.did(`installing schemathesis into ${VENV}`);
  const venv = spawnSync('python3', ['-m', 'venv', VENV], { encoding: 'utf8' });
  if (venv.status !== 0) {
    report.did(`schemathesis cannot be installed: python3 -m venv failed: ${(venv.stderr || venv.stdout).trim().slice(-300)}`);
    return undefined;
  }
  const pip = spawnSync(path.join(VENV, 'bin', 'pip'), ['install', '--quiet', `schemathesis==${SCHEMATHESIS_VERSION}`], { encoding: 'utf8' });
  if (pip.status !== 0 || !existsSync(SCHEMATHESIS)) {
    report.did(`schemathesis cannot be installed: pip install failed: ${(pip.stderr || pip.stdout).trim().slice(-300)}`);
    return undefined;
  }
  return SCHEMATHESIS;
}

export async function runSchemathesis(cluster: Cluster, report: DrillReport, { maxExamples, maxSeconds }: { maxExamples: number; maxSeconds: number }): Promise<void> {
  const executable = ensureSchemathesis(report);
  if (!executable) {
    report.did('schemathesis skipped (see above); the authorization matrix still runs');
    return;
  }
  const [member] = await withTokens(cluster.jwtSecret, await createUsers(cluster.sql, 1, 'member', 'drill5-fuzz'));
  const api = cluster.apis[0]!.url!;
  const args = [
    'run', `${api}/openapi.json`, '--url', api,
    '-H', `Authorization: Bearer ${member!.token}`,
    '--checks', 'not_a_server_error,response_schema_conformance',
    '--max-examples', String(maxExamples),
    '--max-time', String(maxSeconds),
    '--phases', 'examples,coverage,fuzzing',
    // The event stream never ends; it is exercised by the benchmarks instead.
    '--exclude-path', '/api/notifications/stream',
    // Two worker threads crashed CPython 3.11 inside schemathesis ("SystemError: AST constructor
    // recursion depth mismatch" while compiling a schema strategy): one thread avoids it.
    '--workers', '1',
    '--generation-database', 'none',
    '--request-timeout', '10',
    '--no-color',
    '--seed', '7',
  ];
  report.did(`schemathesis ${args.filter((a) => !a.startsWith('Authorization')).slice(1, 3).join(' ')} as a signed-in member, checks not_a_server_error + response_schema_conformance, ≤ ${maxExamples} examples per operation`);
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(executable, args, { env: { ...process.env, SCHEMATHESIS_HOOKS: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => { text += chunk.toString('utf8'); });
    child.stderr.on('data', (chunk: Buffer) => { text += chunk.toString('utf8'); });
    child.on('close', (status) => resolve({ code: status, output: text }));
  });
  const summary = output.split('\n').filter((line) => /passed|failed|error|Summary|operations|test cases|Server error|schema/i.test(line)).slice(-25);
  for (const line of summary) report.did(`  ${line.trim()}`);
  if (code !== 0) process.stderr.write(`${output.slice(-12_000)}\n`);
  report.expect(code === 0, `schemathesis found no server error and no response outside the documented schema (exit ${code})`);
}
