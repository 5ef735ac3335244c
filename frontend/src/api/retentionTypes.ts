// Retention of rejected and withdrawn applicants' data: aliases of the generated OpenAPI schemas.
import type { components } from './schema';

type Schemas = components['schemas'];

export type PersonRef = Schemas['NamedPerson'];
/** A legal reason to keep a person's data past the retention period. */
export type RetentionHold = Schemas['RetentionHold'];
/** `erasesAfter`: `null` when no rule applies (an application still open, retention off, or on hold). */
export type RetentionStatus = Schemas['RetentionStatus'];
export type RetentionHoldRequest = Schemas['RetentionHoldRequest'];

/** The longest reason of a hold (the server's limit). */
export const HOLD_REASON_MAX = 300;
