// Permission checks that know the hiring permissions too (the generated `Permission` enum does not have them
// until the server's OpenAPI document does). They only shape the UI: the server checks every request.
import type { AnyPermission } from './hiringTypes';
import type { Me } from './types';

export function hasPermission(me: Pick<Me, 'permissions'> | null | undefined, permission: AnyPermission): boolean {
  return !!me && (me.permissions as readonly string[]).includes(permission);
}

export function hasAnyPermission(
  me: Pick<Me, 'permissions'> | null | undefined,
  permissions: readonly AnyPermission[],
): boolean {
  return permissions.some((p) => hasPermission(me, p));
}

/** Who may open the locations page: administrators (`locations.manage`) and managers (`locations.edit`). */
export const LOCATION_PAGE_PERMISSIONS = ['locations.manage', 'locations.edit'] as const satisfies readonly AnyPermission[];
