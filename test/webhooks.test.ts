import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import postgres from 'postgres';
import { WebhookVerificationError } from 'standardwebhooks';
import { createApp } from '../src/api/app';
import { startApiServer } from '../src/api/server';
import type { Config } from '../src/config/config';
import { freePort } from '../scripts/dev/free-port';
import { deliverWebhookEvent, markWebhookEventFailed, type WebhookDeps, type WebhookEvent } from '../src/webhooks';
import { WEBHOOK_EVENT_TYPES, type SubscribableEventType } from '../src/webhooks/event-types';
import { assertAccessible, assertFitsWidth, DESKTOP, launchChromium, PHONE, tabTo } from './support/browser';
import { createTestContext, type TestContext, type TestUser } from './support/context';
import { Receiver, verify } from './support/webhook-receiver';
import { navigate, signIn, waitForText } from './support/web-person';

interface EndpointAnswer {
  id: number;
  url: string;
  event_types: string[];
  active: boolean;
  disabled_reason: string | null;
  secret?: string;
}

describe('signed webhooks: endpoints, Standard Webhooks signatures, retries, the address rule (real receiver on 127.0.0.1)', () => {
  let ctx: TestContext;
  let receiver: Receiver;
  let admin: TestUser;
  let member: TestUser;
  let hallAdmin: TestUser;
  let deps: WebhookDeps;
  const logLines: string[] = [];

  before(async () => {
    // A port of its own, so the last test can serve the web app to Chromium from this context.
    const port = await freePort();
    ctx = await createTestContext({
      WEBHOOK_ALLOW_PRIVATE: 'true',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    });
    receiver = new Receiver();
    await receiver.start();
    [admin, member, hallAdmin] = await Promise.all([
      ctx.createUser('super_admin'),
      ctx.createUser('member'),
      ctx.createUser('hall_admin'),
    ]);
    // Every log line delivery writes, kept to show no secret is ever in one.
    const logger = pino(
      { level: 'debug' },
      new Writable({
        write: (chunk: Buffer, _encoding, done) => {
          logLines.push(chunk.toString('utf8'));
          done();
        },
      }),
    );
    deps = { sql: ctx.db.sql, config: ctx.config, logger };
  });
  after(async () => {
    await receiver.close();
    await ctx.close();
  });

  const register = async (
    url: string,
    eventTypes: SubscribableEventType[],
    description = 'test receiver',
  ): Promise<EndpointAnswer & { secret: string }> => {
    const response = await ctx.request('POST', '/api/webhooks', {
      token: admin.token,
      body: { url, event_types: eventTypes, description },
    });
    assert.equal(response.status, 201, await response.clone().text());
    return (await response.json()) as EndpointAnswer & { secret: string };
  };

  const event = (type: SubscribableEventType, data: Record<string, unknown> = { booking_id: 42 }): WebhookEvent => ({
    id: `booking:42:${type}:${randomUUID()}`,
    type,
    occurredAt: '2031-01-10T04:30:00.000Z',
    data,
  });

  const deliveryRow = async (endpointId: number, eventId: string) => {
    const [row] = await ctx.db.sql<
      {
        status: string;
        attempts: number;
        last_status_code: number | null;
        last_error: string | null;
        response_excerpt: string | null;
      }[]
    >`
      select status, attempts, last_status_code, last_error, response_excerpt from webhook_deliveries where endpoint_id = ${endpointId} and event_id = ${eventId}`;
    return row;
  };

  it('registers an endpoint with its whsec_ secret shown once: never in GET answers, and not stored in the clear', async () => {
    const { url } = receiver.endpoint();
    const created = await register(url, ['booking.created', 'booking.cancelled', 'booking.created']);
    assert.match(created.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.equal(Buffer.from(created.secret.slice('whsec_'.length), 'base64').length, 32);
    assert.deepEqual(
      created.event_types,
      ['booking.created', 'booking.cancelled'],
      'each type once, in catalogue order',
    );
    assert.equal(created.active, true);

    for (const path of ['/api/webhooks', `/api/webhooks/${created.id}`, `/api/webhooks/${created.id}/deliveries`]) {
      const response = await ctx.request('GET', path, { token: admin.token });
      assert.equal(response.status, 200, path);
      const text = await response.text();
      assert.ok(!text.includes(created.secret.slice('whsec_'.length, 20)), `${path} shows no secret`);
      assert.ok(!/secret"/.test(text), `${path} has no secret field`);
    }
    const listed = (await (
      await ctx.request('GET', '/api/webhooks', { token: admin.token })
    ).json()) as EndpointAnswer[];
    assert.ok(listed.some((endpoint) => endpoint.id === created.id && endpoint.url === url));

    const [stored] = await ctx.db.sql<
      { secret_sealed: Buffer }[]
    >`select secret_sealed from webhook_endpoints where id = ${created.id}`;
    const raw = Buffer.from(created.secret.slice('whsec_'.length), 'base64');
    assert.ok(
      stored && !stored.secret_sealed.includes(raw) && !stored.secret_sealed.includes(Buffer.from(created.secret)),
      'sealed, not in the clear',
    );

    const types = (await (
      await ctx.request('GET', '/api/webhooks/event_types', { token: admin.token })
    ).json()) as Array<{ type: string; description: string }>;
    assert.deepEqual(
      types.map((t) => t.type),
      [...WEBHOOK_EVENT_TYPES],
      'every notice event, in catalogue order',
    );
    assert.ok(
      types.every((t) => t.description.length > 0),
      'each described',
    );
    assert.equal(types[0]?.type, 'booking.created');
  });

  it('refuses unknown event types and unknown fields with a 400 naming the field', async () => {
    const { url } = receiver.endpoint();
    const unknownType = await ctx.request('POST', '/api/webhooks', {
      token: admin.token,
      body: { url, event_types: ['booking.exploded'] },
    });
    assert.equal(unknownType.status, 400);
    assert.match(((await unknownType.json()) as { error: string }).error, /event_types/);
    const none = await ctx.request('POST', '/api/webhooks', { token: admin.token, body: { url, event_types: [] } });
    assert.equal(none.status, 400);
    assert.match(((await none.json()) as { error: string }).error, /event_types/);
    const missingUrl = await ctx.request('POST', '/api/webhooks', {
      token: admin.token,
      body: { event_types: ['announcement'] },
    });
    assert.equal(missingUrl.status, 400);
    assert.match(((await missingUrl.json()) as { error: string }).error, /url/);
  });

  it('POSTs each event signed per Standard Webhooks to the endpoints that hear its type, once each even when delivered twice (and twice at once) with the same event id', async () => {
    const booking = receiver.endpoint();
    const cancels = receiver.endpoint();
    const idle = receiver.endpoint();
    const bookingHook = await register(booking.url, ['booking.created', 'booking.cancelled']);
    const cancelHook = await register(cancels.url, ['booking.cancelled']);
    const idleHook = await register(idle.url, ['booking.created']);
    const off = await ctx.request('PATCH', `/api/webhooks/${idleHook.id}`, {
      token: admin.token,
      body: { active: false },
    });
    assert.equal(((await off.json()) as EndpointAnswer).active, false);

    const created = event('booking.created', {
      booking_id: 42,
      venue: 'Banyan Hall',
      starts_at: '2031-01-11T04:30:00.000Z',
    });
    await deliverWebhookEvent(deps, created);
    await deliverWebhookEvent(deps, created);
    const cancelled = event('booking.cancelled', { booking_id: 42, reason: 'Moved online' });
    // Two attempts at once: for each endpoint one POSTs, and the other finds it in flight and asks to be retried.
    const together = await Promise.allSettled([
      deliverWebhookEvent(deps, cancelled),
      deliverWebhookEvent(deps, cancelled),
    ]);
    for (const result of together)
      if (result.status === 'rejected') assert.match(String(result.reason), /another attempt is delivering it now/);
    await deliverWebhookEvent(deps, cancelled);

    assert.deepEqual(
      [...receiver.countsById(booking.path)].sort(),
      [
        [cancelled.id, 1],
        [created.id, 1],
      ].sort(),
    );
    assert.deepEqual([...receiver.countsById(cancels.path)], [[cancelled.id, 1]]);
    assert.equal(receiver.to(idle.path).length, 0, 'an endpoint turned off hears nothing');

    for (const received of receiver.to(booking.path)) {
      const payload = verify(bookingHook.secret, received);
      assert.equal(received.headers['content-type'], 'application/json');
      assert.match(received.headers['webhook-timestamp'] ?? '', /^\d{10}$/);
      assert.match(received.headers['webhook-signature'] ?? '', /^v1,[A-Za-z0-9+/]+=*$/);
      const sent = received.headers['webhook-id'] === created.id ? created : cancelled;
      assert.deepEqual(payload, { type: sent.type, timestamp: sent.occurredAt, data: sent.data });
      assert.throws(
        () => verify(cancelHook.secret, received),
        WebhookVerificationError,
        "another endpoint's secret does not verify it",
      );
    }
    verify(cancelHook.secret, receiver.to(cancels.path)[0]!);

    const row = await deliveryRow(bookingHook.id, created.id);
    assert.equal(row?.status, 'delivered');
    assert.equal(row?.attempts, 1);
    assert.equal(row?.last_status_code, 200);
    assert.ok((row?.response_excerpt?.length ?? 0) <= 200, 'only an excerpt of the answer is kept');

    const log = logLines.join('');
    assert.match(log, /webhook delivered/);
    for (const secret of [bookingHook.secret, cancelHook.secret, idleHook.secret])
      assert.ok(!log.includes(secret.slice(6, 26)), 'no secret in the logs');
  });

  it('an event no endpoint hears costs one query and sends nothing', async () => {
    let queries = 0;
    const counted = postgres(ctx.db.url, { max: 1, onnotice: () => {}, debug: () => queries++ });
    try {
      // Connected first, so what postgres.js asks at connection time is not counted.
      await counted`select 1`;
      queries = 0;
      const before = receiver.received.length;
      await deliverWebhookEvent({ ...deps, sql: counted }, event('digest.daily'));
      assert.equal(queries, 1);
      assert.equal(receiver.received.length, before);
    } finally {
      await counted.end();
    }
  });

  it('a receiver answering 500 then 200: the first call throws a retryable error (Temporal retries it), the second delivers', async () => {
    const flaky = receiver.endpoint([500, 200]);
    const hook = await register(flaky.url, ['booking.reminder']);
    const reminder = event('booking.reminder');

    await assert.rejects(
      deliverWebhookEvent(deps, reminder),
      (error: unknown) =>
        error instanceof Error &&
        error.constructor === Error &&
        /not yet delivered to 1 endpoint.*500/.test(error.message),
    );
    const waiting = await deliveryRow(hook.id, reminder.id);
    assert.deepEqual([waiting?.status, waiting?.attempts, waiting?.last_status_code], ['pending', 1, 500]);

    await deliverWebhookEvent(deps, reminder);
    const done = await deliveryRow(hook.id, reminder.id);
    assert.deepEqual(
      [done?.status, done?.attempts, done?.last_status_code, done?.last_error],
      ['delivered', 2, 200, null],
    );
    await deliverWebhookEvent(deps, reminder);
    const attempts = receiver.to(flaky.path);
    assert.equal(attempts.length, 2, 'tried twice, delivered once, then left alone');
    for (const attempt of attempts) {
      assert.equal(attempt.headers['webhook-id'], reminder.id, 'the same webhook-id on every attempt');
      verify(hook.secret, attempt);
    }
  });

  it('retries 408 and 429, but a 4xx refusal is final: logged failed and not sent again', async () => {
    const busy = receiver.endpoint([429, 408, 200]);
    const refusing = receiver.endpoint([400]);
    const busyHook = await register(busy.url, ['waitlist.offer']);
    const refusingHook = await register(refusing.url, ['waitlist.offer']);
    const offer = event('waitlist.offer');

    await assert.rejects(deliverWebhookEvent(deps, offer), /429/);
    const refused = await deliveryRow(refusingHook.id, offer.id);
    assert.deepEqual([refused?.status, refused?.last_status_code], ['failed', 400]);
    assert.match(refused?.last_error ?? '', /refused it with 400/);
    await assert.rejects(deliverWebhookEvent(deps, offer), /408/);
    await deliverWebhookEvent(deps, offer);
    assert.equal((await deliveryRow(busyHook.id, offer.id))?.status, 'delivered');
    assert.equal(receiver.to(refusing.path).length, 1, 'the refusing receiver was asked once');
    assert.equal(receiver.to(busy.path).length, 3);
  });

  it('410 Gone from the receiver turns the endpoint off, says why, and sends it nothing more until it is turned on again', async () => {
    const gone = receiver.endpoint([410, 200]);
    const hook = await register(gone.url, ['announcement']);
    const first = event('announcement', { title: 'Closed on Friday' });
    await deliverWebhookEvent(deps, first);
    assert.equal((await deliveryRow(hook.id, first.id))?.status, 'failed');
    const after410 = (await (
      await ctx.request('GET', `/api/webhooks/${hook.id}`, { token: admin.token })
    ).json()) as EndpointAnswer;
    assert.equal(after410.active, false);
    assert.match(after410.disabled_reason ?? '', /410 Gone/);

    await deliverWebhookEvent(deps, event('announcement'));
    assert.equal(receiver.to(gone.path).length, 1, 'nothing sent while off');

    const on = (await (
      await ctx.request('PATCH', `/api/webhooks/${hook.id}`, { token: admin.token, body: { active: true } })
    ).json()) as EndpointAnswer;
    assert.deepEqual([on.active, on.disabled_reason], [true, null]);
    const second = event('announcement');
    await deliverWebhookEvent(deps, second);
    assert.equal((await deliveryRow(hook.id, second.id))?.status, 'delivered');
  });

  it('after the last retry, markWebhookEventFailed logs every undelivered delivery failed, and a late retry sends nothing', async () => {
    const down = receiver.endpoint([503]);
    const hook = await register(down.url, ['booking.no_show']);
    const noShow = event('booking.no_show');
    await assert.rejects(deliverWebhookEvent(deps, noShow), /503/);
    await markWebhookEventFailed(deps, noShow.id, 'gave up after 24 h of retries');
    const row = await deliveryRow(hook.id, noShow.id);
    assert.equal(row?.status, 'failed');
    assert.match(row?.last_error ?? '', /gave up after 24 h of retries \(last attempt: the receiver answered 503\)/);
    await deliverWebhookEvent(deps, noShow);
    assert.equal(receiver.to(down.path).length, 1);
  });

  it('"send test event" POSTs a signed webhook.test now, answers the receiver\'s status, and records it in the delivery log', async () => {
    const target = receiver.endpoint([200, 500]);
    const hook = await register(target.url, ['user.welcome']);
    const ok = await ctx.request('POST', `/api/webhooks/${hook.id}/test`, { token: admin.token });
    assert.equal(ok.status, 200);
    const result = (await ok.json()) as {
      delivered: boolean;
      status_code: number | null;
      error: string | null;
      delivery: { id: number; event_id: string; event_type: string; status: string };
    };
    assert.deepEqual([result.delivered, result.status_code, result.error], [true, 200, null]);
    assert.deepEqual([result.delivery.event_type, result.delivery.status], ['webhook.test', 'delivered']);
    const [received] = receiver.to(target.path);
    assert.equal(received?.headers['webhook-id'], result.delivery.event_id);
    assert.equal(verify(hook.secret, received!).type, 'webhook.test');

    const failing = (await (
      await ctx.request('POST', `/api/webhooks/${hook.id}/test`, { token: admin.token })
    ).json()) as typeof result;
    assert.deepEqual(
      [failing.delivered, failing.status_code, failing.delivery.status],
      [false, 500, 'failed'],
      'one attempt: a test event is not retried',
    );

    const log = await ctx.request('GET', `/api/webhooks/${hook.id}/deliveries?limit=1`, { token: admin.token });
    const page = (await log.json()) as Array<{ id: number; status: string }>;
    assert.deepEqual(
      page.map((d) => d.status),
      ['failed'],
      'newest first',
    );
    assert.match(log.headers.get('link') ?? '', new RegExp(`before=${page[0]!.id}.*rel="next"`));
    assert.equal((await ctx.request('POST', '/api/webhooks/999999999/test', { token: admin.token })).status, 404);
  });

  it('rotating the secret shows the new one once; the old one no longer verifies what is sent', async () => {
    const target = receiver.endpoint();
    const hook = await register(target.url, ['venue.admin_assigned']);
    const rotated = await ctx.request('POST', `/api/webhooks/${hook.id}/rotate_secret`, { token: admin.token });
    assert.equal(rotated.status, 200);
    const { secret } = (await rotated.json()) as { secret: string };
    assert.match(secret, /^whsec_/);
    assert.notEqual(secret, hook.secret);

    const assigned = event('venue.admin_assigned', { venue_id: 3, user_id: 7 });
    await deliverWebhookEvent(deps, assigned);
    const [received] = receiver.to(target.path);
    assert.equal(verify(secret, received!).type, 'venue.admin_assigned');
    assert.throws(() => verify(hook.secret, received!), WebhookVerificationError);
    assert.equal(
      (received!.headers['webhook-signature'] ?? '').split(' ').length,
      1,
      'one signature: the old secret stops signing at once',
    );
  });

  it('refuses private and loopback URLs at registration with a 400 JSON naming url when WEBHOOK_ALLOW_PRIVATE is off, and plain http', async () => {
    const strict: Config = { ...ctx.config, webhooks: { allowPrivate: false } };
    const strictApp = createApp({ ...ctx.deps, config: strict });
    const post = (body: unknown) =>
      strictApp.request('/api/webhooks', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` },
        body: JSON.stringify(body),
      });
    for (const url of [
      'https://127.0.0.1/hook',
      'https://localhost/hook',
      'https://[::1]/hook',
      'https://[::ffff:127.0.0.1]/hook',
      'https://10.0.0.8/hook',
      'https://192.168.1.20/hook',
      'https://169.254.169.254/latest/meta-data',
      'https://[fe80::1]/hook',
      'https://[fd00::1]/hook',
      'https://224.0.0.1/hook',
      'https://0.0.0.0/hook',
      'http://8.8.8.8/hook',
    ]) {
      const response = await post({ url, event_types: ['booking.created'] });
      assert.equal(response.status, 400, url);
      assert.match(response.headers.get('content-type') ?? '', /application\/json/);
      const { error } = (await response.json()) as { error: string };
      assert.match(error, /^url /, `${url}: ${error}`);
    }
    const existing = await register(receiver.endpoint().url, ['booking.created']);
    const moved = await strictApp.request(`/api/webhooks/${existing.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` },
      body: JSON.stringify({ url: 'https://[::ffff:10.0.0.1]/hook' }),
    });
    assert.equal(moved.status, 400);
    assert.match(((await moved.json()) as { error: string }).error, /url is refused: .*private, IPv4-mapped/);
  });

  it('resolves the host at delivery time and refuses one that resolves inside (localhost) without connecting to it', async () => {
    const strictDeps: WebhookDeps = { ...deps, config: { ...ctx.config, webhooks: { allowPrivate: false } } };
    const viaName = await register(`https://localhost:${receiver.port}/hooks/by-name`, ['booking.rescheduled']);
    const viaHttp = await register(`http://127.0.0.1:${receiver.port}/hooks/plain`, ['booking.rescheduled']);
    const connectionsBefore = receiver.connections;
    const moved = event('booking.rescheduled');
    // Both refusals are final (the same URL will not become public by retrying), so nothing is thrown.
    await deliverWebhookEvent(strictDeps, moved);
    const byName = await deliveryRow(viaName.id, moved.id);
    assert.equal(byName?.status, 'failed');
    assert.match(byName?.last_error ?? '', /localhost resolves to (127\.0\.0\.1|::1), a loopback address/);
    const plain = await deliveryRow(viaHttp.id, moved.id);
    assert.equal(plain?.status, 'failed');
    assert.match(plain?.last_error ?? '', /plain http is refused/);
    assert.equal(receiver.connections, connectionsBefore, 'no connection was made');
  });

  it('keeps webhooks to super admins: 401 without a token, 403 for members and hall admins', async () => {
    const target = receiver.endpoint();
    const hook = await register(target.url, ['booking.created']);
    const routes: Array<[string, string, unknown?]> = [
      ['POST', '/api/webhooks', { url: receiver.endpoint().url, event_types: ['booking.created'] }],
      ['GET', '/api/webhooks'],
      ['GET', '/api/webhooks/event_types'],
      ['GET', `/api/webhooks/${hook.id}`],
      ['PATCH', `/api/webhooks/${hook.id}`, { active: false }],
      ['DELETE', `/api/webhooks/${hook.id}`],
      ['POST', `/api/webhooks/${hook.id}/rotate_secret`],
      ['POST', `/api/webhooks/${hook.id}/test`],
      ['GET', `/api/webhooks/${hook.id}/deliveries`],
    ];
    for (const [method, path, body] of routes) {
      assert.equal((await ctx.request(method, path, { body })).status, 401, `${method} ${path} anonymous`);
      for (const who of [member, hallAdmin]) {
        const response = await ctx.request(method, path, { token: who.token, body });
        assert.equal(response.status, 403, `${method} ${path} as ${who.role}`);
        assert.ok(!(await response.text()).includes('whsec_'));
      }
    }
    assert.equal(receiver.to(target.path).length, 0, 'no test event was sent for them');
    const still = (await (
      await ctx.request('GET', `/api/webhooks/${hook.id}`, { token: admin.token })
    ).json()) as EndpointAnswer;
    assert.equal(still.active, true, 'nobody else changed it');
  });

  it('deletes an endpoint with its delivery log; it is then not found', async () => {
    const hook = await register(receiver.endpoint().url, ['booking.auto_cancelled']);
    await deliverWebhookEvent(deps, event('booking.auto_cancelled'));
    const deleted = await ctx.request('DELETE', `/api/webhooks/${hook.id}`, { token: admin.token });
    assert.equal(deleted.status, 200);
    assert.equal((await ctx.request('GET', `/api/webhooks/${hook.id}`, { token: admin.token })).status, 404);
    assert.equal((await ctx.request('DELETE', `/api/webhooks/${hook.id}`, { token: admin.token })).status, 404);
    const [{ count } = { count: -1 }] = await ctx.db.sql<
      { count: number }[]
    >`select count(*)::int as count from webhook_deliveries where endpoint_id = ${hook.id}`;
    assert.equal(count, 0);
  });

  it('the web page: a super admin adds an endpoint, copies the secret shown once, sends a test event, reads the log, rotates and deletes, by keyboard and at 375 px', async () => {
    const server = await startApiServer(ctx.deps);
    const browser = await launchChromium(ctx.config);
    try {
      for (const viewport of [DESKTOP, PHONE]) {
        const context = await browser.newContext({ viewport, baseURL: server.url, locale: 'en-GB', timezoneId: 'UTC' });
        const page = await context.newPage();
        const where = `the webhooks page at ${viewport.width} px`;
        const target = receiver.endpoint();
        await signIn(page, admin.email, admin.password);
        await navigate(page, 'Webhooks');
        await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
        await page.getByRole('checkbox', { name: /A booking was made/ }).waitFor();
        await assertAccessible(page, where);

        await page.getByLabel('URL').fill(target.url);
        await page.getByLabel('Description (optional)').fill(`Relay ${viewport.width}`);
        await page.getByRole('checkbox', { name: /A booking was made/ }).check();
        await page.getByRole('checkbox', { name: /A booking was cancelled \(/ }).check();
        await tabTo(page, page.getByRole('button', { name: 'Add endpoint' }));
        await page.keyboard.press('Enter');
        const secretField = page.getByLabel(/^Secret for/);
        await secretField.waitFor();
        const secret = await secretField.inputValue();
        assert.match(secret, /^whsec_/);
        await assertAccessible(page, `${where}, showing the secret`);
        await assertFitsWidth(page, `${where}, showing the secret`);
        await page.getByRole('button', { name: 'I have saved it' }).click();
        await secretField.waitFor({ state: 'hidden' });
        await page.reload();
        await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
        await page.getByText(target.url).waitFor();
        assert.ok(!(await page.content()).includes(secret.slice(6)), 'the secret is not shown again');

        const name = `Relay ${viewport.width}`;
        await tabTo(page, page.getByRole('button', { name: `Send test event: ${name}` }));
        await page.keyboard.press('Enter');
        await waitForText(
          page.getByRole('status').filter({ hasText: /Test event/ }),
          /Test event delivered: the receiver answered 200\./,
          "the test event's outcome",
        );
        const [received] = receiver.to(target.path);
        assert.equal(verify(secret, received!).type, 'webhook.test', 'verified with the secret the page showed');

        await page.getByRole('button', { name: `Recent deliveries: ${name}` }).click();
        const log = page.getByRole('region', { name: `Recent deliveries to ${name}` });
        await waitForText(log, /webhook\.test[\s\S]*delivered/, 'the delivery log');
        await assertAccessible(page, `${where}, with the delivery log`);
        await assertFitsWidth(page, `${where}, with the delivery log`);

        await page.getByRole('button', { name: `Rotate secret: ${name}` }).click();
        await page.getByRole('dialog').getByRole('button', { name: 'Make a new secret' }).click();
        await waitForText(
          page.getByRole('heading', { name: 'New signing secret' }),
          /New signing secret/,
          'the new secret',
        );
        const rotated = await page.getByLabel(/^Secret for/).inputValue();
        assert.notEqual(rotated, secret);

        await page.getByRole('button', { name: `Delete: ${name}` }).click();
        await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
        await waitForText(
          page.getByRole('status').filter({ hasText: /Deleted/ }),
          /Deleted the endpoint/,
          'the deletion',
        );
        await page.getByRole('heading', { name: target.url }).waitFor({ state: 'hidden' });
        assert.equal(await page.getByLabel(/^Secret for/).count(), 0, "the deleted endpoint's secret is put away");
        await context.close();
      }
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
