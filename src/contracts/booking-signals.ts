import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { BookingWorkflowState } from './booking-types';

// The API writes the change first (a conditional UPDATE), then signals; the workflow re-reads the
// row, so a signal only says "look again now".
export const confirmSignal = defineSignal('confirm');
export const cancelSignal = defineSignal('cancel');
export const rescheduleSignal = defineSignal('reschedule');
export const checkInSignal = defineSignal('check_in');
/** A request for approval was approved or denied by the venue's staff. */
export const approvalDecidedSignal = defineSignal('approval_decided');
export const bookingStateQuery = defineQuery<BookingWorkflowState>('state');
