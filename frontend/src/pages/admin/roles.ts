import type { Me, Role } from '../../api/types';

/**
 * Roles the current user may give in the UI (the server decides for real): administrators any staff role,
 * managers crew members and floor managers. Applicants register themselves and are not invited.
 */
export function assignableRoles(me: Me): Role[] {
  switch (me.role) {
    case 'administrator':
      return ['administrator', 'manager', 'floor_manager', 'crew_member'];
    case 'manager':
      return ['floor_manager', 'crew_member'];
    default:
      return [];
  }
}

/** Every role but the administrator's works at specific locations. */
export function needsLocation(role: Role): boolean {
  return role !== 'administrator';
}
