import type { ApprovalRequest, ApprovalRule } from '../api/types';
import { formatInstant, formatSlot } from './zoned-time';

const outcomeOf = (onTimeout: ApprovalRule['on_timeout']) => (onTimeout === 'deny' ? 'denied' : 'approved');

/** The request's slot in its venue's zone, named. */
export const requestSlot = (request: ApprovalRequest): string =>
  formatSlot(new Date(request.starts_at), new Date(request.ends_at), request.time_zone);

/**
 * "Decide by Thu 3 Dec, 14:00 GMT+5:30 (then denied automatically)", in the venue's zone. Past the
 * deadline the venue's default is being applied (a decision that commits first still wins).
 */
export function decideByWords(request: ApprovalRequest, now = Date.now()): string {
  const deadline = new Date(request.decide_by);
  const outcome = outcomeOf(request.on_timeout);
  return deadline.getTime() > now
    ? `Decide by ${formatInstant(deadline, request.time_zone)} (then ${outcome} automatically)`
    : `Not decided by ${formatInstant(deadline, request.time_zone)}: being ${outcome} automatically`;
}

/** A venue's approval rule in words, as saved. */
export const approvalRuleWords = (venueName: string, rule: ApprovalRule): string =>
  rule.required
    ? `Saved: ${venueName}'s staff approve each booking; a request nobody decides in time is ${outcomeOf(rule.on_timeout)}.`
    : `Saved: bookings at ${venueName} need no approval.`;
