import { useState } from 'preact/hooks';
import { errorMessage } from '../../api/api-error';
import { withQuery } from '../../api/page';
import type { Role } from '../../api/types';
import { createUser, listUsersPage, updateUser } from '../../api/users';
import { ErrorAlert, Status } from '../../components/Feedback';
import { OlderButton } from '../../components/OlderButton';
import { PageHeading } from '../../components/PageHeading';
import { UserRow } from '../../components/UserRow';
import { textOf, useFormSubmit } from '../../hooks/use-form-submit';
import { usePagedList } from '../../hooks/use-paged-list';
import { ROLE_NAMES, ROLES } from '../../format/role-names';
import { useMe } from '../../session/use-me';

export function UsersPage() {
  const me = useMe();
  const users = usePagedList((limit) => withQuery('/api/users', { limit }), listUsersPage, []);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const create = useFormSubmit(async (fields) => {
    const user = await createUser({
      full_name: textOf(fields, 'full_name'),
      email: textOf(fields, 'email'),
      role: String(fields.get('role')) as Role,
    });
    users.reload();
    return `Created ${user.full_name} — a welcome email with a password is on its way.`;
  });

  const change = async (id: number, name: string, patch: { role?: Role; is_active?: boolean; email?: string }) => {
    setBusy(true);
    setError(null);
    setStatus(null);
    try {
      const user = await updateUser(id, patch);
      setStatus(
        patch.email !== undefined
          ? `${name}'s email address is ${user.email}; emails go to it again.`
          : patch.role
            ? `${name} is now a ${ROLE_NAMES[user.role].toLowerCase()}.`
            : `${name} is ${user.is_active ? 'active again' : 'deactivated and signed out'}.`,
      );
      users.reload();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
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
      <h2 class="section-heading">All users</h2>
      <Status>{status}</Status>
      <ErrorAlert message={error ?? users.error} />
      {users.loading ? (
        <p class="muted">Loading users…</p>
      ) : (
        <ul class="card-list user-list">
          {users.items.map((user) => (
            <UserRow
              key={`${user.id}-${user.role}`}
              user={user}
              isSelf={user.id === me.id}
              busy={busy}
              onChange={(patch) => change(user.id, user.full_name, patch)}
            />
          ))}
        </ul>
      )}
      <OlderButton next={users.next} busy={users.loadingOlder} onClick={users.loadOlder} />
    </>
  );
}
