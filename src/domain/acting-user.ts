import type { Role } from '../auth/tokens';

/** Who is doing something: the signed-in user of a request, the recipient of an email link, a script's admin. */
export interface ActingUser {
  id: number;
  email: string;
  fullName: string;
  role: Role;
}
