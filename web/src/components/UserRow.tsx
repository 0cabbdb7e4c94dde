import { useState } from 'preact/hooks';
import type { AdminUser, Role } from '../api/types';
import { ROLE_NAMES, ROLES } from '../format/role-names';
import { ConfirmDialog } from './ConfirmDialog';

export interface UserRowProps {
  user: AdminUser;
  isSelf: boolean;
  busy: boolean;
  onChange: (change: { role?: Role; is_active?: boolean; email?: string }) => void;
}

/** One account: its role (select + Save), its email address (a bounce shown, and the address set anew), and whether it may sign in. */
export function UserRow({ user, isSelf, busy, onChange }: UserRowProps) {
  const [role, setRole] = useState<Role>(user.role);
  const [email, setEmail] = useState(user.email);
  const [asking, setAsking] = useState(false);
  const selectId = `user-role-${user.id}`;
  const emailId = `user-email-${user.id}`;
  return (
    <li class={user.is_active ? 'card user-row' : 'card user-row inactive'}>
      <h3 class="card-title">
        {user.full_name}
        {isSelf && ' (you)'}
      </h3>
      <p class="muted">{user.email}</p>
      {user.email_bounced && (
        <p class="notice small">
          Emails to this address bounce ({user.email_bounced.reason}); none are sent until the address is set again
          below.
        </p>
      )}
      <p>
        {user.is_active ? 'Active' : 'Deactivated'}
        {user.must_change_password && ' — has not chosen a password yet'}
      </p>
      <form
        class="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          onChange({ role });
        }}
      >
        <label for={selectId}>
          Role<span class="visually-hidden"> of {user.full_name}</span>
        </label>
        <select
          id={selectId}
          value={role}
          onChange={(e) => setRole((e.currentTarget as HTMLSelectElement).value as Role)}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_NAMES[r]}
            </option>
          ))}
        </select>
        <button type="submit" disabled={busy || role === user.role} aria-label={`Save role of ${user.full_name}`}>
          Save
        </button>
      </form>
      <form
        class="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          onChange({ email: email.trim() });
        }}
      >
        <label for={emailId}>
          Email<span class="visually-hidden"> of {user.full_name}</span>
        </label>
        <input
          id={emailId}
          type="email"
          required
          maxLength={320}
          autoComplete="off"
          value={email}
          onInput={(e) => setEmail((e.currentTarget as HTMLInputElement).value)}
        />
        {/* The same address again is allowed while it bounces: saving it says the mailbox is fixed. */}
        <button
          type="submit"
          disabled={busy || (email.trim() === user.email && !user.email_bounced)}
          aria-label={`Save email address of ${user.full_name}`}
        >
          Save
        </button>
      </form>
      <div class="actions">
        <button
          type="button"
          class={user.is_active ? 'danger' : ''}
          disabled={busy}
          // Deactivating cancels what they booked: asked first. Reactivating undoes nothing, so it is not.
          onClick={() => (user.is_active ? setAsking(true) : onChange({ is_active: true }))}
          aria-label={`${user.is_active ? 'Deactivate' : 'Reactivate'} ${user.full_name}`}
        >
          {user.is_active ? 'Deactivate' : 'Reactivate'}
        </button>
      </div>
      <ConfirmDialog
        open={asking}
        title={`Deactivate ${user.full_name}?`}
        confirmLabel="Deactivate"
        cancelLabel="Keep the account"
        onConfirm={() => onChange({ is_active: false })}
        onClose={() => setAsking(false)}
      >
        <p>
          They can no longer sign in. Their upcoming bookings are cancelled (each booker and venue told, the slots
          offered to waiters) and their waits end. Reactivating lets them sign in again, but does not bring the bookings
          back.
        </p>
      </ConfirmDialog>
    </li>
  );
}
