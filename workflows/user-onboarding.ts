import { deprecatePatch, setWorkflowOptions } from '@temporalio/workflow';
import { noticeSender, ONE_NOTICES_PIPELINE } from './notices';
import type { Notice } from '../src/contracts/notice';
import type { UserOnboardingInput, VenueAssignmentInput } from '../src/contracts/workflow-types';
import { versioningOf } from './versioning';

/** One notice, recorded and delivered before the workflow ends. */
async function tell(notice: Notice, emailRetryInitialMs: number): Promise<void> {
  const notices = noticeSender(emailRetryInitialMs);
  await notices.send(notice);
  await notices.allDelivered();
}

setWorkflowOptions(versioningOf('userOnboardingWorkflow'), userOnboardingWorkflow);

/** A new user: the welcome in-app and by email, whose password the delivery step makes. */
export async function userOnboardingWorkflow({
  userId,
  emailRetryInitialMs,
  resend,
}: UserOnboardingInput): Promise<void> {
  // Retired (workflows/patch-ledger.ts); still asked, so runs that recorded it replay.
  deprecatePatch(ONE_NOTICES_PIPELINE);
  return tell(resend ? { kind: 'welcome', userId, resend } : { kind: 'welcome', userId }, emailRetryInitialMs);
}

setWorkflowOptions(versioningOf('venueAssignmentWorkflow'), venueAssignmentWorkflow);

/** A hall admin assigned to a venue: told in-app and by email, once per assignment. */
export async function venueAssignmentWorkflow({
  venueId,
  userId,
  assignmentId,
  emailRetryInitialMs,
}: VenueAssignmentInput): Promise<void> {
  deprecatePatch(ONE_NOTICES_PIPELINE);
  return tell({ kind: 'venue_assigned', userId, venueId, assignmentId }, emailRetryInitialMs);
}
