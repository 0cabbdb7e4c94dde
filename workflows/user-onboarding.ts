import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { emailSender } from './send-email';

const { recordNotification } = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds' });

export interface UserOnboardingInput {
  userId: number;
  emailRetryInitialMs: number;
}

/** A new user: the `user_created` notification and the welcome email, whose password the email activity makes. */
export async function userOnboardingWorkflow({ userId, emailRetryInitialMs }: UserOnboardingInput): Promise<void> {
  const emails = emailSender(emailRetryInitialMs);
  await recordNotification({ key: `user:${userId}:created`, notification: { kind: 'user_created', userId } });
  await emails.send(`user:${userId}:welcome`, { kind: 'welcome', userId });
  await emails.allDelivered();
}

export interface VenueAssignmentInput {
  venueId: number;
  userId: number;
  /** Distinguishes a re-assignment after removal from a repeat of the same one. */
  assignmentId: string;
  emailRetryInitialMs: number;
}

/** A hall admin assigned to a venue: a `venue_assigned` notification and email. */
export async function venueAssignmentWorkflow({ venueId, userId, assignmentId, emailRetryInitialMs }: VenueAssignmentInput): Promise<void> {
  const key = `venue:${venueId}:admin:${userId}:${assignmentId}`;
  const emails = emailSender(emailRetryInitialMs);
  await recordNotification({ key, notification: { kind: 'venue_assigned', userId, venueId } });
  await emails.send(key, { kind: 'venue_assigned', userId, venueId });
  await emails.allDelivered();
}
