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

/** What an active booking needs next at `now`; the workflow re-reads the row and asks again after every wake. */
export function nextLifecycleStep(booking: BookingTiming, now: number, leads: LifecycleLeads): LifecycleStep {
  if (booking.confirmed) {
    const { checkIn } = booking;
    if (checkIn && !checkIn.checkedIn) return now < checkIn.closesAt ? { step: 'await_check_in', until: checkIn.closesAt } : { step: 'release_no_show' };
    return now < booking.endsAt ? { step: 'await_end', until: booking.endsAt } : { step: 'complete' };
  }
  const remindAt = booking.startsAt - leads.reminderLeadMs;
  const confirmBy = booking.startsAt - leads.confirmDeadlineMs;
  if (now >= confirmBy) return { step: 'auto_cancel' };
  if (booking.reminderSent) return { step: 'await_confirmation', until: confirmBy };
  return now < remindAt ? { step: 'wait_for_reminder', until: remindAt } : { step: 'send_reminder' };
}
