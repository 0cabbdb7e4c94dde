import type { Role } from '../api/types';

export const ROLE_NAMES: Record<Role, string> = {
  member: 'Member',
  hall_admin: 'Hall admin',
  super_admin: 'Super admin',
};

export const ROLES: Role[] = ['member', 'hall_admin', 'super_admin'];
