import type { AdminUser } from '../api/types';
import { ROLE_NAMES } from '../format/role-names';
import { USER_STATUS_NAMES } from '../format/user-status';
import { TimeAgo } from './TimeAgo';

export interface UserRowProps {
  user: AdminUser;
  isSelf: boolean;
  busy: boolean;
  onEdit: () => void;
  /** Deactivating asks first (the page's dialog); reactivating undoes nothing, so it does not. */
  onActiveChange: (active: boolean) => void;
  onResendWelcome: () => void;
}

/**
 * One account as a line of the users table: name, address (and whether it bounces), role, status,
 * last sign-in, and its actions, each button naming the person for screen readers.
 */
export function UserRow({ user, isSelf, busy, onEdit, onActiveChange, onResendWelcome }: UserRowProps) {
  const name = user.full_name;
  return (
    <tr class={user.is_active ? undefined : 'inactive'}>
      <th scope="row">
        {name}
        {isSelf && ' (you)'}
      </th>
      <td data-label="Email">
        <span class="user-email" title={user.email}>
          {user.email}
        </span>
        {user.email_bounced && (
          <span class="pill pill-bounced" title={user.email_bounced.reason}>
            Bounces<span class="visually-hidden">. Emails to this address bounce ({user.email_bounced.reason})</span>
          </span>
        )}
      </td>
      <td data-label="Role">{ROLE_NAMES[user.role]}</td>
      <td data-label="Status">
        <span class={`pill pill-user-${user.status}`}>{USER_STATUS_NAMES[user.status]}</span>
      </td>
      <td data-label="Last sign-in">
        {user.last_signed_in_at ? (
          <TimeAgo iso={user.last_signed_in_at} />
        ) : user.status === 'active' ? (
          'not recorded'
        ) : (
          'never'
        )}
      </td>
      <td>
        <div class="row-actions">
          <button type="button" disabled={busy} onClick={onEdit} aria-label={`Edit ${name}`}>
            Edit
          </button>
          {user.status === 'never_signed_in' && (
            <button type="button" disabled={busy} onClick={onResendWelcome} aria-label={`Resend welcome to ${name}`}>
              Resend welcome
            </button>
          )}
          {!isSelf && (
            <button
              type="button"
              class={user.is_active ? 'danger' : ''}
              disabled={busy}
              onClick={() => onActiveChange(!user.is_active)}
              aria-label={`${user.is_active ? 'Deactivate' : 'Reactivate'} ${name}`}
            >
              {user.is_active ? 'Deactivate' : 'Reactivate'}
            </button>
          )}
        </div>
      </td>
    </tr>
  );
}
