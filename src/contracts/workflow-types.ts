// What each workflow is started with, and its type name: the neutral file that code starting a
// workflow (the outbox, schedules, reconciliation) imports instead of the workflow's own code. It
// imports only other neutral type files, so nothing that starts a workflow depends on its code.
// workflow-types.check.ts holds it in step with what workflows/index.ts registers.
import type { BookingWorkflowInput } from './booking-types';
import type { Notice } from './notice';
import type { SlotOfferInput } from './slot-offer-signals';

export interface UserOnboardingInput {
  userId: number;
  emailRetryInitialMs: number;
  /** A welcome sent again to a corrected address (the first never reached the user): names this one. */
  resend?: string;
}

export interface VenueAssignmentInput {
  venueId: number;
  userId: number;
  /** Distinguishes a re-assignment after removal from a repeat of the same one. */
  assignmentId: string;
  emailRetryInitialMs: number;
}

export interface BroadcastInput {
  broadcastId: number;
  /** Where a continued run resumes: the last user id already written. */
  afterUserId?: number;
  /** Recipients written by earlier runs of this broadcast. */
  recipientsSoFar?: number;
}

export interface NotificationRetentionInput {
  retentionMs: number;
  /** Set by a continued run, so every batch of one clean-up uses the same cutoff. */
  cutoffMs?: number;
  deletedSoFar?: number;
}

export interface DailyDigestInput {
  /** The venue-local hour (0–23) from which a day's digest is due. */
  digestHour: number;
  emailRetryInitialMs: number;
}

/** A notice the API hands over (a series booked or cancelled), recorded and delivered by the notices room. */
export interface NoticeWorkflowInput {
  notice: Notice;
  emailRetryInitialMs: number;
}

/** Every registered workflow by type name, with the one input object it takes. */
export interface WorkflowInputs {
  bookingLifecycleWorkflow: BookingWorkflowInput;
  slotOfferWorkflow: SlotOfferInput;
  userOnboardingWorkflow: UserOnboardingInput;
  venueAssignmentWorkflow: VenueAssignmentInput;
  broadcastWorkflow: BroadcastInput;
  notificationRetentionWorkflow: NotificationRetentionInput;
  dailyDigestWorkflow: DailyDigestInput;
  noticeWorkflow: NoticeWorkflowInput;
}

export type WorkflowName = keyof WorkflowInputs;
export type WorkflowInput<N extends WorkflowName> = WorkflowInputs[N];

/** The type names as values, so no starter spells one out. */
export const workflowTypes: { readonly [N in WorkflowName]: N } = {
  bookingLifecycleWorkflow: 'bookingLifecycleWorkflow',
  slotOfferWorkflow: 'slotOfferWorkflow',
  userOnboardingWorkflow: 'userOnboardingWorkflow',
  venueAssignmentWorkflow: 'venueAssignmentWorkflow',
  broadcastWorkflow: 'broadcastWorkflow',
  notificationRetentionWorkflow: 'notificationRetentionWorkflow',
  dailyDigestWorkflow: 'dailyDigestWorkflow',
  noticeWorkflow: 'noticeWorkflow',
};
