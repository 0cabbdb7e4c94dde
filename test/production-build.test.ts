import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { addNodeSpecifiers } from '../scripts/build/node-specifiers';
import { freePort } from '../scripts/dev/free-port';
import { insertVenues } from '../scripts/dev/harness/fixtures';
import { bookingStateQuery } from '../src/contracts/booking-signals';
import { loadConfig } from '../src/config/config';
import { createSql, type Sql } from '../src/db/sql';
import { DAILY_DIGEST_SCHEDULE_ID } from '../src/temporal/workflow-ids';
import { eventually, slotAhead } from './support';

const ROOT = path.resolve(import.meta.dirname, '..');
const DAY = 86_400_000;

/**
 * `npm run build` into a directory of its own, run by plain `node` (no tsx) from a directory whose
 * node_modules holds only package.json's `dependencies`, as `npm ci --omit=dev` would leave it: a
 * runtime import of a devDependency fails here, as it would in the image. The API and the worker
 * run against the test stack's PostgreSQL (a new, empty database: the build's migrations make it)
 * and Temporal dev server.
 */
describe('the production build', () => {
  const config = loadConfig(process.env);
  let workDir: string;
  let outDir: string;
  let admin: Sql;
  let databaseName: string;
  let databaseUrl: string;
  let sql: Sql;
  const processes: RunningProcess[] = [];
  const env: Record<string, string> = {};

  before(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'bookit-build-'));
    outDir = path.join(workDir, 'dist');
    const [build] = await Promise.all([
      run('npm', ['run', 'build', '--', `--out-dir=${outDir}`], ROOT),
      productionNodeModules(path.join(workDir, 'node_modules')),
    ]);
    assert.equal(build.code, 0, `npm run build failed:\n${build.output}`);

    databaseName = `build_${randomBytes(5).toString('hex')}`;
    admin = createSql(config.database.url!, { max: 1 });
    await admin.unsafe(`create database ${databaseName}`);
    const url = new URL(config.database.url!);
    url.pathname = `/${databaseName}`;
    databaseUrl = url.toString();
    sql = createSql(databaseUrl, { max: 2 });

    const port = String(await freePort());
    Object.assign(env, {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: config.temporal.address!,
      TEMPORAL_NAMESPACE: config.temporal.namespace,
      TEMPORAL_TASK_QUEUE: `bookit-build-${randomBytes(4).toString('hex')}`,
      SMTP_URL: config.mail.smtpUrl!,
      JWT_SECRET: randomBytes(24).toString('hex'),
      BOOKIT_ADMIN_EMAIL: `admin-${randomBytes(4).toString('hex')}@example.test`,
      BOOKIT_ADMIN_PASSWORD: `pw-${randomBytes(9).toString('base64url')}`,
      // Production refuses less than OWASP's minimum (N=2^17); one hash for the admin, one per sign-in.
      PASSWORD_HASH_COST: '17',
      BOOKIT_DATA_DIR: path.join(workDir, 'data'),
      HOST: '127.0.0.1',
      PORT: port,
      // Production requires it: https, or localhost as here.
      PUBLIC_BASE_URL: `http://localhost:${port}`,
    });
  });

  after(async () => {
    await Promise.all(processes.map((child) => child.stop()));
    await sql?.end({ timeout: 5 });
    if (databaseName) await admin.unsafe(`drop database if exists ${databaseName} with (force)`);
    await admin?.end();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('writes the compiled server, the workflow bundle, the migrations, the templates and the web app', async () => {
    for (const file of [
      'package.json',
      'src/main/api.js',
      'src/main/worker.js',
      'workflow-bundle.js',
      'web/dist/index.html',
      'vendor/scalar-api-reference.js',
    ])
      assert.ok(await readFile(path.join(outDir, file)).catch(() => undefined), `${file} is in the build`);
    assert.deepEqual(await readdir(path.join(outDir, 'migrations')), await readdir(path.join(ROOT, 'migrations')));
    assert.deepEqual(JSON.parse(await readFile(path.join(outDir, 'package.json'), 'utf8')), { type: 'module' });
  });

  it('runs the API with node: it migrates an empty database from the build and answers /healthz, /readyz, the web app and /docs', async () => {
    const api = start(path.join(outDir, 'src/main/api.js'), env, workDir);
    processes.push(api);
    const base = `http://127.0.0.1:${env.PORT}`;
    const ready = await eventually(
      async () => {
        if (api.exitCode !== null) throw new Error(`the API exited with ${api.exitCode}:\n${api.output()}`);
        const response = await fetch(`${base}/readyz`).catch(() => undefined);
        return response?.status === 200 && response;
      },
      'the compiled API to be ready',
      60_000,
      250,
    );
    assert.deepEqual(await ready.json(), { status: 'ready', postgres: true, temporal: true });
    assert.equal((await fetch(`${base}/healthz`)).status, 200);

    const applied = await sql<{ name: string }[]>`select name from schema_migrations order by name`;
    assert.deepEqual(
      applied.map((row) => row.name),
      (await readdir(path.join(ROOT, 'migrations'))).filter((name) => name.endsWith('.sql')).sort(),
    );

    const page = await fetch(`${base}/bookings`, { headers: { accept: 'text/html' } });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<script type="module" src="\/assets\//);
    const viewer = await fetch(`${base}/docs/scalar.js`);
    assert.equal(viewer.status, 200, 'the /docs viewer comes from the build, not from a devDependency');
    assert.ok((await viewer.text()).length > 100_000);
  });

  it('runs the worker with node on the prebuilt workflow bundle: a booking made through the API has a running lifecycle that answers its state', async () => {
    const worker = start(path.join(outDir, 'src/main/worker.js'), env, workDir);
    processes.push(worker);
    await eventually(() => {
      if (worker.exitCode !== null) throw new Error(`the worker exited with ${worker.exitCode}:\n${worker.output()}`);
      return worker.output().includes('worker running');
    }, 'the compiled worker to start');

    const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
    try {
      const client = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });
      // As every test's worker does: the real schedules now aim at this task queue; the digest's
      // quarter-hour firings are not this test's business.
      await client.schedule.getHandle(DAILY_DIGEST_SCHEDULE_ID).pause('tests start the digest themselves');

      // Workflow ids come from row ids; on the run's one dev server this file's start in a range of their own.
      await sql`select setval('bookings_id_seq', ${process.pid * 1_000_000})`;
      const [venue] = await insertVenues(sql, [{ name: 'Build hall', timeZone: 'UTC' }]);
      const base = `http://127.0.0.1:${env.PORT}`;
      const login = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: env.BOOKIT_ADMIN_EMAIL, password: env.BOOKIT_ADMIN_PASSWORD }),
      });
      assert.equal(login.status, 200, await login.clone().text());
      const { access } = (await login.json()) as { access: string };
      const slot = slotAhead(3 * DAY, 2 * 3_600_000, 'UTC');
      const booked = await fetch(`${base}/api/bookings/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${access}` },
        body: JSON.stringify({
          venue,
          date: slot.date,
          start_time: slot.start_time,
          end_time: slot.end_time,
          event_name: 'Build check',
        }),
      });
      assert.equal(booked.status, 201, await booked.clone().text());
      const { id } = (await booked.json()) as { id: number };

      const handle = client.workflow.getHandle(`booking-${id}`);
      let lastError: unknown;
      const state = await eventually(
        () =>
          handle.query(bookingStateQuery).catch((error: unknown) => {
            lastError = error;
            return undefined;
          }),
        `booking-${id} to answer its state from the compiled worker`,
        60_000,
        250,
      ).catch((error: Error) => {
        throw new Error(
          `${error.message} (last: ${String(lastError)})\n--- worker ---\n${worker.output()}\n--- API ---\n${processes[0]?.output()}`,
        );
      });
      assert.equal(state.bookingId, id);
      assert.equal(worker.exitCode, null, worker.output());
    } finally {
      await connection.close();
    }
  });
});

describe('the build gives Node the files its loader needs', () => {
  it('adds .js or /index.js to relative specifiers, leaves packages and strings alone, and refuses one that names nothing', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bookit-specifiers-'));
    try {
      await mkdir(path.join(dir, 'rooms'));
      await writeFile(path.join(dir, 'rooms', 'index.js'), 'export const room = 1;\n');
      await writeFile(path.join(dir, 'sql.js'), 'export const sql = 2;\n');
      await writeFile(
        path.join(dir, 'main.js'),
        [
          "import { sql } from './sql';",
          "import { room } from './rooms';",
          "export * from './sql.js';",
          "import { pino } from 'pino';",
          "const later = () => import('./sql');",
          'const words = "import { x } from \'./nowhere\'";',
          '',
        ].join('\n'),
      );
      assert.equal(await addNodeSpecifiers(dir), 3);
      assert.equal(
        await readFile(path.join(dir, 'main.js'), 'utf8'),
        [
          "import { sql } from './sql.js';",
          "import { room } from './rooms/index.js';",
          "export * from './sql.js';",
          "import { pino } from 'pino';",
          "const later = () => import('./sql.js');",
          'const words = "import { x } from \'./nowhere\'";',
          '',
        ].join('\n'),
      );
      await writeFile(path.join(dir, 'broken.js'), "import { gone } from './gone';\n");
      await assert.rejects(addNodeSpecifiers(dir), /broken\.js imports '\.\/gone', which names no file in the build/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/**
 * A node_modules with only package.json's `dependencies`, each a link to the checkout's copy. What
 * they import in turn resolves from where they really are, as in a full install; what the build's
 * own files import must be one of these.
 */
async function productionNodeModules(dir: string): Promise<void> {
  const { dependencies } = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  for (const name of Object.keys(dependencies)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await symlink(path.join(ROOT, 'node_modules', name), path.join(dir, name), 'dir');
  }
}

interface RunningProcess {
  readonly exitCode: number | null;
  output(): string;
  stop(): Promise<void>;
}

/**
 * `node <script>` (no loader, no tsx), run in `cwd` (never the checkout), with its output kept (the
 * last 200 lines); stopped by SIGTERM as a service manager would, SIGKILL after 15 s.
 */
function start(script: string, env: Record<string, string>, cwd: string): RunningProcess {
  const child: ChildProcess = spawn(process.execPath, [script], { cwd, env });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - 200));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    get exitCode() {
      return child.exitCode ?? (child.signalCode ? -1 : null);
    },
    output: () => lines.join('\n'),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), sleep(15_000).then(() => false)]);
      if (!stopped) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

function run(command: string, args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: process.env });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
