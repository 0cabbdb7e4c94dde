import type { Role } from '../auth/tokens';
import type { OidcConfig } from '../config/oidc';

/** What the provider's groups make of a person: their role, and for a hall admin the venues (by slug). */
export interface ProvidedRole {
  role: Role;
  /** The venues a hall admin administers, by slug; empty for the other roles. */
  venueSlugs: string[];
}

/**
 * The role the groups give: the super admin group makes a super admin; otherwise each
 * `<prefix><venue slug>` group makes a hall admin of that venue (`known` says which slugs name a
 * venue; one that names none is ignored); otherwise a member. Some providers write groups as paths
 * (Keycloak's `/bookit-super-admin`): a leading slash is ignored.
 */
export function roleFromGroups(
  groups: string[],
  mapping: NonNullable<OidcConfig['roles']>,
  known: (slug: string) => boolean,
): ProvidedRole {
  const names = groups.map((group) => group.replace(/^\//, ''));
  if (names.includes(mapping.superAdminGroup)) return { role: 'super_admin', venueSlugs: [] };
  const venueSlugs = [
    ...new Set(
      names
        .filter((name) => name.startsWith(mapping.hallAdminGroupPrefix))
        .map((name) => name.slice(mapping.hallAdminGroupPrefix.length).toLowerCase())
        .filter(known),
    ),
  ].sort();
  return venueSlugs.length > 0 ? { role: 'hall_admin', venueSlugs } : { role: 'member', venueSlugs: [] };
}

/** The hall-admin slugs the groups name, for looking the venues up first. */
export function hallAdminSlugs(groups: string[], mapping: NonNullable<OidcConfig['roles']>): string[] {
  return groups
    .map((group) => group.replace(/^\//, ''))
    .filter((name) => name.startsWith(mapping.hallAdminGroupPrefix))
    .map((name) => name.slice(mapping.hallAdminGroupPrefix.length).toLowerCase());
}
