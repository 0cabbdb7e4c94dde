import type { SearchAttributeUpdatePair } from '@temporalio/common';
import {
  condition,
  patched,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  setWorkflowOptions,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { BookingLifecycleState } from '../src/contracts/booking-types';
import { nextLifecycleStep, type LifecycleStep } from '../src/contracts/booking-policy';
import { noticeSender, ONE_NOTICES_PIPELINE } from './notices';
import { bookingNotices } from './retired/booking-notices';
import {
  approvalDecidedSignal,
  bookingStateQuery,
  cancelSignal,
  checkInSignal,
  confirmSignal,
  rescheduleSignal,
} from '../src/contracts/booking-signals';
import { nextApprovalStep } from '../src/contracts/approval-policy';
import type { BookingPhase, BookingWorkflowInput, BookingWorkflowState } from '../src/contracts/booking-types';
import { bookingPhaseKey, eventStartKey, venueIdKey } from '../src/contracts/search-attributes';
import { versioningOf } from './versioning';

// Each step is one short query inside the workflow task; past a few seconds of retrying
// (PostgreSQL down) the next attempt waits on a server timer, so an outage holds no worker slot.
/**
 * Versions of this workflow's behaviour (`patched()`): runs recorded before each replay without it.
 * CHECK_IN_WINDOW: a venue that asks for check-in holds the booking until its window closes, then
 * releases it as a no-show. NOTIFY_RESCHEDULE: a new time is told to the booker (with the updated
 * calendar invitation).
 */
export const CHECK_IN_WINDOW = 'check-in-window';
export const NOTIFY_RESCHEDULE = 'notify-reschedule';
/**
 * MIN_CONFIRM_WINDOW: cancelled for silence only after being asked. A booking not reminded by its
 * deadline (the stack was down, the worker backlogged) is reminded first, and a late reminder names
 * a deadline at least BOOKIT_MIN_CONFIRM_WINDOW after it (stored on the row), never past the start.
 * Asked only where the two rules disagree, so bookings the change does not touch carry no marker.
 */
export const MIN_CONFIRM_WINDOW = 'min-confirm-window';
/**
 * APPROVALS: a booking at a venue whose staff approve bookings waits as `pending_approval` (its
 * admins asked, nudged, the super admins told, the venue's default at the deadline) before its
 * lifecycle; asked only of bookings that carry a request, so no other booking records a marker.
 */
export const APPROVALS = 'approvals';
/** BOOKIT_APPROVAL_NUDGE's default, for a request whose workflow input predates the setting. */
const DEFAULT_APPROVAL_NUDGE_MS = 24 * 3_600_000;

const steps = proxyLocalActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  localRetryThreshold: '3 seconds',
});

setWorkflowOptions(versioningOf('bookingLifecycleWorkflow'), bookingLifecycleWorkflow);

/**
 * One booking, from creation to its end: tell the booker and the venue's hall admins, sleep until
 * the reminder is due, remind, wait for confirmation until the deadline or auto-cancel, and mark it
 * completed once the event is over. PostgreSQL holds the state: the workflow decides from the row
 * as it last read it, every change it makes is a conditional update that returns the row as it now
 * stands, and a signal (the API changed the row) makes it read again.
 *
 * The successor of `bookingWorkflow`, built to cost little Temporal work per booking: one
 * execution, one activity per notice (however many hall admins), one read per wake-up, and search
 * attributes written only when they change. `bookingWorkflow`'s last runs were restarted as this one
 * before its code was retired (workflows/patch-ledger.ts).
 */
export async function bookingLifecycleWorkflow(input: BookingWorkflowInput): Promise<BookingPhase> {
  const { bookingId } = input;
  // Bookings started before the notices pipeline replay their notices through the retired activities.
  const notices = patched(ONE_NOTICES_PIPELINE)
    ? noticeSender(input.emailRetryInitialMs)
    : bookingNotices(input.emailRetryInitialMs);
  let wakeUps = 0;
  const state: BookingWorkflowState = {
    bookingId,
    phase: 'awaiting_reminder',
    nextDeadline: null,
    nextStep: null,
    scheduleVersion: null,
    startsAt: null,
    endsAt: null,
  };
  for (const signal of [confirmSignal, cancelSignal, rescheduleSignal, checkInSignal, approvalDecidedSignal])
    setHandler(signal, () => void wakeUps++);
  setHandler(bookingStateQuery, () => state);
  const attributes = searchAttributeWriter();

  /** The lifecycle is over: once its last notices are delivered, the workflow closes with nothing left running. */
  const finish = async (phase: BookingPhase): Promise<BookingPhase> => {
    await notices.allDelivered();
    return phase;
  };

  function enter(phase: BookingPhase, booking: BookingLifecycleState, next?: { at: number; step: string }): void {
    state.phase = phase;
    state.nextDeadline = next ? new Date(next.at).toISOString() : null;
    state.nextStep = next?.step ?? null;
    state.scheduleVersion = booking.scheduleVersion;
    state.startsAt = new Date(booking.startsAt).toISOString();
    state.endsAt = new Date(booking.endsAt).toISOString();
    attributes.write(phase, booking);
    setCurrentDetails(
      [
        `**Phase:** ${phase.replace(/_/g, ' ')}`,
        `**Event:** ${state.startsAt} – ${state.endsAt} at ${booking.venueName}`,
        next ? `**Next:** ${next.step} at ${state.nextDeadline}` : '**Next:** nothing; the lifecycle is over',
      ].join('\n\n'),
    );
  }

  /** Sleeps until `until`; true when a signal arrived after the row was read (`seen` was counted before the read). */
  async function sleepUntil(until: number, seen: number, summary: string): Promise<boolean> {
    const remaining = until - Date.now();
    if (remaining <= 0) return wakeUps !== seen;
    return condition(() => wakeUps !== seen, remaining, { summary });
  }

  let seen = wakeUps;
  let booking = await steps.loadBookingState(bookingId);
  // A request for approval is told as one (the booker waits, the venue's staff are asked); an
  // occurrence of a series by the series' own notice, once for all its dates.
  const approvals = booking?.approval ? patched(APPROVALS) : false;
  if (booking && approvals && booking.approval?.status === 'pending')
    await notices.send({ kind: 'approval_requested', bookingId });
  else if (booking && !booking.seriesId && !(approvals && booking.approval))
    await notices.send({ kind: 'created', bookingId });
  /** Whether this run told the booker how their request was decided. */
  let toldDecision = false;
  /** The schedule version this run has reminded for: the reminder follows the row, once per version. */
  let remindedVersion: number | null = null;
  /** The schedule version the booker was last told of (at creation, or by a reschedule notice). */
  let toldVersion = booking?.scheduleVersion ?? null;

  for (;;) {
    if (!booking) return finish(state.phase);
    if (booking.status === 'completed') {
      enter('completed', booking);
      return finish('completed');
    }
    if (booking.status === 'cancelled' && approvals && booking.approval?.status === 'denied') {
      await notices.send({ kind: 'approval_decided', bookingId });
      enter('denied', booking);
      return finish('denied');
    }
    if (booking.status === 'cancelled') {
      if (booking.noShow) {
        await notices.send({ kind: 'no_show', bookingId });
        enter('no_show', booking);
        return finish('no_show');
      }
      if (!booking.cancelledWithSeries) {
        await notices.send(
          booking.autoCancelled
            ? { kind: 'auto_cancelled', bookingId }
            : { kind: 'cancelled', bookingId, recipientId: booking.userId },
        );
      }
      enter(booking.autoCancelled ? 'auto_cancelled' : 'cancelled', booking);
      return finish(state.phase);
    }
    if (approvals && booking.approval?.status === 'pending') {
      const approvalStep = nextApprovalStep(
        booking.approval,
        Date.now(),
        input.approvalNudgeMs ?? DEFAULT_APPROVAL_NUDGE_MS,
      );
      seen = wakeUps;
      if (approvalStep.step === 'await_decision') {
        enter('pending_approval', booking, { at: approvalStep.until, step: approvalStep.next.replace('_', ' ') });
        if (
          await sleepUntil(
            approvalStep.until,
            seen,
            approvalStep.next === 'time_out'
              ? "Approval deadline (the venue's default applies)"
              : `Approval request: ${approvalStep.next}`,
          )
        ) {
          seen = wakeUps;
          booking = await steps.loadBookingState(bookingId);
        }
        continue;
      }
      if (approvalStep.step === 'time_out') {
        booking = await steps.decideApprovalAtDeadline(bookingId, Date.now());
        continue;
      }
      const stage = approvalStep.step === 'nudge' ? 'nudged' : 'escalated';
      booking = await steps.chaseApproval(bookingId, stage, Date.now());
      await notices.send({ kind: 'approval_chased', bookingId, stage });
      continue;
    }
    if (approvals && booking.approval?.status === 'approved' && !toldDecision) {
      toldDecision = true;
      await notices.send({ kind: 'approval_decided', bookingId });
    }
    if (toldVersion !== null && booking.scheduleVersion !== toldVersion && patched(NOTIFY_RESCHEDULE)) {
      toldVersion = booking.scheduleVersion;
      await notices.send({ kind: 'rescheduled', bookingId, scheduleVersion: booking.scheduleVersion });
    }
    // Whether this run marked it or a worker died after the update committed, the row says
    // reminded: the notification and email follow, keyed by the version, so a repeat sends nothing.
    if (booking.reminderSent && !booking.confirmed && remindedVersion !== booking.scheduleVersion) {
      remindedVersion = booking.scheduleVersion;
      await notices.send({ kind: 'reminder', bookingId, scheduleVersion: booking.scheduleVersion });
    }

    // Only a state read since check-in existed carries one; the patch marks runs that may act on it.
    const checkIn = booking.checkIn && patched(CHECK_IN_WINDOW) ? booking.checkIn : null;
    const timing = { ...booking, checkIn };
    const earlierRule = nextLifecycleStep(timing, Date.now(), input);
    const askedFirst = nextLifecycleStep(timing, Date.now(), input, true);
    const step = !sameStep(earlierRule, askedFirst) && patched(MIN_CONFIRM_WINDOW) ? askedFirst : earlierRule;
    const wait = waitOf(step);
    if (wait) {
      enter(wait.phase, booking, { at: wait.until, step: wait.next });
      if (await sleepUntil(wait.until, seen, wait.summary)) {
        seen = wakeUps;
        booking = await steps.loadBookingState(bookingId);
      }
      // Woken by the timer alone, the row as read still holds: the next turn takes the step now due.
      continue;
    }
    seen = wakeUps;
    const { scheduleVersion } = booking;
    switch (step.step) {
      case 'send_reminder':
        booking = await steps.remindBooking(bookingId, scheduleVersion, Date.now());
        break;
      case 'auto_cancel':
        booking = await steps.autoCancelUnconfirmedBooking(bookingId, scheduleVersion, Date.now());
        break;
      case 'release_no_show':
        booking = await steps.releaseNoShowBooking(bookingId, scheduleVersion, Date.now());
        break;
      case 'complete':
        booking = await steps.completeEndedBooking(bookingId, Date.now());
        break;
    }
  }
}

function sameStep(a: LifecycleStep, b: LifecycleStep): boolean {
  return a.step === b.step && ('until' in a ? a.until : null) === ('until' in b ? b.until : null);
}

interface Wait {
  phase: BookingPhase;
  until: number;
  next: string;
  summary: string;
}

function waitOf(step: LifecycleStep): Wait | null {
  switch (step.step) {
    case 'wait_for_reminder':
      return {
        phase: 'awaiting_reminder',
        until: step.until,
        next: 'send reminder',
        summary: 'Reminder due (start − reminder lead)',
      };
    case 'await_confirmation':
      return {
        phase: 'awaiting_confirmation',
        until: step.until,
        next: 'auto-cancel unless confirmed',
        summary: 'Confirmation deadline (start − confirm deadline)',
      };
    case 'await_check_in':
      return {
        phase: 'awaiting_check_in',
        until: step.until,
        next: 'release as a no-show unless checked in',
        summary: 'Check-in window closes',
      };
    case 'await_end':
      return { phase: 'confirmed', until: step.until, next: 'mark completed', summary: 'Event ends' };
    default:
      return null;
  }
}

/** Writes the booking's search attributes, each only when its value changed: every upsert is a history event. */
function searchAttributeWriter(): { write(phase: BookingPhase, booking: BookingLifecycleState): void } {
  let written: { phase?: BookingPhase; venueId?: number; startsAt?: number } = {};
  return {
    write(phase, booking) {
      const changes: SearchAttributeUpdatePair[] = [];
      if (written.phase !== phase) changes.push({ key: bookingPhaseKey, value: phase });
      if (written.venueId !== booking.venueId) changes.push({ key: venueIdKey, value: booking.venueId });
      if (written.startsAt !== booking.startsAt)
        changes.push({ key: eventStartKey, value: new Date(booking.startsAt) });
      if (changes.length === 0) return;
      upsertSearchAttributes(changes);
      written = { phase, venueId: booking.venueId, startsAt: booking.startsAt };
    },
  };
}
