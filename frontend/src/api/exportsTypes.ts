// CSV exports and locked hours periods (SPEC §4.8). The export queries are the forms' own shapes (the exports are
// plain GET downloads); locks are aliases of the generated OpenAPI schemas.
import type { ApplicationSource, ApplicationStatus } from './hiringTypes';
import type { components } from './schema';

type Schemas = components['schemas'];

/** `semicolon` also writes decimal commas (Dutch Excel); `comma` decimal points. */
export type CsvDelimiter = 'comma' | 'semicolon';
export const CSV_DELIMITERS = ['comma', 'semicolon'] as const satisfies readonly CsvDelimiter[];

export interface HoursExportQuery {
  location: string;
  /** `YYYY-MM-DD` */
  from: string;
  to: string;
  delimiter: CsvDelimiter;
}

export interface ApplicationsExportQuery {
  /** Empty: every location the caller may see. */
  location: string;
  status: ApplicationStatus | '';
  source: ApplicationSource | '';
  from: string;
  to: string;
  delimiter: CsvDelimiter;
}

/** Who locked a period; `name` is `null` once that account is erased. */
export type LockedBy = Schemas['NamedPerson'];
export type HoursLock = Schemas['HoursLock'];
export type HoursLockRequest = Schemas['NewHoursLock'];

/** The longest range of one hours export, in days (the server's limit). */
export const HOURS_EXPORT_MAX_DAYS = 366;
