// The audit viewer (`GET /api/audit`, SPEC §4.9): entries are aliases of the generated OpenAPI schemas; the filter is
// the form's own shape.
import type { components } from './schema';

type Schemas = components['schemas'];

export type AuditActor = Schemas['NamedPerson'];
export type AuditSubject = Schemas['AuditSubject'];
export type AuditLocation = Schemas['AuditLocation'];
/** One row of the audit log, as stored: never sensitive content. */
export type AuditEntry = Schemas['AuditEntry'];
export type AuditPage = Schemas['AuditPage'];

/** The filters of the viewer and of its CSV export. Empty strings mean "any"; `from`/`to` are instants. */
export interface AuditFilter {
  actor: string;
  /** Exact, or a prefix when it ends in `.` (e.g. `schedule.`). */
  action: string;
  subject: string;
  location: string;
  from: string;
  to: string;
}

export const EMPTY_AUDIT_FILTER: AuditFilter = { actor: '', action: '', subject: '', location: '', from: '', to: '' };

/** Entries per page of the viewer. */
export const AUDIT_PAGE_SIZE = 50;
