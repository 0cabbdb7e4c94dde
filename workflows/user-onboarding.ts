import { patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { noticeSender, ONE_NOTICES_PIPELINE } from './notices';
import type { Notice } from '../src/contracts/notice';
import { emailSender } from './retired/send-email';
import type { UserOnboardingInput, VenueAssignmentInput } from '../src/contracts/workflow-types';

const { recordNotification } = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds' });

/** One notice, recorded and delivered before the workflow ends. */
async function tell(notice: Notice, emailRetryInitialMs: number): Promise<void> {
  const notices = noticeSender(emailRetryInitialMs);
  await notices.send(notice);
  await notices.allDelivered();
}

/** A new user: the welcome in-app and by email, whose password the delivery step makes. */
export async function userOnboardingWorkflow({
  userId,
  emailRetryInitialMs,
  resend,
}: UserOnboardingInput): Promise<void> {
  if (patched(ONE_NOTICES_PIPELINE))
    return tell(resend ? { kind: 'welcome', userId, resend } : { kind: 'welcome', userId }, emailRetryInitialMs);
  // Runs started before the notices pipeline: the retired per-email path.
  const emails = emailSender(emailRetryInitialMs);
  await recordNotification({ key: `user:${userId}:created`, notification: { kind: 'user_created', userId } });
  await emails.send(`user:${userId}:welcome`, { kind: 'welcome', userId });
  await emails.allDelivered();
}

/** A hall admin assigned to a venue: told in-app and by email, once per assignment. */
export async function venueAssignmentWorkflow({
  venueId,
  userId,
  assignmentId,
  emailRetryInitialMs,
}: VenueAssignmentInput): Promise<void> {
  if (patched(ONE_NOTICES_PIPELINE))
    return tell({ kind: 'venue_assigned', userId, venueId, assignmentId }, emailRetryInitialMs);
  const key = `venue:${venueId}:admin:${userId}:${assignmentId}`;
  const emails = emailSender(emailRetryInitialMs);
  await recordNotification({ key, notification: { kind: 'venue_assigned', userId, venueId } });
  await emails.send(key, { kind: 'venue_assigned', userId, venueId });
  await emails.allDelivered();
}
