import assert from 'node:assert/strict';
import { tsToMs } from '@temporalio/common/lib/time';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, Worker } from '@temporalio/worker';
import { loadConfig } from '../src/config/config';
import { greet, sleepForADay } from './fixtures/infra-workflows';
import { createLogger } from '../src/log/logger';
import { createTimeSkippingEnv, FIXTURE_WORKFLOWS, installTemporalLogging } from './support/temporal';

const config = loadConfig();

describe('the time-skipping test server', () => {
  let env: TestWorkflowEnvironment;
  before(async () => {
    env = await createTimeSkippingEnv(config);
  });
  after(() => env?.teardown());

  it('completes a workflow with a 24-hour timer without waiting 24 hours of wall time', async () => {
    const taskQueue = `infra-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: FIXTURE_WORKFLOWS,
    });
    const serverBefore = await env.currentTimeMs();
    const workflowId = `sleep-${randomUUID()}`;
    const slept = await worker.runUntil(env.client.workflow.execute(sleepForADay, { taskQueue, workflowId }));
    assert.ok(slept >= 24 * 3_600_000, `workflow time advanced ${slept} ms`);
    // The server's own clock jumped the day (the runner's per-file limit, minutes, is what keeps the
    // wall clock from having done it; how many seconds it takes is the bench's business), and the
    // history's timer spans the day on that clock.
    assert.ok((await env.currentTimeMs()) - serverBefore >= 24 * 3_600_000, "the server's clock skipped the day");
    const events = (await env.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    const started = events.find((event) => event.timerStartedEventAttributes);
    const fired = events.find((event) => event.timerFiredEventAttributes);
    assert.ok(started && fired, 'one durable timer, fired');
    assert.ok(
      tsToMs(fired.eventTime) - tsToMs(started.eventTime) >= 24 * 3_600_000,
      'the timer fired a day of server time after it started',
    );
  });
});

describe('the Temporal dev server', () => {
  let connection: Connection;
  let nativeConnection: NativeConnection;
  before(async () => {
    installTemporalLogging(createLogger(config.logLevel));
    connection = await Connection.connect({ address: config.temporal.address });
    nativeConnection = await NativeConnection.connect({ address: config.temporal.address });
  });
  after(async () => {
    await connection?.close();
    await nativeConnection?.close();
  });

  it('runs a workflow and lists it through visibility', async () => {
    const taskQueue = `infra-${randomUUID()}`;
    const client = new Client({ connection, namespace: config.temporal.namespace });
    const worker = await Worker.create({
      connection: nativeConnection,
      namespace: config.temporal.namespace,
      taskQueue,
      workflowsPath: FIXTURE_WORKFLOWS,
    });
    const workflowId = `greet-${randomUUID()}`;
    const result = await worker.runUntil(client.workflow.execute(greet, { taskQueue, workflowId, args: ['BookIT'] }));
    assert.equal(result, 'Hello, BookIT');
    const description = await client.workflow.getHandle(workflowId).describe();
    assert.equal(description.status.name, 'COMPLETED');
  });
});
