import { apiCall } from './authorized-fetch';
import { fetchAll, fetchPage, type Page } from './page';
import type { AdminUser, Role, User } from './types';

export const listUsersPage = (url: string): Promise<Page<AdminUser>> => fetchPage<AdminUser>(url);

export const listAllUsers = () => fetchAll<AdminUser>('/api/users?limit=100');

export const createUser = (user: { full_name: string; email: string; role: Role }) =>
  apiCall<User>('/api/users', { method: 'POST', body: user });

export const updateUser = (id: number, change: { role?: Role; is_active?: boolean; email?: string }) =>
  apiCall<AdminUser>(`/api/users/${id}`, { method: 'PATCH', body: change });
