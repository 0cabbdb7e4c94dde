import { useState } from 'preact/hooks';
import { errorMessage } from '../api/api-error';
import { rescheduleBooking } from '../api/bookings';
import type { Booking } from '../api/types';
import { shortTime } from '../format/zoned-time';
import { ErrorAlert } from './Feedback';
import { ModalDialog } from './ModalDialog';

export function RescheduleDialog({
  booking,
  open,
  onClose,
  onRescheduled,
}: {
  booking: Booking;
  open: boolean;
  onClose: () => void;
  onRescheduled: (message: string) => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = (name: string) => `reschedule-${name}-${booking.id}`;

  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const field = (name: string) => String(form.get(name) ?? '');
    setBusy(true);
    setError(null);
    try {
      await rescheduleBooking(booking.id, {
        date: field('date'),
        start_time: field('start_time'),
        end_time: field('end_time'),
      });
      onRescheduled('Rescheduled. The reminder and the confirmation deadline follow the new time.');
      onClose();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <ModalDialog open={open} title={`Reschedule “${booking.event_name}”`} onClose={onClose}>
      <form onSubmit={submit} class="stack">
        <p>
          Date and times are local to {booking.venue_name} ({booking.time_zone}).
        </p>
        <div class="field">
          <label for={id('date')}>Date</label>
          <input id={id('date')} name="date" type="date" required defaultValue={booking.date} />
        </div>
        <div class="field-row">
          <div class="field">
            <label for={id('start')}>Start time</label>
            <input
              id={id('start')}
              name="start_time"
              type="time"
              required
              defaultValue={shortTime(booking.start_time)}
            />
          </div>
          <div class="field">
            <label for={id('end')}>End time</label>
            <input id={id('end')} name="end_time" type="time" required defaultValue={shortTime(booking.end_time)} />
          </div>
        </div>
        <ErrorAlert message={error} />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            Save new time
          </button>
          <button type="button" onClick={onClose}>
            Keep current time
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
