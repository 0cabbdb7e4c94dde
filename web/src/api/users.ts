import { api, urlFor } from './contract';
import type { BodyOf } from './operations';
import { fetchAll, fetchPage, type Page } from './page';
import type { AdminUser, Role, UserStatus } from './types';

/** What the users table asks for: text in a name or an address, a role, a status (unset: any). */
export interface UserSearch {
  q: string;
  role: Role | '';
  status: UserStatus | '';
}

export const usersUrl = (search: UserSearch, limit: number) =>
  urlFor('/api/users', {
    query: {
      q: search.q.trim() || undefined,
      role: search.role || undefined,
      status: search.status || undefined,
      limit,
    },
  });

export const listUsersPage = (url: string): Promise<Page<AdminUser>> => fetchPage<AdminUser>(url);

export const listAllUsers = () => fetchAll<AdminUser>(urlFor('/api/users', { query: { limit: 100 } }));

export const createUser = (user: BodyOf<'/api/users', 'post'>) => api.post('/api/users', { body: user });

export const updateUser = (id: number, change: BodyOf<'/api/users/{id}', 'patch'>) =>
  api.patch('/api/users/{id}', { path: { id }, body: change });

/** Only for someone who never signed in; answers the user (409 with the reason otherwise). */
export const resendWelcome = (id: number) => api.post('/api/users/{id}/resend_welcome', { path: { id } });
