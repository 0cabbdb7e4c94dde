import { ServiceError, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import {
  claimDueMessages,
  markDelivered,
  markFailed,
  OUTBOX_CHANNEL,
  type OutboxMessage,
  type PendingMessage,
} from '../db/outbox';
import type { Sql } from '../db/sql';
import type { Logger } from '../log/logger';
import type { TemporalGateway } from './client';

export interface OutboxRelay {
  /** Delivers everything due now; resolves when a pass finds nothing more (tests, shutdown). */
  drain(): Promise<void>;
  /** Passes made, and how many found Temporal unreachable (they leave every row as it was). */
  readonly stats: { passes: number; temporalUnavailable: number };
  stop(): Promise<void>;
}

const BATCH = 200;
const CONCURRENCY = 16;
const CALL_TIMEOUT_MS = 5_000;

/**
 * Delivers outbox rows to Temporal: workflow starts and signals written in the same transaction
 * as the state change they follow. Wakes on LISTEN/NOTIFY; a short poll covers a missed notify and
 * Temporal coming back. Ids are business ids, so delivering twice changes nothing.
 */
export function startOutboxRelay({
  sql,
  temporal,
  logger,
  pollIntervalMs = 1_000,
}: {
  sql: Sql;
  temporal: TemporalGateway;
  logger: Logger;
  pollIntervalMs?: number;
}): OutboxRelay {
  let stopped = false;
  let wake: () => void = () => {};
  let running: Promise<void> | undefined;
  const stats = { passes: 0, temporalUnavailable: 0 };
  const listening = sql
    .listen(OUTBOX_CHANNEL, () => wake())
    .catch((error: unknown) => {
      logger.warn({ err: error }, 'outbox relay could not LISTEN; relying on polling');
      return undefined;
    });

  /**
   * One pass over a batch: workflows in parallel (a start costs a round trip to Temporal), each
   * workflow's own messages in order. True when a full batch went out, so the loop runs again at once.
   */
  async function pass(): Promise<boolean> {
    return sql.begin(async (tx) => {
      const due = await claimDueMessages(tx, BATCH);
      const byWorkflow = new Map<string, PendingMessage[]>();
      for (const pending of due)
        byWorkflow.set(pending.message.workflowId, [...(byWorkflow.get(pending.message.workflowId) ?? []), pending]);
      let unavailable = false;
      const queue = [...byWorkflow.values()];
      const deliverWorkflow = async (): Promise<void> => {
        for (let messages = queue.shift(); messages && !unavailable; messages = queue.shift()) {
          for (const { id, attempts, message } of messages) {
            const outcome = await deliver(message);
            if (outcome === 'delivered') {
              await markDelivered(tx, id);
              continue;
            }
            if (outcome === 'unavailable') unavailable = true;
            else await markFailed(tx, id, attempts, outcome.error);
            break; // the rest of this workflow's messages wait their turn
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, deliverWorkflow));
      stats.passes++;
      if (unavailable) stats.temporalUnavailable++;
      return !unavailable && due.length === BATCH;
    }) as Promise<boolean>;
  }

  async function deliver(message: OutboxMessage): Promise<'delivered' | 'unavailable' | { error: string }> {
    const { client, connection, taskQueue } = temporal;
    try {
      await connection.withDeadline(Date.now() + CALL_TIMEOUT_MS, async () => {
        switch (message.kind) {
          case 'start':
            await client.workflow.start(message.workflowType, {
              workflowId: message.workflowId,
              taskQueue,
              args: message.args,
              staticSummary: message.staticSummary,
              staticDetails: message.staticDetails,
              workflowIdReusePolicy: 'REJECT_DUPLICATE',
            });
            break;
          case 'signal':
            await client.workflow.getHandle(message.workflowId).signal(message.signal, ...message.args);
            break;
          case 'signal_with_start':
            await client.workflow.signalWithStart(message.workflowType, {
              workflowId: message.workflowId,
              taskQueue,
              args: message.args,
              signal: message.signal,
              signalArgs: message.signalArgs,
              staticSummary: message.staticSummary,
            });
            break;
        }
      });
      return 'delivered';
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return 'delivered';
      if (error instanceof WorkflowNotFoundError) {
        // The workflow has ended; a late signal has nothing left to change.
        logger.info(
          { workflowId: message.workflowId, kind: message.kind },
          'outbox signal for an ended workflow dropped',
        );
        return 'delivered';
      }
      if (isUnavailable(error)) return 'unavailable';
      logger.warn(
        { err: error, workflowId: message.workflowId, kind: message.kind },
        'outbox delivery failed; will retry',
      );
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }

  async function loop(): Promise<void> {
    while (!stopped) {
      let again = false;
      try {
        again = await pass();
      } catch (error) {
        logger.warn({ err: error }, 'outbox relay pass failed');
      }
      if (!again && !stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollIntervalMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }

  running = loop();
  return {
    stats,
    async drain() {
      while (await pass()) {
        /* keep going */
      }
    },
    async stop() {
      stopped = true;
      wake();
      await running;
      const subscription = await listening;
      await subscription?.unlisten().catch(() => {});
    },
  };
}

function isUnavailable(error: unknown): boolean {
  if (!(error instanceof ServiceError))
    return error instanceof Error && /deadline|unavailable|connect/i.test(error.message);
  const code = (error.cause as { code?: number } | undefined)?.code;
  return (
    code === 14 /* UNAVAILABLE */ || code === 4 /* DEADLINE_EXCEEDED */ || /deadline|unavailable/i.test(error.message)
  );
}
