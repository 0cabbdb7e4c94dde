import { useEffect, useRef, useState } from 'preact/hooks';
import { errorMessage } from '../../api/api-error';
import { approveRequest } from '../../api/approvals';
import { checkInBooking, overrideAutoCancel } from '../../api/bookings';
import type { ApprovalRequest, Booking, Venue } from '../../api/types';
import { bookingSlot } from '../../format/booking-state';
import { deskTimes, STATE_WORDS, stateDetail } from '../../format/desk-state';
import { useCheckInOpen } from '../../hooks/use-check-in-open';
import { CancelBookingDialog } from '../CancelBookingDialog';
import { DenyRequestDialog, type DenyTarget } from '../DenyRequestDialog';
import { ErrorAlert, Status } from '../Feedback';

/** The booking as the Deny dialog reads a request: who asked, for what, decided by when. */
const requestOf = (booking: Booking, venue: Venue | undefined): ApprovalRequest => ({
  id: booking.id,
  venue_id: booking.venue,
  venue_name: booking.venue_name,
  time_zone: booking.time_zone,
  user_id: booking.user,
  user_name: booking.user_name ?? 'The booker',
  event_name: booking.event_name,
  event_details: booking.event_details,
  date: booking.date,
  start_time: booking.start_time,
  end_time: booking.end_time,
  starts_at: booking.starts_at,
  ends_at: booking.ends_at,
  requested_at: booking.created_at,
  decide_by: booking.approval_deadline ?? booking.starts_at,
  on_timeout: venue?.approval.on_timeout ?? 'deny',
  series_id: booking.series_id ?? null,
});

/**
 * One booking on the desk's day: its times, what and whose, its state in words and what the desk
 * may do now (check the booker in while the window is open, decide a request, keep a reminded
 * booking from being cancelled for silence, cancel). Every button names its booking for screen
 * readers; the outcome is said beside them, and focus stays in the row when the button goes.
 */
export function DeskBookingRow({
  booking,
  venue,
  onChanged,
}: {
  booking: Booking;
  venue: Venue | undefined;
  /** After a change: the day is read again; `decided` when a request was (the inbox's count changes). */
  onChanged: (decided: boolean) => void;
}) {
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [dialog, setDialog] = useState<'cancel' | 'deny' | null>(null);
  const [denying, setDenying] = useState<DenyTarget | null>(null);
  const row = useRef<HTMLLIElement>(null);
  const refocus = useRef(false);
  const checkInOpen = useCheckInOpen(booking);
  const active = booking.status === 'active';
  const pending = booking.state === 'pending_approval';
  const booker = booking.user_name ?? `User #${booking.user}`;

  // The button just used is gone once the day is read again (Check in, Approve): focus stays here.
  useEffect(() => {
    if (!refocus.current) return;
    refocus.current = false;
    if (document.activeElement === document.body || document.activeElement === null) row.current?.focus();
  }, [booking]);

  const act = async (action: () => Promise<string>, decided = false) => {
    setBusy(true);
    setError(null);
    setStatus(null);
    try {
      setStatus(await action());
      refocus.current = true;
      onChanged(decided);
    } catch (failure) {
      setError(errorMessage(failure));
      onChanged(false);
    } finally {
      setBusy(false);
    }
  };
  const done = (message: string, decided = false) => {
    setError(null);
    setStatus(message);
    refocus.current = true;
    onChanged(decided);
  };

  // Read out, not shown: the row shows which booking it is. The visible words start the name.
  const named = (label: string) => `${label}: ${booking.event_name}, ${bookingSlot(booking)}`;
  const detail = stateDetail(booking);

  return (
    <li class={`desk-row desk-${booking.state}`} ref={row} tabIndex={-1}>
      <p class="desk-time">{deskTimes(booking)}</p>
      <div class="desk-body">
        <h3 class="desk-title">
          <a href={`/bookings/${booking.id}`}>{booking.event_name}</a>
        </h3>
        <p class="desk-meta">
          <span>{booker}</span> <span class="desk-state">{STATE_WORDS[booking.state]}</span>
        </p>
        {detail && <p class="hint small">{detail}</p>}
        {active && (
          <div class="actions">
            {checkInOpen && (
              <button
                type="button"
                class="primary"
                disabled={busy}
                aria-label={named('Check in')}
                onClick={() =>
                  act(async () => {
                    await checkInBooking(booking.id);
                    return `Checked in: ${booking.event_name}, ${booker}.`;
                  })
                }
              >
                Check in
              </button>
            )}
            {pending && !booking.series_id && (
              <>
                <button
                  type="button"
                  class="primary"
                  disabled={busy}
                  aria-label={named('Approve')}
                  onClick={() =>
                    act(async () => {
                      await approveRequest(booking.id);
                      return `Approved “${booking.event_name}” for ${booker}: they are told, and it is booked.`;
                    }, true)
                  }
                >
                  Approve
                </button>
                <button
                  type="button"
                  class="danger"
                  disabled={busy}
                  aria-label={named('Deny')}
                  onClick={() => {
                    setError(null);
                    setDenying({ kind: 'request', request: requestOf(booking, venue) });
                    setDialog('deny');
                  }}
                >
                  Deny
                </button>
              </>
            )}
            {pending && booking.series_id ? (
              <a href="/requests" aria-label={named('Decide in Requests')}>
                Decide in Requests
              </a>
            ) : null}
            {booking.state === 'awaiting_confirmation' && booking.confirm_by && (
              <button
                type="button"
                disabled={busy}
                aria-label={named('Override auto-cancel')}
                aria-describedby={`desk-override-${booking.id}`}
                onClick={() => act(async () => (await overrideAutoCancel(booking.id)).message)}
              >
                Override auto-cancel
              </button>
            )}
            <button
              type="button"
              class="danger"
              disabled={busy}
              aria-label={named('Cancel booking')}
              onClick={() => setDialog('cancel')}
            >
              Cancel booking
            </button>
          </div>
        )}
        {pending && booking.series_id ? (
          <p class="hint small">A date of a repeating request: it is approved with its other dates in Requests.</p>
        ) : null}
        {active && booking.state === 'awaiting_confirmation' && booking.confirm_by && (
          <p class="hint small" id={`desk-override-${booking.id}`}>
            Override auto-cancel keeps the booking even if {booker} never confirms; otherwise it is cancelled at its
            deadline and offered to the waitlist.
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
              onCancelled={(message) => done(message)}
            />
            <DenyRequestDialog
              target={dialog === 'deny' ? denying : null}
              onClose={() => setDialog(null)}
              onDenied={(message) => done(message, true)}
              onDecidedElsewhere={(message) => {
                setStatus(null);
                setError(message);
                onChanged(true);
              }}
              returnFocus={() => row.current}
            />
          </>
        )}
      </div>
    </li>
  );
}
