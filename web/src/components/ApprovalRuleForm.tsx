import { useId, useState } from 'preact/hooks';
import { errorMessage } from '../api/api-error';
import type { ApprovalRule, Venue } from '../api/types';
import { updateVenueApproval } from '../api/venues';
import { approvalRuleWords } from '../format/approval-words';
import { ErrorAlert, Status } from './Feedback';

const ON_TIMEOUT: Array<[ApprovalRule['on_timeout'], string]> = [
  ['deny', 'Deny it'],
  ['approve', 'Approve it'],
];

/**
 * Whether a venue's staff approve each booking (for its administrators), and what a request nobody
 * decides by its deadline comes to. Requests wait in the Requests inbox, holding their slot.
 */
export function ApprovalRuleForm({ venue, onSaved }: { venue: Venue; onSaved: (venue: Venue) => void }) {
  const id = useId();
  const [required, setRequired] = useState(venue.approval.required);
  const [onTimeout, setOnTimeout] = useState(venue.approval.on_timeout);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setStatus(null);
    setError(null);
    try {
      const saved = await updateVenueApproval(venue.id, { required, on_timeout: onTimeout });
      setStatus(approvalRuleWords(saved.name, saved.approval));
      onSaved(saved);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="approval-rule" onSubmit={save}>
      <fieldset>
        <legend>Approval at {venue.name}</legend>
        <label class="checkbox">
          <input
            type="checkbox"
            checked={required}
            onChange={(e) => setRequired((e.currentTarget as HTMLInputElement).checked)}
            aria-describedby={`${id}-hint`}
          />
          Require approval of each booking
        </label>
        <p id={`${id}-hint`} class="hint">
          A booking then waits in Requests, holding its slot, until one of the venue's administrators approves or denies
          it. Bookings already made keep what they had.
        </p>
        <fieldset class="plain choice-group" disabled={!required} aria-describedby={`${id}-timeout-hint`}>
          <legend>If nobody decides in time</legend>
          {ON_TIMEOUT.map(([value, label]) => (
            <label key={value} class="checkbox">
              <input
                type="radio"
                name={`${id}-on-timeout`}
                value={value}
                checked={onTimeout === value}
                onChange={() => setOnTimeout(value)}
              />
              {label}
            </label>
          ))}
          <p id={`${id}-timeout-hint`} class="hint">
            Read at each request's deadline, so a change applies to requests already waiting too.
          </p>
        </fieldset>
        <ErrorAlert message={error} />
        <Status>{status}</Status>
        <div class="actions">
          <button type="submit" disabled={busy}>
            Save approval rule<span class="visually-hidden"> for {venue.name}</span>
          </button>
        </div>
      </fieldset>
    </form>
  );
}
