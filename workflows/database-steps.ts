import { patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

// Each step is one short query; a short timeout means an attempt lost with a killed worker is
// retried on another within seconds instead of holding a deadline or an offer window up.
const options = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
} as const;
const onTaskQueue = proxyActivities<Activities>(options);
// Past a few seconds of retrying (PostgreSQL down, say), the next attempt waits on a server timer
// instead of inside an open workflow task, so an outage does not hold every worker slot.
const local = proxyLocalActivities<Activities>({ ...options, localRetryThreshold: '3 seconds' });

export const DATABASE_STEPS_AS_LOCAL_ACTIVITIES = 'database-steps-as-local-activities';

/**
 * The activities a long-lived workflow uses to read and change its rows. They run as local
 * activities, inside the workflow task, so a booking reaches its first sleep (and a timer its
 * effect) without a task-queue round trip per query. Call it once, first thing in the workflow:
 * workflows started before this rule scheduled every step on the task queue, and replay that way.
 */
export function databaseSteps(): typeof onTaskQueue {
  return patched(DATABASE_STEPS_AS_LOCAL_ACTIVITIES) ? local : onTaskQueue;
}
