import { condition, patched, setCurrentDetails, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { BookingLifecycleState } from '../../src/contracts/booking-types';
import { nextLifecycleStep } from '../../src/contracts/booking-policy';
import { databaseSteps } from '../database-steps';
import { bookingStateQuery, cancelSignal, confirmSignal, rescheduleSignal } from '../../src/contracts/booking-signals';
import type { BookingPhase, BookingWorkflowInput, BookingWorkflowState } from '../../src/contracts/booking-types';
import { bookingPhaseKey, eventStartKey, venueIdKey } from '../../src/contracts/search-attributes';
import type { EmailSpec } from '../../src/contracts/retired-notice-requests';
import { emailSender } from './send-email';

const WAKE_ON_SIGNAL_DURING_READ = 'wake-on-signal-during-read';
const REISSUE_LOST_REMINDER = 'reissue-lost-reminder';

/**
 * One booking, from creation to its end: tell the booker and the venue's hall admins, sleep until
 * the reminder is due, remind, wait for confirmation until the deadline or auto-cancel, and mark it
 * completed once the event is over. PostgreSQL holds the state: before every decision the workflow
 * re-reads the row, and every change it makes is a conditional update that a confirm, cancel or
 * reschedule committed first turns into a no-op.
 */
export async function bookingWorkflow(input: BookingWorkflowInput): Promise<BookingPhase> {
  const { bookingId } = input;
  const {
    loadBookingState,
    listVenueAdminIds,
    recordReminderSent,
    autoCancelBooking,
    completeBooking,
    recordNotification,
  } = databaseSteps();
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
  for (const signal of [confirmSignal, cancelSignal, rescheduleSignal]) setHandler(signal, () => void wakeUps++);
  setHandler(bookingStateQuery, () => state);

  const emails = emailSender(input.emailRetryInitialMs);
  const emailTo = (key: string, email: EmailSpec) => emails.send(key, email);
  /** The lifecycle is over: once its last emails are delivered, the workflow closes with nothing left running. */
  const finish = async (phase: BookingPhase): Promise<BookingPhase> => {
    await emails.allDelivered();
    return phase;
  };

  /** The reminder's notification and email for one schedule version; both keyed, so a repeat changes nothing. */
  let remindedVersion: number | null = null;
  async function remind(version: number): Promise<void> {
    remindedVersion = version;
    const key = `booking:${bookingId}:v${version}:reminder`;
    await recordNotification({ key, notification: { kind: 'booking_reminder', bookingId } });
    await emailTo(key, { kind: 'booking_reminder', bookingId });
  }

  /**
   * Sleeps until `until`, or until a signal arrives after the row was read (`seen`, counted before
   * the read, so a signal that lands while the read is in flight still wakes it).
   */
  async function sleepUntil(until: number, seenBeforeRead: number, summary: string): Promise<boolean> {
    // Bookings started before this rule counted signals from the moment they went to sleep.
    const seen = patched(WAKE_ON_SIGNAL_DURING_READ) ? seenBeforeRead : wakeUps;
    const remaining = until - Date.now();
    if (remaining <= 0) return wakeUps !== seen;
    return condition(() => wakeUps !== seen, remaining, { summary });
  }

  function enter(phase: BookingPhase, booking: BookingLifecycleState, next?: { at: number; step: string }): void {
    state.phase = phase;
    state.nextDeadline = next ? new Date(next.at).toISOString() : null;
    state.nextStep = next?.step ?? null;
    state.scheduleVersion = booking.scheduleVersion;
    state.startsAt = new Date(booking.startsAt).toISOString();
    state.endsAt = new Date(booking.endsAt).toISOString();
    upsertSearchAttributes([
      { key: bookingPhaseKey, value: phase },
      { key: venueIdKey, value: booking.venueId },
      { key: eventStartKey, value: new Date(booking.startsAt) },
    ]);
    setCurrentDetails(
      [
        `**Phase:** ${phase.replace(/_/g, ' ')}`,
        `**Event:** ${state.startsAt} – ${state.endsAt} at ${booking.venueName}`,
        next ? `**Next:** ${next.step} at ${state.nextDeadline}` : '**Next:** nothing; the lifecycle is over',
      ].join('\n\n'),
    );
  }

  const created = await loadBookingState(bookingId);
  if (!created) return 'cancelled';
  await recordNotification({
    key: `booking:${bookingId}:created`,
    notification: { kind: 'booking_confirmed', bookingId },
  });
  await emailTo(`booking:${bookingId}:created`, { kind: 'booking_confirmed', bookingId });
  for (const adminId of await listVenueAdminIds(created.venueId)) {
    const key = `booking:${bookingId}:new:admin:${adminId}`;
    await recordNotification({ key, notification: { kind: 'new_booking', bookingId, adminId } });
    await emailTo(key, { kind: 'hall_admin_new_booking', bookingId, adminId });
  }

  for (;;) {
    const seen = wakeUps;
    const booking = await loadBookingState(bookingId);
    if (!booking) return finish(state.phase);
    if (booking.status === 'completed') {
      enter('completed', booking);
      return finish('completed');
    }
    if (booking.status === 'cancelled') {
      const key = booking.autoCancelled ? `booking:${bookingId}:auto-cancelled` : `booking:${bookingId}:cancelled`;
      if (booking.autoCancelled) {
        await recordNotification({ key, notification: { kind: 'booking_auto_cancelled', bookingId } });
        await emailTo(key, { kind: 'booking_auto_cancelled', bookingId });
      } else {
        const recipientId = booking.userId;
        await recordNotification({ key, notification: { kind: 'booking_cancelled', bookingId, recipientId } });
        await emailTo(key, { kind: 'booking_cancelled', bookingId, recipientId });
      }
      enter(booking.autoCancelled ? 'auto_cancelled' : 'cancelled', booking);
      return finish(state.phase);
    }

    // The row says reminded, but this run never sent the reminder: a worker died after the update
    // committed and before its workflow task completed, so the retry saw it already set. The
    // notification and email follow the row, not the update that set it.
    if (
      booking.reminderSent &&
      !booking.confirmed &&
      remindedVersion !== booking.scheduleVersion &&
      patched(REISSUE_LOST_REMINDER)
    ) {
      await remind(booking.scheduleVersion);
      continue;
    }
    const version = booking.scheduleVersion;
    // This older workflow predates check-in: it keeps its lifecycle without one (bookings created
    // since run bookingLifecycleWorkflow, which holds the check-in window).
    const step = nextLifecycleStep({ ...booking, checkIn: null }, Date.now(), input);
    switch (step.step) {
      case 'wait_for_reminder':
        enter('awaiting_reminder', booking, { at: step.until, step: 'send reminder' });
        await sleepUntil(step.until, seen, 'Reminder due (start − reminder lead)');
        break;
      case 'send_reminder':
        if (await recordReminderSent(bookingId, version, Date.now())) await remind(version);
        break;
      case 'await_confirmation':
        enter('awaiting_confirmation', booking, { at: step.until, step: 'auto-cancel unless confirmed' });
        await sleepUntil(step.until, seen, 'Confirmation deadline (start − confirm deadline)');
        break;
      case 'auto_cancel':
        await autoCancelBooking(bookingId, version, Date.now());
        break;
      case 'await_end':
        enter('confirmed', booking, { at: step.until, step: 'mark completed' });
        await sleepUntil(step.until, seen, 'Event ends');
        break;
      case 'complete':
        await completeBooking(bookingId, Date.now());
        break;
    }
  }
}
