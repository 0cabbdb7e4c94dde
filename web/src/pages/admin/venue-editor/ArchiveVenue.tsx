import { useState } from 'preact/hooks';
import { errorMessage } from '../../../api/api-error';
import type { Venue } from '../../../api/types';
import { updateVenue } from '../../../api/venue-settings';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { ErrorAlert, Status } from '../../../components/Feedback';

/**
 * Archiving a venue (a super admin's): nobody can book it from then on, while what was booked and its
 * history stay. Asked first, saying so; bringing it back needs no asking.
 */
export function ArchiveVenue({ venue, onSaved }: { venue: Venue; onSaved: (venue: Venue) => void }) {
  const [asking, setAsking] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const archive = async (archived: boolean) => {
    setBusy(true);
    setStatus(null);
    setError(null);
    try {
      const saved = await updateVenue(venue.id, { archived });
      setStatus(
        archived
          ? `Archived ${saved.name}: nobody can book it now; its bookings and history stay.`
          : `${saved.name} is back: it can be booked again.`,
      );
      onSaved(saved);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="stack">
      <h4>{venue.archived ? 'Archived' : 'Archive'}</h4>
      <p class="hint">
        {venue.archived
          ? `${venue.name} is archived: nobody can book it.`
          : 'An archived venue takes no new bookings; its bookings already made and its history stay.'}
      </p>
      <Status>{status}</Status>
      <ErrorAlert message={error} />
      <div class="actions">
        {venue.archived ? (
          <button type="button" disabled={busy} onClick={() => archive(false)}>
            Bring back {venue.name}
          </button>
        ) : (
          <button type="button" class="danger" disabled={busy} onClick={() => setAsking(true)}>
            Archive {venue.name}
          </button>
        )}
      </div>
      <ConfirmDialog
        open={asking}
        title={`Archive ${venue.name}?`}
        confirmLabel="Archive venue"
        cancelLabel="Keep it"
        onConfirm={() => archive(true)}
        onClose={() => setAsking(false)}
      >
        <p>
          Nobody can book {venue.name} from now on. Its bookings already made stay as they are, and so does its history;
          you can bring it back later.
        </p>
      </ConfirmDialog>
    </div>
  );
}
