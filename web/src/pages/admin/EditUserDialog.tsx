import { useState } from 'preact/hooks';
import { errorMessage } from '../../api/api-error';
import type { AdminUser, Role } from '../../api/types';
import { ErrorAlert } from '../../components/Feedback';
import { ModalDialog } from '../../components/ModalDialog';
import { ROLE_NAMES, ROLES } from '../../format/role-names';

export type UserChange = { full_name?: string; email?: string; role?: Role };

export interface EditUserDialogProps {
  /** The user being edited; null while the dialog is closed. */
  user: AdminUser | null;
  isSelf: boolean;
  /** Sends the change (only the fields that changed); throws to refuse, and the dialog stays open saying why. */
  onSave: (user: AdminUser, change: UserChange) => Promise<void>;
  onClose: () => void;
}

/** What changed in the form; the same address again counts while it bounces (saving it says the mailbox is fixed). */
function changeOf(user: AdminUser, fields: FormData, isSelf: boolean): UserChange {
  const change: UserChange = {};
  const fullName = String(fields.get('full_name') ?? '').trim();
  const email = String(fields.get('email') ?? '').trim();
  const role = String(fields.get('role') ?? user.role) as Role;
  if (fullName !== user.full_name) change.full_name = fullName;
  if (email !== user.email || user.email_bounced) change.email = email;
  if (!isSelf && role !== user.role) change.role = role;
  return change;
}

/** A user's name, address and role, changed together in one request. */
export function EditUserDialog({ user, isSelf, onSave, onClose }: EditUserDialogProps) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const close = () => {
    setError(null);
    onClose();
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!user) return;
    const change = changeOf(user, new FormData(event.currentTarget as HTMLFormElement), isSelf);
    if (Object.keys(change).length === 0) return close();
    setBusy(true);
    setError(null);
    try {
      await onSave(user, change);
      close();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <ModalDialog open={user !== null} title={user ? `Edit ${user.full_name}` : 'Edit'} onClose={close}>
      {user && (
        <form class="stack" onSubmit={submit}>
          <div class="field">
            <label for="edit-user-name">Full name</label>
            <input
              id="edit-user-name"
              name="full_name"
              type="text"
              required
              maxLength={200}
              autoComplete="off"
              defaultValue={user.full_name}
            />
          </div>
          <div class="field">
            <label for="edit-user-email">Email</label>
            <input
              id="edit-user-email"
              name="email"
              type="email"
              required
              maxLength={320}
              autoComplete="off"
              defaultValue={user.email}
              aria-describedby={user.email_bounced ? 'edit-user-bounce' : undefined}
            />
            {user.email_bounced && (
              <p id="edit-user-bounce" class="notice small">
                Emails to this address bounce ({user.email_bounced.reason}); none are sent until it is saved again,
                corrected or as it is once the mailbox is fixed.
              </p>
            )}
          </div>
          <div class="field">
            <label for="edit-user-role">Role</label>
            <select
              id="edit-user-role"
              name="role"
              disabled={isSelf}
              aria-describedby={isSelf ? 'edit-user-self' : undefined}
            >
              {ROLES.map((role) => (
                <option key={role} value={role} selected={role === user.role}>
                  {ROLE_NAMES[role]}
                </option>
              ))}
            </select>
            {isSelf && (
              <p id="edit-user-self" class="hint">
                Your own role stays: another super admin can change it.
              </p>
            )}
          </div>
          <ErrorAlert message={error} />
          <div class="actions">
            <button type="submit" class="primary" disabled={busy}>
              Save changes
            </button>
            <button type="button" onClick={close}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </ModalDialog>
  );
}
