import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { BookingWorkflowState } from './booking-types';

// The API writes the change first (a conditional UPDATE), then signals; the workflow re-reads the
// row, so a signal only says "look again now".
export const confirmSignal = defineSignal('confirm');
export const cancelSignal = defineSignal('cancel');
export const rescheduleSignal = defineSignal('reschedule');
export const checkInSignal = defineSignal('check_in');
export const bookingStateQuery = defineQuery<BookingWorkflowState>('state');
