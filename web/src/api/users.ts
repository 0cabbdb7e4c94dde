import { apiCall } from './authorized-fetch';
import { fetchAll, fetchPage, withQuery, type Page } from './page';
import type { AdminUser, Role, User, UserStatus } from './types';

/** What the users table asks for: text in a name or an address, a role, a status (unset: any). */
export interface UserSearch {
  q: string;
  role: Role | '';
  status: UserStatus | '';
}

export const usersUrl = (search: UserSearch, limit: number) =>
  withQuery('/api/users', { q: search.q.trim(), role: search.role, status: search.status, limit });

export const listUsersPage = (url: string): Promise<Page<AdminUser>> => fetchPage<AdminUser>(url);

export const listAllUsers = () => fetchAll<AdminUser>('/api/users?limit=100');

export const createUser = (user: { full_name: string; email: string; role: Role }) =>
  apiCall<User>('/api/users', { method: 'POST', body: user });

export const updateUser = (
  id: number,
  change: { role?: Role; is_active?: boolean; email?: string; full_name?: string },
) => apiCall<AdminUser>(`/api/users/${id}`, { method: 'PATCH', body: change });

/** Only for someone who never signed in; answers the user (409 with the reason otherwise). */
export const resendWelcome = (id: number) => apiCall<AdminUser>(`/api/users/${id}/resend_welcome`, { method: 'POST' });
