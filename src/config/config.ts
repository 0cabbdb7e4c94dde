import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import {
  DEFAULT_PASSWORD_HASH_COST,
  DEFAULT_PASSWORD_HASH_QUEUE,
  MAX_PASSWORD_HASH_COST,
  MIN_PASSWORD_HASH_COST,
} from '../auth/passwords';
import type { RuleDefaults } from '../contracts/venue-rules';
import { parseDuration } from './duration';
import { productionProblem } from './production-rules';
import { oidcEnvironment, readOidcConfig, type OidcConfig } from './oidc';

/** Thrown for a bad setting; its message is one line naming the variable and what it expects. */
export class ConfigError extends Error {}

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const ms = parseDuration(text);
      if (ms === null || ms <= 0) {
        ctx.addIssue({ code: 'custom', message: `must be a duration like 90s, 15m, 2h or 1d (got "${text}")` });
        return z.NEVER;
      }
      return ms;
    });

const port = (fallback: number) =>
  z.coerce
    .number({ message: 'must be a port number' })
    .int('must be a whole port number')
    .min(1, 'must be a port number from 1 to 65535')
    .max(65535, 'must be a port number from 1 to 65535')
    .default(fallback);

const timeZone = z.string().refine(isIanaTimeZone, {
  error: (issue) => `must be an IANA time zone such as Asia/Kolkata (got "${String(issue.input)}")`,
});

const url = (example: string) =>
  // The value is not echoed: URLs carry credentials.
  z
    .string()
    .refine((text) => URL.canParse(text), { error: `must be a URL like ${example}` });

/** A duration, or `0` / `none` for no limit (0 ms). */
const durationOrNone = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      if (text.trim() === '0' || text.trim().toLowerCase() === 'none') return 0;
      const ms = parseDuration(text);
      if (ms === null || ms < 0) {
        ctx.addIssue({ code: 'custom', message: `must be a duration like 15m, 2h or 1d, or none (got "${text}")` });
        return z.NEVER;
      }
      return ms;
    });

/** A whole number, or `0` / `none` for no limit (0). */
const limitOrNone = (fallback: number) =>
  z
    .string()
    .default(String(fallback))
    .transform((text, ctx) => {
      if (text.trim().toLowerCase() === 'none') return 0;
      const n = Number(text);
      if (!Number.isInteger(n) || n < 0) {
        ctx.addIssue({ code: 'custom', message: `must be a whole number, or none (got "${text}")` });
        return z.NEVER;
      }
      return n;
    });

const positiveInt = (fallback: number) =>
  z.coerce
    .number({ message: 'must be a whole number' })
    .int('must be a whole number')
    .positive('must be at least 1')
    .default(fallback);

const yesNo = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((text) => text === 'true' || text === '1' || text === 'yes');

const environmentSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'test', 'production'], { message: 'must be development, test or production' })
    .default('development'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  // auto: readable lines for a person at a terminal, JSON lines for anything that collects them.
  LOG_FORMAT: z.enum(['auto', 'pretty', 'json'], { message: 'must be auto, pretty or json' }).default('auto'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port(3000),
  MAX_BODY_BYTES: positiveInt(64 * 1024),
  // Notification streams (SSE) one account may hold open per API process; another is refused 429.
  MAX_STREAMS_PER_USER: positiveInt(10),
  BOOKIT_DATA_DIR: z.string().min(1).default('.data'),
  BOOKIT_CACHE_DIR: z.string().min(1).optional(),
  TEMPORAL_CLI: z.string().min(1).optional(),
  DATABASE_URL: url('postgres://user:password@host:5432/bookit').optional(),
  DATABASE_POOL_SIZE: positiveInt(10),
  WORKER_DATABASE_POOL_SIZE: positiveInt(10),
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^\s:]+:\d+$/, 'must be host:port, like 127.0.0.1:7233')
    .optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('bookit'),
  TEMPORAL_UI_PORT: port(8233),
  TEMPORAL_MAX_CACHED_WORKFLOWS: positiveInt(250),
  TEMPORAL_WORKFLOW_BUNDLE: z.string().min(1).optional(),
  // Worker Versioning (README, "Deploying new workflow code"): unset, the worker runs unversioned.
  BOOKIT_DEPLOYMENT_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, - or _ (Temporal refuses . and : in a deployment name)')
    .optional(),
  BOOKIT_BUILD_ID: z
    .string()
    .regex(/^[A-Za-z0-9_+-]{1,64}$/, 'must be 1 to 64 letters, digits, -, _ or +')
    .optional(),
  TEMPORAL_TEST_SERVER: z.string().min(1).optional(),
  // mTLS and API keys (Temporal Cloud, a secured cluster): file paths, read and checked at start-up.
  TEMPORAL_TLS_CERT: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY: z.string().min(1).optional(),
  TEMPORAL_TLS_CA: z.string().min(1).optional(),
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  // The browser tests' Chromium; unset, `npm test` searches PATH (and installs Debian's if none).
  CHROMIUM_PATH: z.string().min(1).optional(),
  SMTP_URL: url('smtp://user:password@mail.example.com:587').optional(),
  // A second relay, used when SMTP_URL's server refuses connections or answers 4xx (src/mail/smtp-relays.ts).
  SMTP_FALLBACK_URL: url('smtp://user:password@backup-mail.example.com:587').optional(),
  MAILDEV_SMTP_PORT: port(1025),
  MAILDEV_WEB_PORT: port(1080),
  MAIL_FROM: z.string().min(3).default('BookIT <no-reply@bookit.local>'),
  PUBLIC_BASE_URL: url('https://bookit.example.com').optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  BOOKIT_ADMIN_EMAIL: z.email({ message: 'must be an email address' }).optional(),
  BOOKIT_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  // log2 of scrypt's N for new password hashes; 17 is OWASP's minimum. Tests pass a lower one.
  PASSWORD_HASH_COST: z.coerce
    .number({ message: 'must be a whole number' })
    .int('must be a whole number')
    .min(MIN_PASSWORD_HASH_COST, `must be from ${MIN_PASSWORD_HASH_COST} to ${MAX_PASSWORD_HASH_COST}`)
    .max(MAX_PASSWORD_HASH_COST, `must be from ${MIN_PASSWORD_HASH_COST} to ${MAX_PASSWORD_HASH_COST}`)
    .default(DEFAULT_PASSWORD_HASH_COST),
  // Sign-ins that may wait for a password hash beyond the two running; past it they are told 503 at once.
  PASSWORD_HASH_QUEUE: positiveInt(DEFAULT_PASSWORD_HASH_QUEUE),
  // Only behind a proxy that sets X-Forwarded-For: otherwise any client could name its own address.
  TRUST_PROXY: yesNo(false),
  // Webhooks to loopback, private and other inside addresses, and over plain http: tests and development only.
  WEBHOOK_ALLOW_PRIVATE: yesNo(false),
  BOOKIT_DEFAULT_TIME_ZONE: timeZone.default('Asia/Kolkata'),
  BOOKIT_REMINDER_LEAD: duration('24h'),
  BOOKIT_CONFIRM_DEADLINE: duration('2h'),
  BOOKIT_MIN_CONFIRM_WINDOW: duration('30m'),
  BOOKIT_OFFER_WINDOW: duration('15m'),
  BOOKIT_APPROVAL_NUDGE: duration('24h'),
  BOOKIT_APPROVAL_DEADLINE: duration('48h'),
  BOOKIT_EMAIL_RETRY_INITIAL: duration('60s'),
  BOOKIT_WAITLIST_MAX_PER_DAY: positiveInt(3),
  NOTIFICATION_RETENTION: duration('90d'),
  BOOKIT_BOOKING_HORIZON: duration('365d'),
  // Every venue's rules unless it sets its own (PATCH /api/venues/{id} {"rules": …}); 0 or none: no limit.
  BOOKIT_RULE_MIN_NOTICE: durationOrNone('none'),
  BOOKIT_RULE_MAX_ADVANCE: durationOrNone('none'),
  BOOKIT_RULE_MIN_DURATION: durationOrNone('none'),
  BOOKIT_RULE_MAX_DURATION: durationOrNone('24h'),
  BOOKIT_RULE_SETUP_BUFFER: durationOrNone('none'),
  BOOKIT_RULE_TEARDOWN_BUFFER: durationOrNone('none'),
  BOOKIT_RULE_MAX_UPCOMING_PER_VENUE: limitOrNone(50),
  BOOKIT_RULE_MAX_UPCOMING: limitOrNone(200),
  BOOKIT_RULE_MAX_HOURS_PER_WEEK: limitOrNone(0),
  // The venue-local hour of each hall admin's daily digest.
  BOOKIT_DIGEST_HOUR: z.coerce
    .number({ message: 'must be an hour from 0 to 23' })
    .int('must be a whole hour from 0 to 23')
    .min(0, 'must be an hour from 0 to 23')
    .max(23, 'must be an hour from 0 to 23')
    .default(7),
  // Single sign-on (src/config/oidc.ts).
  ...oidcEnvironment,
});

export type Environment = z.infer<typeof environmentSchema>;

export interface Config {
  env: Environment['NODE_ENV'];
  logLevel: Environment['LOG_LEVEL'];
  /** auto: pretty when stdout is a terminal, JSON lines otherwise (resolved by createLogger). */
  logFormat: Environment['LOG_FORMAT'];
  dataDir: string;
  /** Where the dev stack keeps what it builds or downloads (Temporal CLI, test-server jars). */
  cacheDir: string;
  /** maxBodyBytes: the largest request body read, checked before it is parsed or its sender authenticated. */
  /** maxStreamsPerUser: open notification streams per account in this process (MAX_STREAMS_PER_USER). */
  http: { host: string; port: number; publicBaseUrl: string; maxBodyBytes: number; maxStreamsPerUser: number };
  /** poolSize: the API and outbox relay; workerPoolSize: the worker's activities, a pool of their own so API load cannot starve them. */
  database: { url?: string; poolSize: number; workerPoolSize: number };
  /** tls: present when the cluster needs TLS (set files, or an API key); apiKey: sent with every call. */
  temporal: {
    address?: string;
    cliPath?: string;
    namespace: string;
    taskQueue: string;
    uiPort: number;
    maxCachedWorkflows: number;
    workflowBundlePath?: string;
    /**
     * Worker Versioning: the worker polls as version `name`:`buildId` (buildId unset: derived from
     * the workflow bundle, see src/worker/deployment.ts). Absent, the worker is unversioned.
     */
    deployment?: { name: string; buildId?: string };
    testServerPath?: string;
    tls?: TemporalTls;
    apiKey?: string;
  };
  /** fallbackSmtpUrl: SMTP_FALLBACK_URL, the backup relay; unset, every email goes through smtpUrl alone. */
  mail: { smtpUrl?: string; fallbackSmtpUrl?: string; from: string; devSmtpPort: number; devWebPort: number };
  /** Chromium or Chrome for the browser tests (CHROMIUM_PATH); `npm test` sets it to what it found. */
  chromiumPath?: string;
  /**
   * passwordHashCost: log2 of scrypt's N for new hashes (older hashes still verify, and are rehashed
   * at the next sign-in); trustProxy: take the client address from X-Forwarded-For's last entry.
   */
  auth: {
    jwtSecret: string;
    admin?: { email: string; password: string };
    passwordHashCost: number;
    /** Sign-ins and password changes that may wait for a hash beyond those running (PASSWORD_HASH_QUEUE). */
    passwordHashQueue: number;
    trustProxy: boolean;
  };
  defaultTimeZone: string;
  /** allowPrivate: webhook URLs may be http and reach loopback, private, link-local… addresses (WEBHOOK_ALLOW_PRIVATE). */
  webhooks: { allowPrivate: boolean };
  lifecycle: {
    reminderLeadMs: number;
    confirmDeadlineMs: number;
    /** W: a reminder that went out late still leaves this long to confirm (never past the start); at most R − D. */
    minConfirmWindowMs: number;
    offerWindowMs: number;
    /** A request for approval nudges its venue's admins this long after it was made; the super admins are told after twice it. */
    approvalNudgeMs: number;
    /** A request not decided this long after it was made (or by the reminder's time) takes its venue's default. */
    approvalDeadlineMs: number;
    emailRetryInitialMs: number;
    waitlistMaxPerDay: number;
    notificationRetentionMs: number;
    /** How far ahead a booking (or a wait for a slot) may start. */
    bookingHorizonMs: number;
    /** The venue-local hour (0–23) from which a hall admin's daily digest for that day is due. */
    dailyDigestHour: number;
  };
  /** The rules every venue lives by unless it sets its own; 0 is no limit. */
  rules: RuleDefaults;
  /** Single sign-on through an OpenID Connect provider; absent unless OIDC_ISSUER is set. */
  oidc?: OidcConfig;
}

/** What a Temporal connection's `tls` option takes: the files' contents, read once at start-up. */
export interface TemporalTls {
  clientCertPair?: { crt: Buffer; key: Buffer };
  serverRootCACertificate?: Buffer;
}

/**
 * Reads and validates every setting once. Nothing else in the code base reads process.env.
 * In development a missing JWT_SECRET is generated once and kept in the data dir.
 */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const blanksRemoved = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = environmentSchema.safeParse(blanksRemoved);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`Invalid configuration: ${String(issue.path[0])} ${issue.message}`);
  }
  const e = parsed.data;
  if (e.BOOKIT_CONFIRM_DEADLINE >= e.BOOKIT_REMINDER_LEAD) {
    throw new ConfigError('Invalid configuration: BOOKIT_CONFIRM_DEADLINE must be shorter than BOOKIT_REMINDER_LEAD');
  }
  if (e.BOOKIT_BUILD_ID && !e.BOOKIT_DEPLOYMENT_NAME) {
    throw new ConfigError(
      'Invalid configuration: BOOKIT_BUILD_ID needs BOOKIT_DEPLOYMENT_NAME (a build id names a version of a deployment)',
    );
  }
  const production = e.NODE_ENV === 'production' ? productionProblem(e) : null;
  if (production) throw new ConfigError(`Invalid configuration: ${production}`);
  if (Boolean(e.BOOKIT_ADMIN_EMAIL) !== Boolean(e.BOOKIT_ADMIN_PASSWORD)) {
    throw new ConfigError('Invalid configuration: BOOKIT_ADMIN_EMAIL and BOOKIT_ADMIN_PASSWORD must be set together');
  }
  const dataDir = path.resolve(e.BOOKIT_DATA_DIR);
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    dataDir,
    cacheDir: path.resolve(e.BOOKIT_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'bookit')),
    http: {
      host: e.HOST,
      port: e.PORT,
      publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
      maxBodyBytes: e.MAX_BODY_BYTES,
      maxStreamsPerUser: e.MAX_STREAMS_PER_USER,
    },
    database: { url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE, workerPoolSize: e.WORKER_DATABASE_POOL_SIZE },
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      cliPath: e.TEMPORAL_CLI,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      uiPort: e.TEMPORAL_UI_PORT,
      maxCachedWorkflows: e.TEMPORAL_MAX_CACHED_WORKFLOWS,
      workflowBundlePath: e.TEMPORAL_WORKFLOW_BUNDLE,
      deployment: e.BOOKIT_DEPLOYMENT_NAME
        ? { name: e.BOOKIT_DEPLOYMENT_NAME, ...(e.BOOKIT_BUILD_ID ? { buildId: e.BOOKIT_BUILD_ID } : {}) }
        : undefined,
      testServerPath: e.TEMPORAL_TEST_SERVER,
      tls: temporalTls(e),
      apiKey: e.TEMPORAL_API_KEY,
    },
    mail: {
      smtpUrl: e.SMTP_URL,
      fallbackSmtpUrl: e.SMTP_FALLBACK_URL,
      from: e.MAIL_FROM,
      devSmtpPort: e.MAILDEV_SMTP_PORT,
      devWebPort: e.MAILDEV_WEB_PORT,
    },
    chromiumPath: e.CHROMIUM_PATH,
    auth: {
      jwtSecret: e.JWT_SECRET ?? developmentJwtSecret(e.NODE_ENV, dataDir),
      admin:
        e.BOOKIT_ADMIN_EMAIL && e.BOOKIT_ADMIN_PASSWORD
          ? { email: e.BOOKIT_ADMIN_EMAIL, password: e.BOOKIT_ADMIN_PASSWORD }
          : undefined,
      passwordHashCost: e.PASSWORD_HASH_COST,
      passwordHashQueue: e.PASSWORD_HASH_QUEUE,
      trustProxy: e.TRUST_PROXY,
    },
    defaultTimeZone: e.BOOKIT_DEFAULT_TIME_ZONE,
    webhooks: { allowPrivate: e.WEBHOOK_ALLOW_PRIVATE },
    lifecycle: {
      reminderLeadMs: e.BOOKIT_REMINDER_LEAD,
      confirmDeadlineMs: e.BOOKIT_CONFIRM_DEADLINE,
      // Never more than an on-time reminder gives (R − D), so compressed leads (drills) still cancel.
      minConfirmWindowMs: Math.min(e.BOOKIT_MIN_CONFIRM_WINDOW, e.BOOKIT_REMINDER_LEAD - e.BOOKIT_CONFIRM_DEADLINE),
      offerWindowMs: e.BOOKIT_OFFER_WINDOW,
      approvalNudgeMs: e.BOOKIT_APPROVAL_NUDGE,
      approvalDeadlineMs: e.BOOKIT_APPROVAL_DEADLINE,
      emailRetryInitialMs: e.BOOKIT_EMAIL_RETRY_INITIAL,
      waitlistMaxPerDay: e.BOOKIT_WAITLIST_MAX_PER_DAY,
      notificationRetentionMs: e.NOTIFICATION_RETENTION,
      bookingHorizonMs: e.BOOKIT_BOOKING_HORIZON,
      dailyDigestHour: e.BOOKIT_DIGEST_HOUR,
    },
    rules: {
      minNoticeMs: e.BOOKIT_RULE_MIN_NOTICE,
      maxAdvanceMs: e.BOOKIT_RULE_MAX_ADVANCE,
      minDurationMs: e.BOOKIT_RULE_MIN_DURATION,
      maxDurationMs: e.BOOKIT_RULE_MAX_DURATION,
      setupBufferMs: e.BOOKIT_RULE_SETUP_BUFFER,
      teardownBufferMs: e.BOOKIT_RULE_TEARDOWN_BUFFER,
      maxUpcomingPerVenue: e.BOOKIT_RULE_MAX_UPCOMING_PER_VENUE,
      maxUpcoming: e.BOOKIT_RULE_MAX_UPCOMING,
      maxHoursPerWeek: e.BOOKIT_RULE_MAX_HOURS_PER_WEEK,
    },
    oidc: readOidcConfig(
      e,
      {
        publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
        production: e.NODE_ENV === 'production',
      },
      (message) => {
        throw new ConfigError(`Invalid configuration: ${message}`);
      },
    ),
  };
}

/**
 * Reads the TLS files Temporal needs. Certificate and key come as a pair; an API key alone still
 * turns TLS on (with the system's trusted roots), as Temporal Cloud requires.
 */
function temporalTls(e: Environment): TemporalTls | undefined {
  if (Boolean(e.TEMPORAL_TLS_CERT) !== Boolean(e.TEMPORAL_TLS_KEY)) {
    throw new ConfigError('Invalid configuration: TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be set together');
  }
  if (!e.TEMPORAL_TLS_CERT && !e.TEMPORAL_TLS_CA && !e.TEMPORAL_API_KEY) return undefined;
  const tls: TemporalTls = {};
  if (e.TEMPORAL_TLS_CERT && e.TEMPORAL_TLS_KEY) {
    tls.clientCertPair = {
      crt: pemFile('TEMPORAL_TLS_CERT', e.TEMPORAL_TLS_CERT),
      key: pemFile('TEMPORAL_TLS_KEY', e.TEMPORAL_TLS_KEY),
    };
  }
  if (e.TEMPORAL_TLS_CA) tls.serverRootCACertificate = pemFile('TEMPORAL_TLS_CA', e.TEMPORAL_TLS_CA);
  return tls;
}

/** A PEM file's bytes; a missing, unreadable or non-PEM file stops start-up naming its variable. */
function pemFile(variable: string, file: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
    throw new ConfigError(
      `Invalid configuration: ${variable} must name a readable PEM file (${JSON.stringify(file)} ${reason})`,
    );
  }
  if (!bytes.includes('-----BEGIN ')) {
    throw new ConfigError(
      `Invalid configuration: ${variable} must name a PEM file (${JSON.stringify(file)} has no -----BEGIN line)`,
    );
  }
  return bytes;
}

function developmentJwtSecret(nodeEnv: Environment['NODE_ENV'], dataDir: string): string {
  if (nodeEnv === 'production') {
    throw new ConfigError(
      'Invalid configuration: JWT_SECRET must be set (32+ random characters) when NODE_ENV=production',
    );
  }
  const file = path.join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export function isIanaTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.includes('/') || zone === 'UTC';
  } catch {
    return false;
  }
}
