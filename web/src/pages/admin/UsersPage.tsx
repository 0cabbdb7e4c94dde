import { useLocation } from 'preact-iso/router';
import { useState } from 'preact/hooks';
import { withQuery } from '../../api/page';
import type { AdminUser, Role } from '../../api/types';
import { createUser, listUsersPage, resendWelcome, updateUser, usersUrl, type UserSearch } from '../../api/users';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorAlert, Status } from '../../components/Feedback';
import { PagedTable } from '../../components/PagedTable';
import { PageHeading } from '../../components/PageHeading';
import { UserRow } from '../../components/UserRow';
import { useAction } from '../../hooks/use-action';
import { textOf, useFormSubmit } from '../../hooks/use-form-submit';
import { usePagedList } from '../../hooks/use-paged-list';
import { ROLE_NAMES, ROLES } from '../../format/role-names';
import { USER_STATUSES } from '../../format/user-status';
import { useMe } from '../../session/use-me';
import { EditUserDialog, type UserChange } from './EditUserDialog';
import { UserFilters } from './UserFilters';

/** The search in the page's address (`/admin/users?q=ada&role=member&status=never_signed_in`); unknown values are ignored. */
function searchOfQuery(query: Record<string, string>): UserSearch {
  const role = ROLES.find((r) => r === query.role) ?? '';
  const status = USER_STATUSES.find((s) => s === query.status) ?? '';
  return { q: (query.q ?? '').trim().slice(0, 200), role, status };
}

const pageUrlOf = (search: UserSearch) =>
  withQuery('/admin/users', { q: search.q, role: search.role, status: search.status });

/** What a saved change did, in sentences. */
function changeSaid(before: AdminUser, after: AdminUser, change: UserChange): string {
  const said: string[] = [];
  if (change.full_name !== undefined) said.push(`${before.full_name} is now called ${after.full_name}.`);
  if (change.email !== undefined)
    said.push(
      before.status === 'never_signed_in' && after.email.toLowerCase() !== before.email.toLowerCase()
        ? `${after.full_name}'s email address is ${after.email}; a new welcome email with a new password goes to it.`
        : `${after.full_name}'s email address is ${after.email}; emails go to it again.`,
    );
  if (change.role !== undefined) said.push(`${after.full_name} is now a ${ROLE_NAMES[after.role].toLowerCase()}.`);
  return said.join(' ');
}

function listSummary(count: number, more: boolean, search: UserSearch): string {
  const filtered = search.q !== '' || search.role !== '' || search.status !== '';
  if (count === 0) return filtered ? 'No user matches.' : 'No users yet.';
  const users = `${count} ${count === 1 ? 'user' : 'users'}${filtered ? ' matching' : ''}`;
  return more ? `Showing the newest ${users}; Older shows more.` : `${users}${filtered ? '' : ' in all'}.`;
}

/**
 * Super admins' users: the create form, then every account as a table, searched and filtered
 * through the page's address (so a search can be shared), newest first in keyset pages. Row
 * actions: edit (name, address, role), deactivate (asked first) or reactivate, and resend the
 * welcome to someone who never signed in; each outcome is said in the live region above the table.
 */
export function UsersPage() {
  const me = useMe();
  const { query, route } = useLocation();
  const search = searchOfQuery(query);
  const users = usePagedList((limit) => usersUrl(search, limit), listUsersPage, [usersUrl(search, 0)]);
  const action = useAction(users.reload);
  const [editing, setEditing] = useState<AdminUser | null>(null);
  const [deactivating, setDeactivating] = useState<AdminUser | null>(null);

  const create = useFormSubmit(async (fields) => {
    const user = await createUser({
      full_name: textOf(fields, 'full_name'),
      email: textOf(fields, 'email'),
      role: String(fields.get('role')) as Role,
    });
    users.reload();
    return `Created ${user.full_name} — a welcome email with a password is on its way.`;
  });

  const setActive = (user: AdminUser, active: boolean) =>
    action.run(async () => {
      const changed = await updateUser(user.id, { is_active: active });
      return `${user.full_name} is ${changed.is_active ? 'active again' : 'deactivated and signed out'}.`;
    });

  const resend = (user: AdminUser) =>
    action.run(async () => {
      const sent = await resendWelcome(user.id);
      return `A new welcome email is on its way to ${sent.full_name} at ${sent.email}; the password in any earlier one stops working.`;
    });

  // The dialog shows a refusal itself and stays open; a change made is said beside the table.
  const save = async (user: AdminUser, change: UserChange) => {
    const changed = await updateUser(user.id, change);
    await action.run(async () => changeSaid(user, changed, change));
  };

  return (
    <>
      <PageHeading title="Users" />
      <section class="card" aria-labelledby="create-user-heading">
        <h2 id="create-user-heading">Create a user</h2>
        <form onSubmit={create.onSubmit} class="stack">
          <div class="field">
            <label for="new-user-name">Full name</label>
            <input id="new-user-name" name="full_name" type="text" required maxLength={200} autocomplete="off" />
          </div>
          <div class="field">
            <label for="new-user-email">Email</label>
            <input id="new-user-email" name="email" type="email" required maxLength={320} autocomplete="off" />
          </div>
          <div class="field">
            <label for="new-user-role">Role</label>
            <select id="new-user-role" name="role">
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE_NAMES[r]}
                </option>
              ))}
            </select>
          </div>
          <ErrorAlert message={create.error} />
          <Status>{create.done}</Status>
          <div class="actions">
            <button type="submit" class="primary" disabled={create.busy}>
              Create user
            </button>
          </div>
        </form>
      </section>
      <h2 class="section-heading" id="all-users-heading">
        All users
      </h2>
      <UserFilters search={search} onSearch={(next) => route(pageUrlOf(next), true)} />
      <p class="muted small" aria-live="polite">
        {users.loading ? '' : listSummary(users.items.length, users.next !== null, search)}
      </p>
      <Status>{action.status}</Status>
      <ErrorAlert message={action.error} />
      <PagedTable
        list={users}
        label="Users table"
        caption="Users, newest first"
        tableClass="compact-table stacked-on-phone users-table"
        columns={['Name', 'Email', 'Role', 'Status', 'Last sign-in', 'Actions']}
        loadingText="Loading users…"
        emptyText=""
        row={(user) => (
          <UserRow
            key={user.id}
            user={user}
            isSelf={user.id === me.id}
            busy={action.busy}
            onEdit={() => setEditing(user)}
            onActiveChange={(active) => (active ? setActive(user, true) : setDeactivating(user))}
            onResendWelcome={() => resend(user)}
          />
        )}
      />
      <EditUserDialog user={editing} isSelf={editing?.id === me.id} onSave={save} onClose={() => setEditing(null)} />
      <ConfirmDialog
        open={deactivating !== null}
        title={`Deactivate ${deactivating?.full_name ?? ''}?`}
        confirmLabel="Deactivate"
        cancelLabel="Keep the account"
        onConfirm={() => deactivating && setActive(deactivating, false)}
        onClose={() => setDeactivating(null)}
      >
        <p>
          They can no longer sign in. Their upcoming bookings are cancelled (each booker and venue told, the slots
          offered to waiters) and their waits end. Reactivating lets them sign in again, but does not bring the bookings
          back.
        </p>
      </ConfirmDialog>
    </>
  );
}
