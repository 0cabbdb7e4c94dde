import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../src/config/config';
import { formatDuration, parseDuration } from '../src/config/duration';
import { temporalConnectionOptions } from '../src/temporal/connection-options';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bookit-config-'));
const base = { BOOKIT_DATA_DIR: dataDir };
/** A file with PEM armour (its content is not parsed at load; Temporal's TLS does that on connect). */
const pem = (name: string, label: string) => {
  const file = path.join(dataDir, name);
  writeFileSync(file, `-----BEGIN ${label}-----\n${Buffer.from(name).toString('base64')}\n-----END ${label}-----\n`);
  return file;
};
const certFile = pem('client.crt', 'CERTIFICATE');
const keyFile = pem('client.key', 'PRIVATE KEY');
const caFile = pem('ca.crt', 'CERTIFICATE');
const missing = path.join(dataDir, 'no-such-file.pem');
const notPem = path.join(dataDir, 'not-pem.txt');
writeFileSync(notPem, 'hello');

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
    assert.equal(config.http.maxBodyBytes, 64 * 1024);
    assert.equal(config.lifecycle.bookingHorizonMs, 365 * 86_400_000);
    assert.equal(config.lifecycle.dailyDigestHour, 7);
    assert.equal(config.temporal.tls, undefined);
    assert.equal(config.temporal.apiKey, undefined);
  });

  it("connects to Temporal in plain gRPC by default, at the dev server's address", () => {
    assert.deepEqual(temporalConnectionOptions(loadConfig(base).temporal), { address: '127.0.0.1:7233' });
  });

  it('reads the mTLS files once and passes certificate, key and root CA to the connection options', () => {
    const config = loadConfig({
      ...base,
      TEMPORAL_ADDRESS: 'bookit.a1b2c.tmprl.cloud:7233',
      TEMPORAL_TLS_CERT: certFile,
      TEMPORAL_TLS_KEY: keyFile,
      TEMPORAL_TLS_CA: caFile,
    });
    const options = temporalConnectionOptions(config.temporal);
    assert.equal(options.address, 'bookit.a1b2c.tmprl.cloud:7233');
    assert.equal(
      Buffer.from(options.tls?.clientCertPair?.crt ?? []).toString(),
      Buffer.from(
        `-----BEGIN CERTIFICATE-----\n${Buffer.from('client.crt').toString('base64')}\n-----END CERTIFICATE-----\n`,
      ).toString(),
    );
    assert.match(Buffer.from(options.tls?.clientCertPair?.key ?? []).toString(), /^-----BEGIN PRIVATE KEY-----/);
    assert.match(Buffer.from(options.tls?.serverRootCACertificate ?? []).toString(), /^-----BEGIN CERTIFICATE-----/);
    assert.equal(options.apiKey, undefined);
  });

  it("turns TLS on for an API key alone (Temporal Cloud), with the system's root CAs", () => {
    const options = temporalConnectionOptions(
      loadConfig({ ...base, TEMPORAL_ADDRESS: 'eu-west-1.aws.api.temporal.io:7233', TEMPORAL_API_KEY: 'tcak-secret' })
        .temporal,
    );
    assert.deepEqual(options, { address: 'eu-west-1.aws.api.temporal.io:7233', tls: {}, apiKey: 'tcak-secret' });
  });

  it('takes a root CA alone, for a server certificate from a private CA without client certificates', () => {
    const options = temporalConnectionOptions(loadConfig({ ...base, TEMPORAL_TLS_CA: caFile }).temporal);
    assert.ok(options.tls?.serverRootCACertificate);
    assert.equal(options.tls?.clientCertPair, undefined);
  });

  it("sizes the worker's pool apart from the API's", () => {
    const config = loadConfig({ ...base, DATABASE_POOL_SIZE: '20', WORKER_DATABASE_POOL_SIZE: '4' });
    assert.deepEqual([config.database.poolSize, config.database.workerPoolSize], [20, 4]);
  });

  it('keeps a generated development JWT secret across loads', () => {
    assert.equal(loadConfig(base).auth.jwtSecret, loadConfig(base).auth.jwtSecret);
    assert.ok(loadConfig(base).auth.jwtSecret.length >= 32);
  });

  const rejected: Array<[Record<string, string>, RegExp]> = [
    [
      { BOOKIT_REMINDER_LEAD: 'tomorrow' },
      /^Invalid configuration: BOOKIT_REMINDER_LEAD must be a duration like 90s, 15m, 2h or 1d/,
    ],
    [{ PORT: 'eighty' }, /^Invalid configuration: PORT must be a port number/],
    [{ PORT: '70000' }, /^Invalid configuration: PORT must be a port number from 1 to 65535/],
    [
      { BOOKIT_DEFAULT_TIME_ZONE: 'Mars/Olympus' },
      /^Invalid configuration: BOOKIT_DEFAULT_TIME_ZONE must be an IANA time zone/,
    ],
    [{ DATABASE_URL: 'not a url' }, /^Invalid configuration: DATABASE_URL must be a URL/],
    [{ BOOKIT_WAITLIST_MAX_PER_DAY: '0' }, /^Invalid configuration: BOOKIT_WAITLIST_MAX_PER_DAY must be at least 1/],
    [{ WORKER_DATABASE_POOL_SIZE: '0' }, /^Invalid configuration: WORKER_DATABASE_POOL_SIZE must be at least 1/],
    [{ WORKER_DATABASE_POOL_SIZE: 'many' }, /^Invalid configuration: WORKER_DATABASE_POOL_SIZE must be a whole number/],
    [{ NODE_ENV: 'production' }, /^Invalid configuration: JWT_SECRET must be set/],
    [{ JWT_SECRET: 'short' }, /^Invalid configuration: JWT_SECRET must be at least 32 characters/],
    [{ BOOKIT_ADMIN_EMAIL: 'root@example.test' }, /BOOKIT_ADMIN_EMAIL and BOOKIT_ADMIN_PASSWORD must be set together/],
    [{ BOOKIT_CONFIRM_DEADLINE: '1d' }, /BOOKIT_CONFIRM_DEADLINE must be shorter than BOOKIT_REMINDER_LEAD/],
    [{ MAX_BODY_BYTES: '0' }, /^Invalid configuration: MAX_BODY_BYTES must be at least 1/],
    [
      { BOOKIT_BOOKING_HORIZON: 'a year' },
      /^Invalid configuration: BOOKIT_BOOKING_HORIZON must be a duration like 90s, 15m, 2h or 1d/,
    ],
    [{ BOOKIT_DIGEST_HOUR: '24' }, /^Invalid configuration: BOOKIT_DIGEST_HOUR must be an hour from 0 to 23/],
    [{ BOOKIT_DIGEST_HOUR: '7:30' }, /^Invalid configuration: BOOKIT_DIGEST_HOUR must be an hour from 0 to 23/],
    [
      { TEMPORAL_TLS_CERT: missing, TEMPORAL_TLS_KEY: keyFile },
      /^Invalid configuration: TEMPORAL_TLS_CERT must name a readable PEM file \(".*no-such-file\.pem" does not exist\)$/,
    ],
    [
      { TEMPORAL_TLS_CERT: certFile, TEMPORAL_TLS_KEY: missing },
      /^Invalid configuration: TEMPORAL_TLS_KEY must name a readable PEM file/,
    ],
    [{ TEMPORAL_TLS_CA: missing }, /^Invalid configuration: TEMPORAL_TLS_CA must name a readable PEM file/],
    [
      { TEMPORAL_TLS_CA: dataDir },
      /^Invalid configuration: TEMPORAL_TLS_CA must name a readable PEM file \(".*" cannot be read\)$/,
    ],
    [{ TEMPORAL_TLS_CA: notPem }, /^Invalid configuration: TEMPORAL_TLS_CA must name a PEM file/],
    [
      { TEMPORAL_TLS_CERT: certFile },
      /^Invalid configuration: TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be set together$/,
    ],
    [
      { TEMPORAL_TLS_KEY: keyFile },
      /^Invalid configuration: TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be set together$/,
    ],
  ];
  for (const [env, message] of rejected) {
    it(`rejects ${JSON.stringify(env)} with one line naming the variable`, () => {
      assert.throws(
        () => loadConfig({ ...base, ...env }),
        (error: unknown) =>
          error instanceof ConfigError && message.test(error.message) && !error.message.includes('\n'),
      );
    });
  }

  describe('production refuses what would make it guessable or leak its sessions, each with one line saying why', () => {
    /** What a real deployment sets: 32 random bytes, its https address, the default hash cost. */
    const production = {
      ...base,
      NODE_ENV: 'production',
      JWT_SECRET: randomBytes(32).toString('base64url'),
      PUBLIC_BASE_URL: 'https://bookit.example.com',
    };
    const refusedInProduction: Array<[string, Record<string, string | undefined>, RegExp]> = [
      [
        'one letter 32 times',
        { JWT_SECRET: 'a'.repeat(32) },
        /^Invalid configuration: JWT_SECRET has too little variety \(1 different character/,
      ],
      [
        'a short run repeated',
        { JWT_SECRET: 'Ab3$xY9!'.repeat(5) },
        /^Invalid configuration: JWT_SECRET has too little variety \(a run of 8 characters repeated\)/,
      ],
      [
        'few characters',
        { JWT_SECRET: '0110100110010110100101100110100101' },
        /^Invalid configuration: JWT_SECRET has too little variety \(2 different characters/,
      ],
      [
        'no public URL (email links to localhost, the cookie not Secure)',
        { PUBLIC_BASE_URL: undefined },
        /^Invalid configuration: PUBLIC_BASE_URL must be set when NODE_ENV=production/,
      ],
      [
        'a public URL over http',
        { PUBLIC_BASE_URL: 'http://bookit.example.com' },
        /^Invalid configuration: PUBLIC_BASE_URL must be https:\/\/ when NODE_ENV=production, unless it is localhost/,
      ],
      [
        'a password hash cost of 10',
        { PASSWORD_HASH_COST: '10' },
        /^Invalid configuration: PASSWORD_HASH_COST must be at least 17 when NODE_ENV=production/,
      ],
    ];
    for (const [what, env, message] of refusedInProduction) {
      it(`refuses ${what}`, () => {
        assert.throws(
          () => loadConfig({ ...production, ...env }),
          (error: unknown) =>
            error instanceof ConfigError && message.test(error.message) && !error.message.includes('\n'),
        );
      });
    }

    it('starts with random secrets of the usual shapes, an https URL or localhost over http', () => {
      for (const secret of [
        randomBytes(32).toString('base64url'),
        randomBytes(32).toString('base64'),
        randomBytes(32).toString('hex'),
        randomBytes(24).toString('hex'),
      ])
        assert.equal(loadConfig({ ...production, JWT_SECRET: secret }).auth.jwtSecret, secret);
      for (const url of ['https://bookit.example.com', 'http://localhost:3000', 'http://127.0.0.1:8080'])
        assert.equal(loadConfig({ ...production, PUBLIC_BASE_URL: url }).http.publicBaseUrl, url);
    });

    it("accepts docker-compose.yml's settings, with a random JWT_SECRET in .env", () => {
      const compose = readFileSync(path.join(import.meta.dirname, '..', 'docker-compose.yml'), 'utf8');
      const setting = (name: string) => new RegExp(`^\\s+${name}: (\\S+)$`, 'm').exec(compose)?.[1];
      assert.equal(setting('NODE_ENV'), 'production');
      const config = loadConfig({ ...production, PUBLIC_BASE_URL: setting('PUBLIC_BASE_URL') });
      assert.equal(config.http.publicBaseUrl, 'http://localhost:3000');
    });

    it('leaves development and tests alone: any 32 characters, no public URL, a cheap hash', () => {
      for (const NODE_ENV of ['development', 'test'])
        assert.equal(
          loadConfig({ ...base, NODE_ENV, JWT_SECRET: 'x'.repeat(40), PASSWORD_HASH_COST: '10' }).auth.passwordHashCost,
          10,
        );
    });
  });

  it('never echoes a URL value, which may carry a password', () => {
    assert.throws(
      () => loadConfig({ ...base, SMTP_URL: 'smtp://user:hunter2@' }),
      (error: Error) => !error.message.includes('hunter2'),
    );
  });

  it('stops the API process at start-up with the variable named and exit code 2', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main/api.ts'], {
      env: { ...process.env, ...base, BOOKIT_CONFIRM_DEADLINE: 'soon' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(result.status, 2);
    assert.equal(
      result.stderr.trim(),
      'Invalid configuration: BOOKIT_CONFIRM_DEADLINE must be a duration like 90s, 15m, 2h or 1d (got "soon")',
    );
  });

  it('stops the worker process at start-up when a Temporal TLS file is missing, naming its variable', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main/worker.ts'], {
      env: { ...process.env, ...base, TEMPORAL_TLS_CERT: certFile, TEMPORAL_TLS_KEY: missing },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(result.status, 2);
    assert.equal(
      result.stderr.trim(),
      `Invalid configuration: TEMPORAL_TLS_KEY must name a readable PEM file (${JSON.stringify(missing)} does not exist)`,
    );
  });
});
