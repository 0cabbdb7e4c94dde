import type { UserStatus } from '../api/types';

export const USER_STATUS_NAMES: Record<UserStatus, string> = {
  active: 'Active',
  never_signed_in: 'Never signed in',
  deactivated: 'Deactivated',
};

export const USER_STATUSES: UserStatus[] = ['active', 'never_signed_in', 'deactivated'];
