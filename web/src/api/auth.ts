import { api } from './contract';
import type { BodyOf } from './operations';
import { jsonFetch } from './json-fetch';
import type { LoginAnswer, SignInMethods } from './types';

/** The refresh token is set by the server as an HttpOnly cookie, never handed to this script. */
export async function login(email: string, password: string): Promise<LoginAnswer> {
  const body: BodyOf<'/api/auth/login', 'post'> = { email, password, refresh_in: 'cookie' };
  return (await jsonFetch<LoginAnswer>('/api/auth/login', { method: 'POST', body })).data;
}

export const fetchMe = () => api.get('/api/auth/me');

export const changePassword = (oldPassword: string, newPassword: string) =>
  api.post('/api/auth/change_password', {
    body: { old_password: oldPassword, new_password: newPassword, refresh_in: 'cookie' },
  });

export const logout = () => api.post('/api/auth/logout');

/** Public: whether to offer single sign-on (and under which name), and whether passwords are for break-glass only. */
export async function fetchSignInMethods(): Promise<SignInMethods> {
  return (await jsonFetch<SignInMethods>('/api/auth/methods')).data;
}
