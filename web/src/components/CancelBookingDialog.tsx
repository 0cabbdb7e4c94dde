import { errorMessage } from '../api/api-error';
import { cancelBooking } from '../api/bookings';
import type { Booking } from '../api/types';
import { useRef } from 'preact/hooks';
import { showToast, toastActionToFocus, withUndo } from '../state/toasts';
import { ModalDialog } from './ModalDialog';

/**
 * Asks for the reason, then cancels after a few seconds in which Undo keeps the booking (nothing is
 * sent until then; leaving the page sends it at once). The answer, or the refusal, is a toast.
 */
export function CancelBookingDialog({
  booking,
  open,
  onClose,
  onCancelled,
}: {
  booking: Booking;
  open: boolean;
  onClose: () => void;
  onCancelled: (message: string) => void;
}) {
  // Sent: focus goes to Undo when the dialog closes; kept: back to what opened it.
  const sent = useRef(false);
  const submit = (event: Event) => {
    event.preventDefault();
    sent.current = true;
    const reason = String(new FormData(event.currentTarget as HTMLFormElement).get('reason') ?? '');
    onClose();
    withUndo({
      waiting: `Cancelling “${booking.event_name}”…`,
      undoName: `Undo cancelling ${booking.event_name}`,
      undone: `“${booking.event_name}” is kept.`,
      act: () => {
        cancelBooking(booking.id, reason).then(
          ({ message }) => {
            onCancelled(message);
            showToast({ message, tone: 'info' });
          },
          (failure) => showToast({ message: errorMessage(failure), tone: 'error' }),
        );
      },
    });
  };

  return (
    <ModalDialog
      open={open}
      title={`Cancel “${booking.event_name}”?`}
      onClose={onClose}
      returnFocus={() => {
        const undo = sent.current ? toastActionToFocus.current : null;
        sent.current = false;
        return undo;
      }}
    >
      <form onSubmit={submit} class="stack">
        <p>The slot is freed and offered to the first person on its waitlist. You have a few seconds to undo it.</p>
        <div class="field">
          <label for={`cancel-reason-${booking.id}`}>Reason</label>
          <textarea id={`cancel-reason-${booking.id}`} name="reason" rows={3} maxLength={500} />
        </div>
        <div class="actions">
          <button type="submit" class="danger">
            Cancel booking
          </button>
          <button type="button" onClick={onClose}>
            Keep booking
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
