import { useEffect, useRef, useState } from 'preact/hooks';
import { errorMessage } from '../api/api-error';
import { checkInBooking, confirmBooking, overrideAutoCancel } from '../api/bookings';
import type { Booking, Me } from '../api/types';
import { awaitsConfirmation, bookingSlot, bookingStart } from '../format/booking-state';
import { useCheckInOpen } from '../hooks/use-check-in-open';
import { CancelBookingDialog } from './CancelBookingDialog';
import { ErrorAlert, Status } from './Feedback';
import { RescheduleDialog } from './RescheduleDialog';

export interface BookingActionsProps {
  booking: Booking;
  viewer: Me;
  /** `owner`: confirm, reschedule, cancel; `venue`: a venue administrator's cancel and override. */
  as: 'owner' | 'venue';
  /** After any change: the caller refetches what the server now says. */
  onChanged: () => void;
  /** In a list of bookings: buttons name the booking for screen readers ("Cancel booking: Choir practice, Tue 8 Dec, 10:00–12:00"). */
  inList?: boolean;
}

/** The buttons a booking offers its viewer, with the outcome announced beside them. */
export function BookingActions({ booking, viewer, as, onChanged, inList = false }: BookingActionsProps) {
  const [dialog, setDialog] = useState<'cancel' | 'reschedule' | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const active = booking.status === 'active';
  const upcoming = bookingStart(booking).getTime() > Date.now();
  const mine = booking.user === viewer.id;
  const checkInOpen = useCheckInOpen(booking);
  const wrapper = useRef<HTMLDivElement>(null);
  const refocus = useRef(false);
  // The button just used may be gone once the booking is refetched (Check in, Confirm): focus
  // stays in the card instead of falling back to the top of the page.
  useEffect(() => {
    if (!refocus.current) return;
    refocus.current = false;
    if (document.activeElement === document.body || document.activeElement === null) wrapper.current?.focus();
  }, [booking]);

  const act = async (action: () => Promise<{ message: string }>) => {
    setBusy(true);
    setError(null);
    setStatus(null);
    try {
      setStatus((await action()).message);
      refocus.current = true;
      onChanged();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };
  const done = (message: string) => {
    setError(null);
    setStatus(message);
    refocus.current = true;
    onChanged();
  };

  // In a list, each button says which booking it acts on (read out, not shown: the card shows it);
  // the visible words start the name, as WCAG's label-in-name asks.
  const named = (label: string) => (inList ? `${label}: ${booking.event_name}, ${bookingSlot(booking)}` : undefined);

  return (
    <div class="booking-actions" ref={wrapper} tabIndex={-1}>
      {active && (
        <div class="actions">
          {as === 'owner' && mine && checkInOpen && (
            <button
              type="button"
              class="primary"
              disabled={busy}
              aria-label={named('Check in')}
              onClick={() =>
                act(async () => {
                  await checkInBooking(booking.id);
                  return { message: 'You are checked in.' };
                })
              }
            >
              Check in
            </button>
          )}
          {as === 'owner' && mine && awaitsConfirmation(booking) && (
            <button
              type="button"
              class="primary"
              disabled={busy}
              aria-label={named('Confirm I still need it')}
              onClick={() => act(() => confirmBooking(booking.id))}
            >
              Confirm I still need it
            </button>
          )}
          {as === 'venue' && awaitsConfirmation(booking) && (
            <button
              type="button"
              disabled={busy}
              aria-label={named(booking.confirm_by ? 'Override auto-cancel' : 'Confirm for the booker')}
              onClick={() => act(() => overrideAutoCancel(booking.id))}
            >
              {/* A booking with no deadline (reminded too late, or its reminder email bounced) is never auto-cancelled. */}
              {booking.confirm_by ? 'Override auto-cancel' : 'Confirm for the booker'}
            </button>
          )}
          {as === 'owner' && mine && upcoming && (
            <button type="button" aria-label={named('Reschedule')} onClick={() => setDialog('reschedule')}>
              Reschedule
            </button>
          )}
          <button type="button" class="danger" aria-label={named('Cancel booking')} onClick={() => setDialog('cancel')}>
            Cancel booking
          </button>
        </div>
      )}
      {active && as === 'venue' && awaitsConfirmation(booking) && (
        <p class="hint small">
          {booking.confirm_by
            ? `Override auto-cancel keeps the booking even if ${booking.user_name ?? 'the booker'} never confirms; otherwise it is cancelled at its deadline and offered to the waitlist.`
            : `Confirm for the booker marks it confirmed for ${booking.user_name ?? 'the booker'}; it is not cancelled for silence either way.`}
        </p>
      )}
      <Status>{status}</Status>
      <ErrorAlert message={error} />
      {active && (
        <>
          <CancelBookingDialog
            booking={booking}
            open={dialog === 'cancel'}
            onClose={() => setDialog(null)}
            onCancelled={done}
          />
          <RescheduleDialog
            booking={booking}
            open={dialog === 'reschedule'}
            onClose={() => setDialog(null)}
            onRescheduled={done}
          />
        </>
      )}
    </div>
  );
}
