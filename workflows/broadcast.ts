import { continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { BroadcastInput } from './workflow-types';

const { writeBroadcastBatch, completeBroadcast } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * A super admin's announcement to every active user, written a batch of users at a time: each batch
 * is its own short transaction and three history events, and a long run continues as new, so
 * neither the database nor the history holds the whole audience at once. Returns the recipient count.
 */
export async function broadcastWorkflow({ broadcastId, afterUserId = 0, recipientsSoFar = 0 }: BroadcastInput): Promise<number> {
  let cursor = afterUserId;
  let recipients = recipientsSoFar;
  for (;;) {
    const batch = await writeBroadcastBatch(broadcastId, cursor);
    recipients += batch.recipients;
    if (batch.nextCursor === null) break;
    cursor = batch.nextCursor;
    if (workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof broadcastWorkflow>({ broadcastId, afterUserId: cursor, recipientsSoFar: recipients });
    }
  }
  await completeBroadcast(broadcastId, recipients);
  return recipients;
}
