// Workflow ids come from business ids, so a repeated start or signal finds the same workflow.
export const bookingWorkflowId = (bookingId: number) => `booking-${bookingId}`;
export const userOnboardingWorkflowId = (userId: number, resend?: string) =>
  resend ? `user-onboarding-${userId}-${resend}` : `user-onboarding-${userId}`;
export const venueAssignmentWorkflowId = (venueId: number, userId: number, assignmentId: string) =>
  `venue-${venueId}-admin-${userId}-${assignmentId}`;
export const broadcastWorkflowId = (broadcastId: number) => `broadcast-${broadcastId}`;
export const NOTIFICATION_RETENTION_SCHEDULE_ID = 'notification-retention';
export const DAILY_DIGEST_SCHEDULE_ID = 'daily-digest';
export const slotOfferWorkflowId = (venueId: number, startsAt: Date, endsAt: Date) =>
  `slot-offer-${venueId}-${startsAt.toISOString()}-${endsAt.toISOString()}`;
/** A notice the API handed over, by what it tells of (`series-7-booked`): a repeated start finds the same one. */
export const noticeWorkflowId = (key: string) => `notice-${key}`;
