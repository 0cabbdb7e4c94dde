import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../src/api/app';
import { freePort } from '../scripts/dev/free-port';
import { createTemporalGateway } from '../src/temporal/client';
import { createTestContext, type TestContext } from './support/context';

const ROOT = path.resolve(import.meta.dirname, '..');

describe('infrastructure', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  it('delivers a message sent with nodemailer to MailDev, readable through its REST API', async () => {
    const to = `inbox-${randomUUID()}@example.test`;
    const marker = randomUUID();
    await ctx.mailer.sendMail({
      from: ctx.config.mail.from,
      to,
      subject: `Hello ${marker}`,
      text: 'plain',
      html: '<p>rich</p>',
    });
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
    const unreachable = createTemporalGateway({
      address: `127.0.0.1:${await freePort()}`,
      namespace: 'default',
      taskQueue: 'nowhere',
    });
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
    assert.equal(result.error, undefined, "docker-compose is installed (npm test installs Debian's package)");
    assert.equal(result.status, 0, result.stderr);
    const services = spawnSync('docker-compose', ['-f', 'docker-compose.yml', 'config', '--services'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, JWT_SECRET: 'x'.repeat(40), BOOKIT_ADMIN_PASSWORD: 'compose-check-password' },
    })
      .stdout.split('\n')
      .filter(Boolean)
      .sort();
    assert.deepEqual(services, ['api', 'maildev', 'postgres', 'temporal', 'temporal-setup', 'temporal-ui', 'worker']);
  });

  it('publishes every docker-compose port on 127.0.0.1 only: Temporal gRPC, its UI, MailDev and the API are not open to the network', () => {
    const resolved = spawnSync('docker-compose', ['-f', 'docker-compose.yml', 'config'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, JWT_SECRET: 'x'.repeat(40), BOOKIT_ADMIN_PASSWORD: 'compose-check-password' },
    });
    assert.equal(resolved.status, 0, resolved.stderr);
    const ports = publishedPorts(resolved.stdout);
    assert.deepEqual(ports.map((p) => `${p.service} ${p.published}`).sort(), [
      'api 3000',
      'maildev 1025',
      'maildev 1080',
      'temporal 7233',
      'temporal-ui 8233',
    ]);
    for (const port of ports)
      assert.equal(port.hostIp, '127.0.0.1', `${port.service} publishes ${port.published} on ${port.hostIp}`);
  });
});

interface PublishedPort {
  service: string;
  hostIp: string;
  published: string;
}

/**
 * The published ports in `docker-compose config` output, in either form it prints: a string
 * (`- 127.0.0.1:7233:7233/tcp`, `- 7233:7233/tcp`) or a mapping (`- published: 7233` with `target:`
 * and an optional `host_ip:`). No host IP means every interface.
 */
function publishedPorts(yaml: string): PublishedPort[] {
  const ports: PublishedPort[] = [];
  let inServices = false;
  let service = '';
  let inPorts = false;
  let mapping: Record<string, string> | null = null;
  const flush = () => {
    if (mapping) ports.push({ service, hostIp: mapping.host_ip ?? '0.0.0.0', published: mapping.published ?? '' });
    mapping = null;
  };
  for (const line of yaml.split('\n')) {
    const indent = line.length - line.trimStart().length;
    const text = line.trim();
    if (indent === 0) {
      flush();
      inServices = text === 'services:';
      inPorts = false;
      continue;
    }
    if (!inServices) continue;
    if (indent === 2 && text.endsWith(':')) {
      flush();
      service = text.slice(0, -1);
      inPorts = false;
      continue;
    }
    if (indent === 4 && !text.startsWith('- ')) {
      flush();
      inPorts = text === 'ports:';
      continue;
    }
    if (!inPorts) continue;
    if (text.startsWith('- ')) {
      flush();
      const entry = text.slice(2).replace(/^["']|["']$/g, '');
      const field = /^(\w+):\s*(.*)$/.exec(entry);
      if (field && !/^\d/.test(entry)) {
        mapping = { [field[1]!]: field[2]!.replace(/^["']|["']$/g, '') };
      } else {
        const parts = entry.replace(/\/\w+$/, '').split(':');
        ports.push({
          service,
          hostIp: parts.length >= 3 ? parts.slice(0, -2).join(':') : '0.0.0.0',
          published: parts.length >= 2 ? parts.at(-2)! : parts[0]!,
        });
      }
    } else if (mapping) {
      const field = /^(\w+):\s*(.*)$/.exec(text);
      if (field) mapping[field[1]!] = field[2]!.replace(/^["']|["']$/g, '');
    }
  }
  flush();
  return ports;
}
