import { useState } from 'preact/hooks';
import { errorMessage } from '../api/api-error';
import { cancelBooking } from '../api/bookings';
import type { Booking } from '../api/types';
import { ErrorAlert } from './Feedback';
import { ModalDialog } from './ModalDialog';

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
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const reason = String(new FormData(event.currentTarget as HTMLFormElement).get('reason') ?? '');
    setBusy(true);
    setError(null);
    try {
      const { message } = await cancelBooking(booking.id, reason);
      onCancelled(message);
      onClose();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <ModalDialog open={open} title={`Cancel “${booking.event_name}”?`} onClose={onClose}>
      <form onSubmit={submit} class="stack">
        <p>The slot is freed at once and offered to the first person on its waitlist.</p>
        <div class="field">
          <label for={`cancel-reason-${booking.id}`}>Reason</label>
          <textarea id={`cancel-reason-${booking.id}`} name="reason" rows={3} maxLength={500} />
        </div>
        <ErrorAlert message={error} />
        <div class="actions">
          <button type="submit" class="danger" disabled={busy}>
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
