import { randomBytes } from 'node:crypto';
import { insertUsers } from '../../scripts/dev/harness/fixtures';
import type { Role } from '../../src/auth/tokens';
import { loadConfig, type Config } from '../../src/config/config';
import { createLogger } from '../../src/log/logger';
import { createMailTransport } from '../../src/mail/transport';
import { createApp } from '../../src/api/app';
import type { ApiDeps } from '../../src/api/context';
import { apiDeps } from '../../src/api/server';
import { createTemporalGateway } from '../../src/temporal/client';
import { createTestDatabase, type TestDatabase } from './database';
import { Mailbox } from './mailbox';

export interface TestContext {
  config: Config;
  db: TestDatabase;
  deps: ApiDeps;
  app: ReturnType<typeof createApp>;
  mailbox: Mailbox;
  mailer: ReturnType<typeof createMailTransport>;
  /** Creates an active user with a known password, signed in through the API; `given(ctx)` names the usual ones. */
  createUser(role?: Role, overrides?: { email?: string; fullName?: string }): Promise<TestUser>;
  /** `app.request` with JSON and an optional bearer token. */
  request(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<Response>;
  /** Runs `stop` (and awaits it) when the context closes, before its own connections go, the latest registered first. */
  onClose(stop: () => unknown): void;
  close(): Promise<void>;
}

export interface TestUser {
  id: number;
  email: string;
  password: string;
  role: Role;
  token: string;
}

/**
 * What one test file needs: its own database on the run's PostgreSQL, the run's MailDev and
 * Temporal dev server (from the environment `npm test` provides), and the real Hono app.
 */
export async function createTestContext(overrides: Record<string, string> = {}): Promise<TestContext> {
  // Each file gets its own task queue, so its worker never picks up another file's workflows.
  const config = loadConfig({
    ...process.env,
    TEMPORAL_TASK_QUEUE: `bookit-test-${randomBytes(4).toString('hex')}`,
    ...overrides,
  });
  const db = await createTestDatabase(config.database.url!);
  const testConfig: Config = { ...config, database: { ...config.database, url: db.url } };
  const logger = createLogger(config.logLevel);
  const temporal = createTemporalGateway({
    address: config.temporal.address!,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
  });
  const deps = apiDeps(testConfig, db.sql, logger, temporal);
  const app = createApp(deps);
  const mailer = createMailTransport(config.mail.smtpUrl!);
  const mailbox = new Mailbox(`http://127.0.0.1:${config.mail.devWebPort}`);

  const request: TestContext['request'] = async (method, path, options = {}) =>
    app.request(path, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      body:
        options.body === undefined
          ? undefined
          : typeof options.body === 'string'
            ? options.body
            : JSON.stringify(options.body),
    });

  const createUser: TestContext['createUser'] = async (role = 'member', userOverrides = {}) => {
    const email = userOverrides.email ?? `${role}-${randomBytes(4).toString('hex')}@example.test`;
    const password = `pw-${randomBytes(9).toString('base64url')}`;
    const [row] = await insertUsers(
      db.sql,
      [{ email, fullName: userOverrides.fullName ?? `Test ${role}`, role, password }],
      config.auth.passwordHashCost,
    );
    const response = await request('POST', '/api/auth/login', { body: { email, password } });
    const { access } = (await response.json()) as { access: string };
    return { id: row!.id, email, password, role, token: access };
  };

  const closing: Array<() => unknown> = [];
  return {
    config: testConfig,
    db,
    deps,
    app,
    mailbox,
    mailer,
    createUser,
    request,
    onClose(stop) {
      closing.push(stop);
    },
    async close() {
      for (const stop of closing.splice(0).reverse()) await stop();
      mailer.close();
      await temporal.close();
      await db.drop();
    },
  };
}

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}@example.test`;
}
