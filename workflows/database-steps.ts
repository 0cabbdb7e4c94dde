import { deprecatePatch, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

// Each step is one short query; a short timeout means an attempt lost with a killed worker is
// retried within seconds instead of holding a deadline or an offer window up. Past a few seconds of
// retrying (PostgreSQL down, say), the next attempt waits on a server timer instead of inside an
// open workflow task, so an outage does not hold every worker slot.
const local = proxyLocalActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  localRetryThreshold: '3 seconds',
});

export const DATABASE_STEPS_AS_LOCAL_ACTIVITIES = 'database-steps-as-local-activities';

/**
 * The activities the slot-offer workflow uses to read and change its rows. They run as local
 * activities, inside the workflow task, so an offer (and a window's end its effect) needs no
 * task-queue round trip per query. Call it once, first thing in the workflow: the retired patch is
 * still asked there, so runs that recorded it replay (workflows/patch-ledger.ts).
 */
export function databaseSteps(): typeof local {
  deprecatePatch(DATABASE_STEPS_AS_LOCAL_ACTIVITIES);
  return local;
}
