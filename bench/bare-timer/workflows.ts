// The bare Temporal application the timer knee compares BookIT's booking workflow with: sleep until
// an instant, then write one row. The least work a Temporal timer can cause, on the same server.
import { proxyLocalActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { BareTimerActivities } from './activities';

// A local activity, as BookIT's database steps are, so both pay the same way for their write.
const { recordTimerFired } = proxyLocalActivities<BareTimerActivities>({ startToCloseTimeout: '10 seconds' });

export async function bareTimerWorkflow(dueAtMs: number): Promise<void> {
  await sleep(Math.max(0, dueAtMs - Date.now()));
  await recordTimerFired(workflowInfo().workflowId, dueAtMs);
}
