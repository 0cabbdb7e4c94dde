// Logs a person can read: readable lines at a terminal, JSON lines everywhere else. Each case starts
// a real process that reads its configuration and makes its logger the way `npm start` does.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../src/config/config';
import { commandPath } from '../scripts/dev/command-path';
import { writesPretty } from '../src/log/logger';

const ROOT = path.resolve(import.meta.dirname, '..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'bookit-log-format-'));
const entry = path.join(dir, 'logs-once.ts');
writeFileSync(
  entry,
  `import { loadConfig } from ${JSON.stringify(path.join(ROOT, 'src/config/config.ts'))};
   import { createLogger } from ${JSON.stringify(path.join(ROOT, 'src/log/logger.ts'))};
   const config = loadConfig();
   createLogger(config.logLevel, 'bookit', config.logFormat).info({ booking: 42, password: 'hunter2' }, 'booking made');
  `,
);

/** The process's stdout; LOG_LEVEL and LOG_FORMAT as given (the test run's own are left out). */
function logOnce(settings: { LOG_FORMAT?: string }, { terminal = false } = {}): string {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info', BOOKIT_DATA_DIR: dir };
  delete env.LOG_FORMAT;
  Object.assign(env, settings);
  const node = [process.execPath, '--import', 'tsx', entry];
  // `script` gives the process a pseudo-terminal for its stdout, as a person's shell would (util-linux's,
  // part of every Debian install: bsdutils is Essential).
  if (terminal) assert.ok(commandPath('script'), 'util-linux `script` is on PATH');
  const [command, args] = terminal
    ? (['script', ['-qec', node.map((part) => `'${part}'`).join(' '), '/dev/null']] as const)
    : ([node[0]!, node.slice(1)] as const);
  const ran = spawnSync(command, args, { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
  assert.equal(ran.status, 0, ran.stderr);
  // A terminal gets colours and CRLF line ends; the words are what matter here.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal colour codes start with ESC
  return ran.stdout.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/\r\n/g, '\n');
}

describe('log format', () => {
  it('auto is pretty at a terminal and JSON anywhere else; pretty and json are what they say', () => {
    assert.equal(writesPretty('auto', true), true);
    assert.equal(writesPretty('auto', false), false);
    assert.equal(writesPretty('json', true), false);
    assert.equal(writesPretty('pretty', false), true);
  });

  it('LOG_FORMAT defaults to auto and takes only auto, pretty or json', () => {
    assert.equal(loadConfig({ BOOKIT_DATA_DIR: dir }).logFormat, 'auto');
    assert.equal(loadConfig({ BOOKIT_DATA_DIR: dir, LOG_FORMAT: 'json' }).logFormat, 'json');
    assert.throws(
      () => loadConfig({ BOOKIT_DATA_DIR: dir, LOG_FORMAT: 'colour' }),
      new ConfigError('Invalid configuration: LOG_FORMAT must be auto, pretty or json'),
    );
  });

  it('stdout piped (a service manager, a collector): one JSON object a line, the password redacted', () => {
    const lines = logOnce({}).trim().split('\n');
    assert.equal(lines.length, 1);
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    assert.deepEqual(
      { msg: line.msg, booking: line.booking, password: line.password, level: line.level },
      { msg: 'booking made', booking: 42, password: '[redacted]', level: 30 },
    );
  });

  it('LOG_FORMAT=pretty with stdout piped: readable lines, still redacted', () => {
    const output = logOnce({ LOG_FORMAT: 'pretty' });
    assert.match(output, /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO \(bookit\): booking made$/m);
    assert.match(output, /^ {4}password: "\[redacted\]"$/m);
    assert.doesNotMatch(output, /hunter2|^\{/m);
  });

  it('stdout a terminal (npm start in a shell): readable lines, no JSON', () => {
    const output = logOnce({}, { terminal: true });
    assert.match(output, /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO \(bookit\): booking made$/m);
    assert.doesNotMatch(output, /"msg":|hunter2/);
  });

  it('LOG_FORMAT=json at a terminal: JSON lines all the same', () => {
    const output = logOnce({ LOG_FORMAT: 'json' }, { terminal: true });
    assert.match(output, /"msg":"booking made"/);
  });
});
