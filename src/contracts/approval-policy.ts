// When a booking waiting for approval is nudged, escalated and decided by default: pure, like the
// lifecycle's policy, and unit-tested on its own.

export interface ApprovalLeads {
  /** BOOKIT_APPROVAL_NUDGE: the admins are nudged this long after the request; the super admins told after twice it (or midway from the nudge to the deadline, if sooner). */
  approvalNudgeMs: number;
  /** BOOKIT_APPROVAL_DEADLINE: decided by default this long after the request, at the latest. */
  approvalDeadlineMs: number;
}

/**
 * The deadline a request gets: the approval period, but never later than the reminder's time (so a
 * decided booking is reminded as usual), and, for a booking made inside the reminder lead, never
 * later than its confirmation deadline.
 */
export function approvalDeadline(
  requestedAt: number,
  startsAt: number,
  leads: ApprovalLeads & { reminderLeadMs: number; confirmDeadlineMs: number },
): number {
  const remindAt = startsAt - leads.reminderLeadMs;
  const latest = requestedAt < remindAt ? remindAt : startsAt - leads.confirmDeadlineMs;
  return Math.min(requestedAt + leads.approvalDeadlineMs, latest);
}

export interface PendingApproval {
  requestedAt: number;
  deadline: number;
  nudgedAt: number | null;
  escalatedAt: number | null;
}

export type ApprovalStep =
  | { step: 'await_decision'; until: number; next: 'nudge' | 'escalate' | 'time_out' }
  | { step: 'nudge' }
  | { step: 'escalate' }
  | { step: 'time_out' };

/** What a pending request needs next at `now`: a nudge, the super admins told, the default decision, or waiting. */
export function nextApprovalStep(approval: PendingApproval, now: number, nudgeMs: number): ApprovalStep {
  if (now >= approval.deadline) return { step: 'time_out' };
  const nudgeAt = approval.requestedAt + nudgeMs;
  if (approval.nudgedAt === null && nudgeAt < approval.deadline)
    return now >= nudgeAt ? { step: 'nudge' } : { step: 'await_decision', until: nudgeAt, next: 'nudge' };
  // A second period after the nudge, but always before the deadline (midway to it at the latest),
  // so the super admins hear of it while it can still be decided: with the defaults (24 h, 48 h), at 36 h.
  const escalateAt = Math.min(approval.requestedAt + 2 * nudgeMs, Math.floor((nudgeAt + approval.deadline) / 2));
  if (approval.escalatedAt === null && escalateAt < approval.deadline)
    return now >= escalateAt ? { step: 'escalate' } : { step: 'await_decision', until: escalateAt, next: 'escalate' };
  return { step: 'await_decision', until: approval.deadline, next: 'time_out' };
}
