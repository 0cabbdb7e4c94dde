import { continueAsNew, deprecatePatch, proxyActivities, setWorkflowOptions, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { noticeSender, ONE_NOTICES_PIPELINE } from './notices';
import type { BroadcastInput } from '../src/contracts/workflow-types';
import { versioningOf } from './versioning';

/** A webhook receiver that is down is retried from a minute, doubling to hourly, for 24 hours. */
const WEBHOOK_RETRY_INITIAL_MS = 60_000;

const { writeBroadcastBatch, completeBroadcast } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

setWorkflowOptions(versioningOf('broadcastWorkflow'), broadcastWorkflow);

/**
 * A super admin's announcement to every active user, written a batch of users at a time: each batch
 * is its own short transaction and three history events, and a long run continues as new, so
 * neither the database nor the history holds the whole audience at once. Returns the recipient count.
 */
export async function broadcastWorkflow({
  broadcastId,
  afterUserId = 0,
  recipientsSoFar = 0,
}: BroadcastInput): Promise<number> {
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
  // Retired (workflows/patch-ledger.ts); still asked, so runs that recorded it replay.
  deprecatePatch(ONE_NOTICES_PIPELINE);
  const notices = noticeSender(WEBHOOK_RETRY_INITIAL_MS);
  await notices.send({ kind: 'announcement', broadcastId });
  await notices.allDelivered();
  return recipients;
}
