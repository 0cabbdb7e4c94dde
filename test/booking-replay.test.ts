import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { loadConfig } from '../src/config/config';
import { installTemporalLogging } from '../src/worker/logging';
import { createLogger } from '../src/log/logger';

const HISTORIES = path.resolve(import.meta.dirname, 'fixtures/histories');

describe('replaying recorded booking and slot-offer histories with the current workflow code', () => {
  it('replays every saved history without a nondeterminism error', async () => {
    const config = loadConfig();
    installTemporalLogging(createLogger(config.logLevel));
    const files = (await readdir(HISTORIES)).filter((name) => name.endsWith('.json'));
    for (const workflow of ['booking-', 'slot-offer-'])
      assert.ok(
        files.some((name) => name.startsWith(workflow)),
        `a saved ${workflow}* history among ${files.join(', ')}`,
      );
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
