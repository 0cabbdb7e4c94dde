import assert from 'node:assert/strict';
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
  before(async () => { env = await createTimeSkippingEnv(config); });
  after(() => env?.teardown());

  it('completes a workflow with a 24-hour timer without waiting 24 hours of wall time', async () => {
    const taskQueue = `infra-${randomUUID()}`;
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowsPath: FIXTURE_WORKFLOWS });
    const wallStart = Date.now();
    const slept = await worker.runUntil(env.client.workflow.execute(sleepForADay, { taskQueue, workflowId: `sleep-${randomUUID()}` }));
    assert.ok(slept >= 24 * 3_600_000, `workflow time advanced ${slept} ms`);
    // Order, not a stopwatch (how many seconds it takes is the bench's business): the day passed in
    // workflow time while far less passed on the wall clock.
    const wall = Date.now() - wallStart;
    assert.ok(wall < slept, `workflow time ran ahead of the wall clock (${wall} ms of wall time for ${slept} ms of workflow time)`);
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
    const worker = await Worker.create({ connection: nativeConnection, namespace: config.temporal.namespace, taskQueue, workflowsPath: FIXTURE_WORKFLOWS });
    const workflowId = `greet-${randomUUID()}`;
    const result = await worker.runUntil(client.workflow.execute(greet, { taskQueue, workflowId, args: ['BookIT'] }));
    assert.equal(result, 'Hello, BookIT');
    const description = await client.workflow.getHandle(workflowId).describe();
    assert.equal(description.status.name, 'COMPLETED');
  });
});
