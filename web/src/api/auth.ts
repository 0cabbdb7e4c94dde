import { apiCall } from './authorized-fetch';
import { jsonFetch } from './json-fetch';
import type { LoginAnswer, Me, Message, PasswordChanged } from './types';

/** The refresh token is set by the server as an HttpOnly cookie, never handed to this script. */
export async function login(email: string, password: string): Promise<LoginAnswer> {
  return (
    await jsonFetch<LoginAnswer>('/api/auth/login', { method: 'POST', body: { email, password, refresh_in: 'cookie' } })
  ).data;
}

export const fetchMe = () => apiCall<Me>('/api/auth/me');

export const changePassword = (oldPassword: string, newPassword: string) =>
  apiCall<PasswordChanged>('/api/auth/change_password', {
    method: 'POST',
    body: { old_password: oldPassword, new_password: newPassword, refresh_in: 'cookie' },
  });

export const logout = () => apiCall<Message>('/api/auth/logout', { method: 'POST' });
