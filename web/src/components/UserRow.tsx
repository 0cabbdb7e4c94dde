import { useState } from 'preact/hooks';
import type { AdminUser, Role } from '../api/types';
import { ROLE_NAMES, ROLES } from '../format/role-names';

export interface UserRowProps {
  user: AdminUser;
  isSelf: boolean;
  busy: boolean;
  onChange: (change: { role?: Role; is_active?: boolean }) => void;
}

/** One account: its role (select + Save) and whether it may sign in. */
export function UserRow({ user, isSelf, busy, onChange }: UserRowProps) {
  const [role, setRole] = useState<Role>(user.role);
  const selectId = `user-role-${user.id}`;
  return (
    <li class={user.is_active ? 'card user-row' : 'card user-row inactive'}>
      <h3 class="card-title">
        {user.full_name}
        {isSelf && ' (you)'}
      </h3>
      <p class="muted">{user.email}</p>
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
        <select id={selectId} value={role} onChange={(e) => setRole((e.currentTarget as HTMLSelectElement).value as Role)}>
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
      <div class="actions">
        <button
          type="button"
          class={user.is_active ? 'danger' : ''}
          disabled={busy}
          onClick={() => onChange({ is_active: !user.is_active })}
          aria-label={`${user.is_active ? 'Deactivate' : 'Reactivate'} ${user.full_name}`}
        >
          {user.is_active ? 'Deactivate' : 'Reactivate'}
        </button>
      </div>
    </li>
  );
}
