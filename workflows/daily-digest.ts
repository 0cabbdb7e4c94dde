import { deprecatePatch, proxyActivities, setWorkflowOptions, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { noticeSender, ONE_NOTICES_PIPELINE } from './notices';
import type { DailyDigestInput } from '../src/contracts/workflow-types';
import { versioningOf } from './versioning';

const { decideDailyDigests } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  // Given up before the next firing, which decides afresh: runs do not pile up behind a database outage.
  scheduleToCloseTimeout: '14 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

setWorkflowOptions(versioningOf('dailyDigestWorkflow'), dailyDigestWorkflow);

/**
 * One firing of the daily-digest schedule (every 15 minutes, so every zone's 07:00 falls on one):
 * claims the digests that have come due, by venue-local time at this run's instant, and sends
 * each hall admin theirs, once per admin, zone and day (the email log's key). Returns how many it
 * handed over for sending.
 */
export async function dailyDigestWorkflow({ digestHour, emailRetryInitialMs }: DailyDigestInput): Promise<number> {
  const due = await decideDailyDigests({ atMs: Date.now(), digestHour, claimant: workflowInfo().runId });
  // Retired (workflows/patch-ledger.ts); still asked, so runs that recorded it replay.
  deprecatePatch(ONE_NOTICES_PIPELINE);
  const notices = noticeSender(emailRetryInitialMs);
  for (const digest of due) await notices.send({ kind: 'daily_digest', ...digest });
  await notices.allDelivered();
  return due.length;
}
