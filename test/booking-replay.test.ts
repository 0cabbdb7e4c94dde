import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import * as registered from '../workflows/index';
import { loadConfig } from '../src/config/config';
import { installTemporalLogging } from '../src/worker/logging';
import { createLogger } from '../src/log/logger';

// Histories leave this folder only by the retirement procedure (workflows/patch-ledger.ts, checked by
// test/patch-ledger.test.ts); every one kept here must replay on the code as it is.
const HISTORIES = path.resolve(import.meta.dirname, 'fixtures/histories');

describe('replaying recorded histories of every workflow type with the current workflow code', () => {
  it('replays every saved history without a nondeterminism error', async () => {
    const config = loadConfig();
    installTemporalLogging(createLogger(config.logLevel));
    const files = (await readdir(HISTORIES)).filter((name) => name.endsWith('.json'));
    const types = new Set(
      await Promise.all(
        files.map(async (file) => {
          const { events } = JSON.parse(await readFile(path.join(HISTORIES, file), 'utf8')) as {
            events: { workflowExecutionStartedEventAttributes?: { workflowType?: { name?: string } } }[];
          };
          return events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name;
        }),
      ),
    );
    for (const workflow of Object.keys(registered))
      assert.ok(types.has(workflow), `a saved history of ${workflow} (npm run record-histories)`);
    const histories = await Promise.all(
      files.map(async (file) => ({
        workflowId: file.replace(/\.json$/, ''),
        history: proto.temporal.api.history.v1.History.fromObject(
          JSON.parse(await readFile(path.join(HISTORIES, file), 'utf8')),
        ),
      })),
    );
    const failures: string[] = [];
    let replayed = 0;
    for await (const result of Worker.runReplayHistories(
      { workflowBundle: { codePath: config.temporal.workflowBundlePath! } },
      histories,
    )) {
      replayed++;
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    assert.equal(replayed, files.length);
    assert.deepEqual(failures, []);
  });
});
