import { continueAsNew, proxyActivities, setWorkflowOptions, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { NotificationRetentionInput } from '../src/contracts/workflow-types';
import { versioningOf } from './versioning';

const { deleteExpiredNotifications } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

setWorkflowOptions(versioningOf('notificationRetentionWorkflow'), notificationRetentionWorkflow);
/**
 * Deletes notifications older than the retention period, one bounded batch at a time, until a
 * batch finds nothing. The cutoff is workflow time, chosen once, and handed to every batch.
 * Returns how many rows went.
 */
export async function notificationRetentionWorkflow({
  retentionMs,
  cutoffMs,
  deletedSoFar = 0,
}: NotificationRetentionInput): Promise<number> {
  const cutoff = cutoffMs ?? Date.now() - retentionMs;
  let deleted = deletedSoFar;
  for (;;) {
    const count = await deleteExpiredNotifications(cutoff);
    deleted += count;
    if (count === 0) return deleted;
    if (workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof notificationRetentionWorkflow>({
        retentionMs,
        cutoffMs: cutoff,
        deletedSoFar: deleted,
      });
    }
  }
}
