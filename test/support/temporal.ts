import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Config } from '../../src/config/config';
import { createLogger } from '../../src/log/logger';
import { installTemporalLogging } from '../../src/worker/logging';
import { SEARCH_ATTRIBUTE_TYPES } from '../../src/contracts/search-attributes';

/**
 * The time-skipping test server (Java, fetched from Maven Central by `npm test`), with BookIT's
 * search attributes registered so workflows that upsert them run unchanged.
 */
export async function createTimeSkippingEnv(config: Config): Promise<TestWorkflowEnvironment> {
  installTemporalLogging(createLogger(config.logLevel));
  if (!config.temporal.testServerPath)
    throw new Error('TEMPORAL_TEST_SERVER is not set: run the suite with `npm test`');
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: config.temporal.testServerPath } },
  });
  const types = { Keyword: 2, Int: 3, Datetime: 6 } as const; // temporal.api.enums.v1.IndexedValueType
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(
      Object.entries(SEARCH_ATTRIBUTE_TYPES).map(([name, type]) => [name, types[type]]),
    ),
  });
  return env;
}

export { installTemporalLogging };

export const FIXTURE_WORKFLOWS = path.resolve(import.meta.dirname, '../fixtures/infra-workflows.ts');
