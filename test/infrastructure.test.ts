import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../src/api/app';
import { freePort } from '../src/dev/free-port';
import { createTemporalGateway } from '../src/temporal/client';
import { createTestContext, type TestContext } from './support/context';

const ROOT = path.resolve(import.meta.dirname, '..');

describe('infrastructure', () => {
  let ctx: TestContext;
  before(async () => { ctx = await createTestContext(); });
  after(() => ctx.close());

  it('delivers a message sent with nodemailer to MailDev, readable through its REST API', async () => {
    const to = `inbox-${randomUUID()}@example.test`;
    const marker = randomUUID();
    await ctx.mailer.sendMail({ from: ctx.config.mail.from, to, subject: `Hello ${marker}`, text: 'plain', html: '<p>rich</p>' });
    const received = await ctx.mailbox.waitFor(to, (m) => m.subject === `Hello ${marker}`);
    assert.equal(received.text.trim(), 'plain');
    assert.match(received.html, /<p>rich<\/p>/);
  });

  it('is live on /healthz and ready on /readyz when PostgreSQL and Temporal answer', async () => {
    assert.deepEqual(await (await ctx.request('GET', '/healthz')).json(), { status: 'ok' });
    const ready = await ctx.request('GET', '/readyz/');
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ready', postgres: true, temporal: true });
  });

  it('answers /readyz with 503 naming Temporal when it does not answer', async () => {
    const unreachable = createTemporalGateway({ address: `127.0.0.1:${await freePort()}`, namespace: 'default', taskQueue: 'nowhere' });
    try {
      const app = createApp({ ...ctx.deps, temporal: unreachable });
      const response = await app.request('/readyz');
      assert.equal(response.status, 503);
      const body = (await response.json()) as { error: string; postgres: boolean; temporal: boolean };
      assert.equal(body.postgres, true);
      assert.equal(body.temporal, false);
      assert.match(body.error, /Temporal/);
    } finally {
      await unreachable.close();
    }
  });

  it('validates docker-compose.yml with docker-compose config', () => {
    const result = spawnSync('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, JWT_SECRET: 'x'.repeat(40), BOOKIT_ADMIN_PASSWORD: 'compose-check-password' },
    });
    assert.equal(result.error, undefined, 'docker-compose is installed (npm test installs Debian\'s package)');
    assert.equal(result.status, 0, result.stderr);
    const services = spawnSync('docker-compose', ['-f', 'docker-compose.yml', 'config', '--services'], {
      cwd: ROOT, encoding: 'utf8', env: { ...process.env, JWT_SECRET: 'x'.repeat(40), BOOKIT_ADMIN_PASSWORD: 'compose-check-password' },
    }).stdout.split('\n').filter(Boolean).sort();
    assert.deepEqual(services, ['api', 'maildev', 'postgres', 'temporal', 'temporal-setup', 'temporal-ui', 'worker']);
  });
});
