import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { emailSender } from './send-email';
import type { UserOnboardingInput, VenueAssignmentInput } from './workflow-types';

const { recordNotification } = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds' });

/** A new user: the `user_created` notification and the welcome email, whose password the email activity makes. */
export async function userOnboardingWorkflow({ userId, emailRetryInitialMs }: UserOnboardingInput): Promise<void> {
  const emails = emailSender(emailRetryInitialMs);
  await recordNotification({ key: `user:${userId}:created`, notification: { kind: 'user_created', userId } });
  await emails.send(`user:${userId}:welcome`, { kind: 'welcome', userId });
  await emails.allDelivered();
}

/** A hall admin assigned to a venue: a `venue_assigned` notification and email. */
export async function venueAssignmentWorkflow({ venueId, userId, assignmentId, emailRetryInitialMs }: VenueAssignmentInput): Promise<void> {
  const key = `venue:${venueId}:admin:${userId}:${assignmentId}`;
  const emails = emailSender(emailRetryInitialMs);
  await recordNotification({ key, notification: { kind: 'venue_assigned', userId, venueId } });
  await emails.send(key, { kind: 'venue_assigned', userId, venueId });
  await emails.allDelivered();
}
