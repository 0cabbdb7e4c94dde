import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { sendEmailInBackground } from './send-email';

const { recordNotification } = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds' });

export interface UserOnboardingInput {
  userId: number;
  emailRetryInitialMs: number;
}

/** A new user: the `user_created` notification and the welcome email, whose password the email activity makes. */
export async function userOnboardingWorkflow({ userId, emailRetryInitialMs }: UserOnboardingInput): Promise<void> {
  await recordNotification({ key: `user:${userId}:created`, notification: { kind: 'user_created', userId } });
  await sendEmailInBackground({ key: `user:${userId}:welcome`, email: { kind: 'welcome', userId }, retryInitialMs: emailRetryInitialMs });
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
  await recordNotification({ key, notification: { kind: 'venue_assigned', userId, venueId } });
  await sendEmailInBackground({ key, email: { kind: 'venue_assigned', userId, venueId }, retryInitialMs: emailRetryInitialMs });
}
