// When a booking is reminded and when it must be confirmed: a pure function of the booking's start,
// the moment the plan is made, and the two configured leads. Unit-tested on its own.

export interface LifecycleLeads {
  /** R: how long before the start the reminder goes out (BOOKIT_REMINDER_LEAD, 24 h). */
  reminderLeadMs: number;
  /** D: how long before the start it must be confirmed (BOOKIT_CONFIRM_DEADLINE, 2 h). */
  confirmDeadlineMs: number;
}

export type LifecyclePlan =
  /** Booked less than D ahead: there is no time to ask, so it counts as confirmed. */
  | { kind: 'confirmed_on_creation' }
  /** Remind at `remindAt` (now, when booked less than R ahead), then auto-cancel at `confirmBy` unless confirmed. */
  | { kind: 'remind_then_confirm'; remindAt: number; confirmBy: number };

/** Short-notice rule, also used by the API to store such a booking as confirmed at once. */
export function isShortNotice(startsAt: number, bookedAt: number, leads: LifecycleLeads): boolean {
  return startsAt - bookedAt < leads.confirmDeadlineMs;
}

export function planLifecycle(startsAt: number, bookedAt: number, leads: LifecycleLeads): LifecyclePlan {
  if (isShortNotice(startsAt, bookedAt, leads)) return { kind: 'confirmed_on_creation' };
  return {
    kind: 'remind_then_confirm',
    remindAt: Math.max(bookedAt, startsAt - leads.reminderLeadMs),
    confirmBy: startsAt - leads.confirmDeadlineMs,
  };
}

export interface BookingTiming {
  startsAt: number;
  endsAt: number;
  confirmed: boolean;
  reminderSent: boolean;
  /**
   * The deadline the reminder named (see `confirmationDeadline`); absent or null for a booking not
   * yet reminded, and in states recorded before deadlines were stored.
   */
  confirmDeadline?: number | null;
  /** The check-in the venue asks of it, if any: the window's close, and whether the booker checked in. */
  checkIn?: { closesAt: number; checkedIn: boolean } | null;
}

export type LifecycleStep =
  | { step: 'wait_for_reminder'; until: number }
  | { step: 'send_reminder' }
  | { step: 'await_confirmation'; until: number }
  | { step: 'auto_cancel' }
  | { step: 'await_check_in'; until: number }
  | { step: 'release_no_show' }
  | { step: 'await_end'; until: number }
  | { step: 'complete' };

/**
 * The deadline a reminder sent at `remindedAt` names: the usual one (the start minus D), or, for a
 * reminder that went out late, `minConfirmWindowMs` after it, so nobody loses a room they had minutes
 * (or no chance) to keep. At or past the start there is no deadline: such a booking is never
 * cancelled for silence. Stored with the reminder; every view and the lifecycle read it from the row.
 */
export function deadlineAfterReminder(
  startsAt: number,
  remindedAt: number,
  confirmDeadlineMs: number,
  minConfirmWindowMs: number,
): number {
  return Math.max(startsAt - confirmDeadlineMs, remindedAt + minConfirmWindowMs);
}

/** When an unconfirmed booking is cancelled for silence; null when it never is (reminded too late to ask). */
export function confirmationDeadline(
  booking: Pick<BookingTiming, 'startsAt' | 'reminderSent' | 'confirmDeadline'>,
  confirmDeadlineMs: number,
): number | null {
  const deadline = (booking.reminderSent ? booking.confirmDeadline : null) ?? booking.startsAt - confirmDeadlineMs;
  return deadline < booking.startsAt ? deadline : null;
}

/**
 * What an active booking needs next at `now`; the workflow re-reads the row and asks again after every wake.
 *
 * `askBeforeCancel` (bookings from the `min-confirm-window` change on): a booking is cancelled for
 * silence only after its owner was asked. Not yet reminded at its deadline (the stack was down, the
 * worker backlogged), it is reminded first, and the reminder names a new deadline; never reminded by
 * its start, it is not cancelled at all. Without it, the earlier rule: the deadline is the start minus D.
 */
export function nextLifecycleStep(
  booking: BookingTiming,
  now: number,
  leads: LifecycleLeads,
  askBeforeCancel = false,
): LifecycleStep {
  if (!booking.confirmed) {
    if (!askBeforeCancel) return unconfirmedStepBefore(booking, now, leads);
    if (!booking.reminderSent) {
      const remindAt = booking.startsAt - leads.reminderLeadMs;
      if (now < remindAt) return { step: 'wait_for_reminder', until: remindAt };
      if (now < booking.startsAt) return { step: 'send_reminder' };
      // Never asked, and the event has begun: there is nothing left to cancel it for.
    } else {
      const deadline = confirmationDeadline(booking, leads.confirmDeadlineMs);
      if (deadline !== null)
        return now < deadline ? { step: 'await_confirmation', until: deadline } : { step: 'auto_cancel' };
    }
  }
  const { checkIn } = booking;
  if (checkIn && !checkIn.checkedIn)
    return now < checkIn.closesAt ? { step: 'await_check_in', until: checkIn.closesAt } : { step: 'release_no_show' };
  return now < booking.endsAt ? { step: 'await_end', until: booking.endsAt } : { step: 'complete' };
}

/** The rule before `min-confirm-window`: unconfirmed at the start minus D means cancelled, asked or not. */
function unconfirmedStepBefore(booking: BookingTiming, now: number, leads: LifecycleLeads): LifecycleStep {
  const remindAt = booking.startsAt - leads.reminderLeadMs;
  const confirmBy = booking.startsAt - leads.confirmDeadlineMs;
  if (now >= confirmBy) return { step: 'auto_cancel' };
  if (booking.reminderSent) return { step: 'await_confirmation', until: confirmBy };
  return now < remindAt ? { step: 'wait_for_reminder', until: remindAt } : { step: 'send_reminder' };
}
