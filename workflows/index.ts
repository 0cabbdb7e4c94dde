// Every workflow the worker runs; the bundler registers each export of this module.
export { userOnboardingWorkflow, venueAssignmentWorkflow } from './user-onboarding';
export { broadcastWorkflow } from './broadcast';
export { notificationRetentionWorkflow } from './notification-retention';
export { dailyDigestWorkflow } from './daily-digest';
export { slotOfferWorkflow } from './slot-offer';
export { bookingLifecycleWorkflow } from './booking-lifecycle';
export { noticeWorkflow } from './notice';
