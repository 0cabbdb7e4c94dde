import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../src/config/config';
import { formatDuration, parseDuration } from '../src/config/duration';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bookit-config-'));
const base = { BOOKIT_DATA_DIR: dataDir };

describe('configuration', () => {
  it('parses the duration forms the README documents', () => {
    assert.equal(parseDuration('90s'), 90_000);
    assert.equal(parseDuration('15m'), 900_000);
    assert.equal(parseDuration('2h'), 7_200_000);
    assert.equal(parseDuration('1d'), 86_400_000);
    assert.equal(parseDuration('1.5h'), 5_400_000);
    assert.equal(parseDuration('2 hours'), null);
    assert.equal(parseDuration('15'), null);
    assert.equal(formatDuration(86_400_000), '1d');
    assert.equal(formatDuration(90_000), '90s');
  });

  it('has the documented defaults', () => {
    const config = loadConfig(base);
    assert.equal(config.http.port, 3000);
    assert.equal(config.defaultTimeZone, 'Asia/Kolkata');
    assert.equal(config.lifecycle.reminderLeadMs, 24 * 3_600_000);
    assert.equal(config.lifecycle.confirmDeadlineMs, 2 * 3_600_000);
    assert.equal(config.lifecycle.offerWindowMs, 15 * 60_000);
    assert.equal(config.lifecycle.emailRetryInitialMs, 60_000);
    assert.equal(config.lifecycle.waitlistMaxPerDay, 3);
    assert.equal(config.lifecycle.notificationRetentionMs, 90 * 86_400_000);
    assert.equal(config.temporal.taskQueue, 'bookit');
    assert.equal(config.http.publicBaseUrl, 'http://localhost:3000');
    assert.equal(config.database.poolSize, 10);
    assert.equal(config.database.workerPoolSize, 10);
  });

  it('sizes the worker\'s pool apart from the API\'s', () => {
    const config = loadConfig({ ...base, DATABASE_POOL_SIZE: '20', WORKER_DATABASE_POOL_SIZE: '4' });
    assert.deepEqual([config.database.poolSize, config.database.workerPoolSize], [20, 4]);
  });

  it('keeps a generated development JWT secret across loads', () => {
    assert.equal(loadConfig(base).auth.jwtSecret, loadConfig(base).auth.jwtSecret);
    assert.ok(loadConfig(base).auth.jwtSecret.length >= 32);
  });

  const rejected: Array<[Record<string, string>, RegExp]> = [
    [{ BOOKIT_REMINDER_LEAD: 'tomorrow' }, /^Invalid configuration: BOOKIT_REMINDER_LEAD must be a duration like 90s, 15m, 2h or 1d/],
    [{ PORT: 'eighty' }, /^Invalid configuration: PORT must be a port number/],
    [{ PORT: '70000' }, /^Invalid configuration: PORT must be a port number from 1 to 65535/],
    [{ BOOKIT_DEFAULT_TIME_ZONE: 'Mars/Olympus' }, /^Invalid configuration: BOOKIT_DEFAULT_TIME_ZONE must be an IANA time zone/],
    [{ DATABASE_URL: 'not a url' }, /^Invalid configuration: DATABASE_URL must be a URL/],
    [{ BOOKIT_WAITLIST_MAX_PER_DAY: '0' }, /^Invalid configuration: BOOKIT_WAITLIST_MAX_PER_DAY must be at least 1/],
    [{ WORKER_DATABASE_POOL_SIZE: '0' }, /^Invalid configuration: WORKER_DATABASE_POOL_SIZE must be at least 1/],
    [{ WORKER_DATABASE_POOL_SIZE: 'many' }, /^Invalid configuration: WORKER_DATABASE_POOL_SIZE must be a whole number/],
    [{ NODE_ENV: 'production' }, /^Invalid configuration: JWT_SECRET must be set/],
    [{ JWT_SECRET: 'short' }, /^Invalid configuration: JWT_SECRET must be at least 32 characters/],
    [{ BOOKIT_ADMIN_EMAIL: 'root@example.test' }, /BOOKIT_ADMIN_EMAIL and BOOKIT_ADMIN_PASSWORD must be set together/],
    [{ BOOKIT_CONFIRM_DEADLINE: '1d' }, /BOOKIT_CONFIRM_DEADLINE must be shorter than BOOKIT_REMINDER_LEAD/],
  ];
  for (const [env, message] of rejected) {
    it(`rejects ${JSON.stringify(env)} with one line naming the variable`, () => {
      assert.throws(() => loadConfig({ ...base, ...env }), (error: unknown) => error instanceof ConfigError && message.test(error.message) && !error.message.includes('\n'));
    });
  }

  it('never echoes a URL value, which may carry a password', () => {
    assert.throws(() => loadConfig({ ...base, SMTP_URL: 'smtp://user:hunter2@' }), (error: Error) => !error.message.includes('hunter2'));
  });

  it('stops the API process at start-up with the variable named and exit code 2', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main/api.ts'], {
      env: { ...process.env, ...base, BOOKIT_CONFIRM_DEADLINE: 'soon' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(result.status, 2);
    assert.equal(result.stderr.trim(), 'Invalid configuration: BOOKIT_CONFIRM_DEADLINE must be a duration like 90s, 15m, 2h or 1d (got "soon")');
  });
});
