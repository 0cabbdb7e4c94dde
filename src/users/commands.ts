import { hashPassword, verifyPassword } from '../auth/passwords';
import type { Role } from '../auth/tokens';
import type { Config } from '../config/config';
import { outbox } from '../db/outbox';
import type { Sql } from '../db/sql';
import { findActiveUser, insertUser, setPasswordHash, updateUser, type NewUser, type UserRow } from '../db/users';
import type { ActingUser } from '../domain/acting-user';
import { conflict, invalid, notFound } from '../domain/errors';
import { userOnboardingWorkflowId } from '../temporal/workflow-ids';
import { workflowTypes } from '../../workflows/workflow-types';

interface Deps {
  sql: Sql;
  config: Pick<Config, 'lifecycle'>;
}

/** A super admin adds a user; the onboarding workflow (started through the outbox) emails them a password. */
export async function createUser(deps: Deps, input: NewUser): Promise<UserRow> {
  const user = await deps.sql.begin(async (tx) => {
    const created = await insertUser(tx, input);
    if (!created) return null;
    await outbox.start(tx, workflowTypes.userOnboardingWorkflow, userOnboardingWorkflowId(created.id),
      { userId: created.id, emailRetryInitialMs: deps.config.lifecycle.emailRetryInitialMs },
      { staticSummary: `Welcome user ${created.id}` });
    return created;
  });
  if (!user) throw conflict('A user with this email already exists');
  return user as UserRow;
}

export interface UserChanges {
  role?: Role;
  isActive?: boolean;
  fullName?: string;
}

/** A super admin changes a user's role, active flag or name; never their own role or flag, so someone stays in charge. */
export async function changeUser(sql: Sql, actor: Pick<ActingUser, 'id'>, id: number, changes: UserChanges): Promise<UserRow> {
  if (id === actor.id && (changes.isActive === false || (changes.role && changes.role !== 'super_admin'))) {
    throw invalid('You cannot deactivate or demote yourself');
  }
  const user = await updateUser(sql, id, changes);
  if (!user) throw notFound('User');
  return user;
}

/** The signed-in user replaces their password, proving they know the current one. */
export async function changePassword(sql: Sql, actor: Pick<ActingUser, 'id'>, oldPassword: string, newPassword: string): Promise<void> {
  const user = await findActiveUser(sql, actor.id);
  if (!user || !(await verifyPassword(oldPassword, user.password_hash))) throw invalid('body field "old_password" is not your current password');
  if (oldPassword === newPassword) throw invalid('body field "new_password" must differ from the current password');
  await setPasswordHash(sql, user.id, await hashPassword(newPassword), false);
}
