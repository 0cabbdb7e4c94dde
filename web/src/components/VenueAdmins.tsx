import { useState } from 'preact/hooks';
import type { AdminUser, Venue } from '../api/types';
import { ConfirmDialog } from './ConfirmDialog';

export interface VenueAdminsProps {
  venue: Venue;
  usersById: Map<number, AdminUser>;
  hallAdmins: AdminUser[];
  busy: boolean;
  onAssign: (userId: number) => void;
  onRemove: (userId: number) => void;
}

/** A venue's administrators, each removable, and a choice of hall admins to add. */
export function VenueAdmins({ venue, usersById, hallAdmins, busy, onAssign, onRemove }: VenueAdminsProps) {
  const candidates = hallAdmins.filter((user) => user.is_active && !venue.admin_ids.includes(user.id));
  const [chosen, setChosen] = useState<string>('');
  const selectId = `venue-admin-${venue.id}`;
  const nameOf = (id: number) => usersById.get(id)?.full_name ?? `User #${id}`;
  const [removing, setRemoving] = useState<number | null>(null);

  return (
    <div class="stack">
      <h4 class="small-heading">Hall admins</h4>
      {venue.admin_ids.length === 0 ? (
        <p class="muted">No hall admin yet.</p>
      ) : (
        <ul class="plain-list">
          {venue.admin_ids.map((id) => (
            <li key={id} class="admin-row">
              <span>
                {nameOf(id)} <span class="muted">{usersById.get(id)?.email}</span>
              </span>
              <button
                type="button"
                disabled={busy}
                onClick={() => setRemoving(id)}
                aria-label={`Remove ${nameOf(id)} from ${venue.name}`}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        class="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (chosen) onAssign(Number(chosen));
          setChosen('');
        }}
      >
        <label for={selectId}>
          Add hall admin<span class="visually-hidden"> to {venue.name}</span>
        </label>
        <select
          id={selectId}
          value={chosen}
          onChange={(e) => setChosen((e.currentTarget as HTMLSelectElement).value)}
          disabled={candidates.length === 0}
        >
          <option value="">{candidates.length === 0 ? 'No other hall admins' : 'Choose…'}</option>
          {candidates.map((user) => (
            <option key={user.id} value={String(user.id)}>
              {user.full_name} ({user.email})
            </option>
          ))}
        </select>
        <button type="submit" disabled={busy || !chosen} aria-label={`Assign to ${venue.name}`}>
          Assign
        </button>
      </form>
      <ConfirmDialog
        open={removing !== null}
        title={`Remove ${removing === null ? '' : nameOf(removing)} from ${venue.name}?`}
        confirmLabel="Remove"
        cancelLabel="Keep them"
        onConfirm={() => removing !== null && onRemove(removing)}
        onClose={() => setRemoving(null)}
      >
        <p>They no longer see its bookings, decide its requests or get its alerts. You can add them again later.</p>
      </ConfirmDialog>
    </div>
  );
}
