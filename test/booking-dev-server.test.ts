import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { countPending } from '../src/db/outbox';
import { freePort } from '../scripts/dev/free-port';
import { resolveTemporalCli } from '../scripts/dev/temporal-cli';
import { startTemporalDevServer, type RunningTemporal } from '../scripts/dev/temporal-dev-server';
import { createLogger } from '../src/log/logger';
import { createTemporalGateway, type TemporalGateway } from '../src/temporal/client';
import { startOutboxRelay } from '../src/temporal/outbox-relay';
import { reconcileBookingWorkflows } from '../src/temporal/reconcile';
import { startWorker } from '../src/worker/worker';
import { createApp } from '../src/api/app';
import { bookingStateQuery } from '../src/contracts/booking-signals';
import { bookingPhaseKey, eventStartKey, venueIdKey } from '../src/contracts/search-attributes';
import {
  createTestContext,
  eventually,
  given,
  slotAhead,
  withWorker,
  type TestContext,
  type TestUser,
} from './support';

const HOUR = 3_600_000;
const ZONE = 'Asia/Kolkata';

describe('a booking on the Temporal dev server, as an operator sees it in the Web UI', () => {
  let ctx: TestContext;
  let member: TestUser;
  before(async () => {
    ctx = await createTestContext();
    await withWorker(ctx);
    member = await ctx.createUser('member');
  });
  after(() => ctx.close());

  it('has a summary, details, search attributes and a state query, and is found by a visibility query on its phase', async () => {
    const venue = await given(ctx).venue({ name: 'LRDC Hall', timeZone: ZONE });
    const {
      booking: { id },
      slot,
    } = await given(ctx).booking(member, venue, { aheadMs: 72 * HOUR, eventName: 'Board meeting' });
    const handle = ctx.deps.temporal.client.workflow.getHandle(`booking-${id}`);
    const state = await eventually(async () => {
      const s = await handle.query(bookingStateQuery).catch(() => undefined);
      return s?.phase === 'awaiting_reminder' && s.nextDeadline ? s : undefined;
    }, 'the workflow to reach awaiting_reminder');
    assert.equal(state.nextDeadline, new Date(slot.startsAt.getTime() - 24 * HOUR).toISOString());

    const description = await eventually(async () => {
      const d = await handle.describe();
      return d.typedSearchAttributes.get(bookingPhaseKey) ? d : undefined;
    }, 'the search attributes to be recorded');
    assert.equal(
      await description.staticSummary(),
      `LRDC Hall · ${slot.date} ${slot.start_time}–${slot.end_time} · Booking ${id}`,
    );
    // The operator's query, scoped to this file's task queue: other files on the shared dev server
    // have venues numbered from 1 too.
    const query = `BookingPhase = "awaiting_reminder" AND VenueId = ${venue.id} AND TaskQueue = "${ctx.config.temporal.taskQueue}"`;
    const listed = await eventually(async () => {
      const found: string[] = [];
      for await (const wf of ctx.deps.temporal.client.workflow.list({ query })) found.push(wf.workflowId);
      return found.length ? found : undefined;
    }, 'visibility to list the booking');
    assert.deepEqual(listed, [`booking-${id}`]);
    assert.equal(description.typedSearchAttributes.get(eventStartKey)?.toISOString(), slot.startsAt.toISOString());
    assert.equal(description.typedSearchAttributes.get(venueIdKey), venue.id);
    assert.equal(description.typedSearchAttributes.get(bookingPhaseKey), 'awaiting_reminder');
  });
  it('start-up reconciliation restarts the workflow of an active booking that lost it', async () => {
    const venue = await given(ctx).venue({ name: 'Reconcile Hall', timeZone: ZONE });
    const {
      booking: { id },
    } = await given(ctx).booking(member, venue, { aheadMs: 50 * HOUR, durationMs: HOUR, eventName: 'Orphan' });
    const handle = ctx.deps.temporal.client.workflow.getHandle(`booking-${id}`);
    await eventually(
      async () => (await handle.describe().catch(() => undefined))?.status.name === 'RUNNING',
      'the workflow to run',
    );
    await handle.terminate('operator mistake');
    await ctx.db.sql`update bookings set created_at = now() - interval '5 minutes' where id = ${id}`;
    const logger = createLogger(ctx.config.logLevel);
    const result = await eventually(async () => {
      const r = await reconcileBookingWorkflows({
        sql: ctx.db.sql,
        temporal: ctx.deps.temporal,
        config: ctx.config,
        logger,
      });
      return r.started >= 1 ? r : undefined;
    }, 'reconciliation to restart the workflow (visibility may lag a moment)');
    assert.ok(result.started >= 1);
    assert.equal((await handle.describe()).status.name, 'RUNNING');
    const again = await reconcileBookingWorkflows({
      sql: ctx.db.sql,
      temporal: ctx.deps.temporal,
      config: ctx.config,
      logger,
    });
    assert.equal(again.started, 0, 'a second pass starts nothing');
  });
});

describe('nothing lost while Temporal is down', () => {
  let ctx: TestContext;
  let server: RunningTemporal;
  let gateway: TemporalGateway;
  let dataDir: string;
  let port: number;
  let uiPort: number;

  const startServer = () =>
    resolveTemporalCli({ explicitPath: ctx.config.temporal.cliPath, cacheDir: ctx.config.cacheDir }).then((cli) =>
      startTemporalDevServer({ cli, port, uiPort, namespace: 'default', dataDir }),
    );

  before(async () => {
    ctx = await createTestContext();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'bookit-temporal-down-'));
    [port, uiPort] = [await freePort(), await freePort()];
    server = await startServer();
  });
  after(async () => {
    await server.stop();
    await gateway?.close();
    await ctx.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers 201 while Temporal is down, and the relay starts the workflow on its first pass after Temporal returns', async () => {
    const config = { ...ctx.config, temporal: { ...ctx.config.temporal, address: `127.0.0.1:${port}` } };
    const logger = createLogger(config.logLevel);
    gateway = createTemporalGateway({
      address: config.temporal.address,
      namespace: 'default',
      taskQueue: config.temporal.taskQueue,
    });
    const app = createApp({ ...ctx.deps, config, temporal: gateway });
    const relay = startOutboxRelay({ sql: ctx.db.sql, temporal: gateway, logger, pollIntervalMs: 500 });
    let worker: Awaited<ReturnType<typeof startWorker>> | undefined;
    // Whatever fails, the relay and the worker stop, so a failure ends the test instead of hanging it.
    try {
      const member = await ctx.createUser('member');
      const venueId = (await given(ctx).venue({ name: 'LRDC Hall', timeZone: ZONE })).id;

      await server.stop();
      const slot = slotAhead(72 * HOUR, 2 * HOUR, ZONE);
      const response = await app.request('/api/bookings/', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${member.token}` },
        body: JSON.stringify({
          venue: venueId,
          date: slot.date,
          start_time: slot.start_time,
          end_time: slot.end_time,
          event_name: 'Offline booking',
        }),
      });
      assert.equal(response.status, 201);
      const { id } = (await response.json()) as { id: number };
      // The relay tries while Temporal is down: at least one pass finds it unreachable.
      const unavailableBefore = relay.stats.temporalUnavailable;
      await eventually(
        async () => relay.stats.temporalUnavailable > unavailableBefore,
        'a relay pass to find Temporal down',
      );
      const startRow = async () =>
        (
          await ctx.db.sql<{ attempts: number; delivered_at: Date | null; next_attempt_at: Date }[]>`
        select attempts, delivered_at, next_attempt_at from outbox where workflow_id = ${`booking-${id}`} and kind = 'start'`
        )[0]!;
      const [{ now: downUntil }] = await ctx.db.sql<[{ now: Date }]>`select now()`;
      // Promptness as order, not a stopwatch: an unreachable Temporal is neither counted as a failed
      // attempt nor pushes the row back, so the relay's first pass after Temporal returns takes it.
      const waiting = await startRow();
      assert.equal(waiting.delivered_at, null, 'the start waits in the outbox');
      assert.equal(waiting.attempts, 0, 'no failed attempt counted while Temporal was down');
      assert.ok(waiting.next_attempt_at <= downUntil, 'not pushed back while Temporal was down');
      assert.ok(relay.stats.temporalUnavailable > unavailableBefore, 'the relay tried it while Temporal was down');

      server = await startServer();
      worker = await startWorker(config, { config, sql: ctx.db.sql, mailer: ctx.mailer, logger });
      // What the relay does last: mark the row delivered, after Temporal accepted the start.
      await eventually(async () => (await startRow()).delivered_at, 'the relay to mark the start delivered', 30_000);
      const description = await gateway.client.workflow.getHandle(`booking-${id}`).describe();
      assert.equal(description.status.name, 'RUNNING');
      assert.equal(await countPending(ctx.db.sql), 0);
    } finally {
      await relay.stop();
      await worker?.shutdown();
    }
  });
});
