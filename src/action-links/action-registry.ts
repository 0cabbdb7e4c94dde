import type { LinkAction } from '../auth/action-tokens';
import type { ActionHandler } from './action-handler';
import { approveBookingAction, denyBookingAction } from './approval-actions';
import { cancelBookingAction, confirmBookingAction } from './booking-actions';
import { checkInBookingAction } from './check-in-action';
import { claimOfferAction } from './claim-action';
import { approveSeriesAction, denySeriesAction } from './series-approval-actions';

/**
 * The email-link actions this server performs, by the token's `action` claim. A signed link for
 * an action missing here gets the "unsupported link" page.
 */
export const actionHandlers: Partial<Record<LinkAction, ActionHandler>> = {
  confirm: confirmBookingAction,
  cancel: cancelBookingAction,
  claim: claimOfferAction,
  check_in: checkInBookingAction,
  approve: approveBookingAction,
  deny: denyBookingAction,
  approve_series: approveSeriesAction,
  deny_series: denySeriesAction,
};
