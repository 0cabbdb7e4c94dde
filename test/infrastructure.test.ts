import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { createApp } from '../src/api/app';
import { freePort } from '../scripts/dev/free-port';
import { SEARCH_ATTRIBUTE_TYPES } from '../src/contracts/search-attributes';
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
    assert.deepEqual(services, [
      'api',
      'maildev',
      'postgres',
      'temporal',
      'temporal-schema',
      'temporal-setup',
      'temporal-ui',
      'worker',
    ]);
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

  it('runs the Temporal server image, not auto-setup: the admin tools set up its schema before it starts, and its namespace and search attributes once it answers', () => {
    const { services } = composeConfig();
    const images = Object.entries(services).map(([name, service]) => `${name} ${service.image ?? '(built)'}`);
    assert.ok(!images.some((image) => image.includes('auto-setup')), images.join('\n'));
    assert.equal(services.temporal?.image, 'temporalio/server:1.29.1');
    const adminTools = /^temporalio\/admin-tools:1\.29\.1(-|$)/;
    assert.match(services['temporal-schema']?.image ?? '', adminTools, 'the admin tools of the same server version');
    assert.match(services['temporal-setup']?.image ?? '', adminTools);
    assert.deepEqual(services['temporal-schema']?.entrypoint, ['sh', '/deploy/setup-schema.sh']);
    assert.deepEqual(services['temporal-setup']?.entrypoint, ['sh', '/deploy/setup-namespace.sh']);

    assert.deepEqual(services.temporal?.depends_on, {
      'temporal-schema': { condition: 'service_completed_successfully' },
    });
    assert.deepEqual(services['temporal-schema']?.depends_on, { postgres: { condition: 'service_healthy' } });
    assert.deepEqual(services['temporal-setup']?.depends_on, { temporal: { condition: 'service_healthy' } });
    assert.equal(services.api?.depends_on?.['temporal-setup']?.condition, 'service_completed_successfully');
    assert.equal(services.temporal?.environment?.DB, 'postgres12');
    assert.equal(services['temporal-schema']?.environment?.SQL_PLUGIN, 'postgres12');

    for (const script of ['setup-schema.sh', 'setup-namespace.sh']) {
      const syntax = spawnSync('sh', ['-n', path.join(ROOT, 'deploy', 'temporal', script)], { encoding: 'utf8' });
      assert.equal(syntax.status, 0, `${script}: ${syntax.stderr}`);
    }
    const setup = readFileSync(path.join(ROOT, 'deploy', 'temporal', 'setup-namespace.sh'), 'utf8');
    const attributes = /for attribute in ([^;]+);/.exec(setup)?.[1]?.trim().split(/\s+/) ?? [];
    assert.deepEqual(
      attributes.sort(),
      Object.entries(SEARCH_ATTRIBUTE_TYPES)
        .map(([name, type]) => `${name}:${type}`)
        .sort(),
      'the setup creates exactly the search attributes the workflows upsert',
    );
  });

  it('runs the API and the worker as the compiled build of the Dockerfile: node dist/..., no tsx, no devDependency, not as root', () => {
    const { services } = composeConfig();
    assert.deepEqual(services.api?.command, ['node', 'dist/src/main/api.js']);
    assert.deepEqual(services.worker?.command, ['node', 'dist/src/main/worker.js']);
    for (const name of ['api', 'worker'])
      assert.equal(services[name]?.build?.context, ROOT, `${name} builds the Dockerfile`);

    const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    const stages = dockerfile.split(/^FROM /m).slice(1);
    assert.equal(stages.length, 2, 'a build stage and a runtime stage');
    const [build = '', runtime = ''] = stages;
    assert.match(build, /AS build\n/);
    assert.match(build, /^RUN npm ci\b/m);
    assert.match(build, /^RUN npm run build$/m);
    assert.match(runtime, /^RUN npm ci --omit=dev --ignore-scripts\b/m);
    assert.match(runtime, /^COPY --from=build \/app\/dist \.\/dist$/m);
    assert.match(runtime, /^COPY --from=build \/app\/node_modules\/postgres /m, 'the patched postgres.js');
    assert.match(runtime, /^USER node$/m);
    assert.match(runtime, /^CMD \["node", "dist\/src\/main\/api\.js"\]$/m);
    assert.doesNotMatch(runtime, /\btsx\b|npm run/, 'the runtime runs node on the build, not a package script');
  });
});

interface ComposeService {
  image?: string;
  build?: { context: string };
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
}

/** `docker-compose config` (anchors merged, paths resolved) as data. */
function composeConfig(): { services: Record<string, ComposeService> } {
  const resolved = spawnSync('docker-compose', ['-f', 'docker-compose.yml', 'config'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, JWT_SECRET: 'x'.repeat(40), BOOKIT_ADMIN_PASSWORD: 'compose-check-password' },
  });
  assert.equal(resolved.status, 0, resolved.stderr);
  return parseYaml(resolved.stdout) as { services: Record<string, ComposeService> };
}

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
