// Friendly names for the generated OpenAPI types. Only these (never hand-written copies) are used in the app,
// so regenerating schema.d.ts from the server's document makes any drift a compile error.
import type { components, paths } from './schema';

type Schemas = components['schemas'];

export type Me = Schemas['Me'];
export type LocationRef = Schemas['LocationRef'];
export type UserSummary = Schemas['UserSummary'];
export type Location = Schemas['Location'];
export type PublicLocation = Schemas['PublicLocation'];
export type OutboxMail = Schemas['OutboxMail'];
export type OutboxStatus = OutboxMail['status'];
export type Role = Schemas['Role'];
export type UserStatus = Schemas['UserStatus'];
export type Permission = Schemas['Permission'];
export type ErrorBody = Schemas['ErrorBody'];
export type UserPage = Schemas['UserPage'];
export type OutboxPage = Schemas['OutboxPage'];
export type AuthResponse = Schemas['AuthResponse'];

export type RegisterRequest = Schemas['RegisterRequest'];
export type LoginRequest = Schemas['LoginRequest'];
export type ChangePasswordRequest = Schemas['ChangePasswordRequest'];
export type PasswordResetRequest = Schemas['PasswordResetRequest'];
export type PasswordResetConfirmRequest = Schemas['PasswordResetConfirmRequest'];
export type CreateUserRequest = Schemas['CreateUserRequest'];
export type UpdateUserRequest = Schemas['UpdateUserRequest'];
export type CreateLocationRequest = Schemas['CreateLocationRequest'];

export type PersonProfile = Schemas['PersonProfile'];
export type SensitiveProfile = Schemas['SensitiveProfile'];
export type SensitiveStatus = Schemas['SensitiveStatus'];
export type DocumentInfo = Schemas['DocumentInfo'];
export type DocumentKind = Schemas['DocumentKind'];
export type ReviewState = Schemas['ReviewState'];
export type ReviewDecision = Schemas['ReviewDecision'];
export type ReviewRequest = Schemas['ReviewRequest'];
export type QueuedDocument = Schemas['QueuedDocument'];

// Taken by path, not by operationId, so the server's choice of operation names does not matter.
export type ListUsersQuery = NonNullable<paths['/api/admin/users']['get']['parameters']['query']>;
export type ListOutboxQuery = NonNullable<paths['/api/admin/outbox']['get']['parameters']['query']>;
export type UploadDocumentQuery = paths['/api/people/{id}/documents']['post']['parameters']['query'];
export type ExpiringDocumentsQuery = NonNullable<paths['/api/documents/expiring']['get']['parameters']['query']>;

/** Every role, in the order the UI lists them (the enum of the generated schema must cover exactly these). */
export const ROLES = [
  'administrator',
  'manager',
  'floor_manager',
  'crew_member',
  'applicant',
] as const satisfies readonly Role[];

export const USER_STATUSES = ['active', 'invited', 'deactivated'] as const satisfies readonly UserStatus[];

export const OUTBOX_STATUSES = ['pending', 'sent', 'failed', 'held'] as const satisfies readonly OutboxStatus[];

/** Document kinds in the order the upload form offers them (most asked-for first). */
export const DOCUMENT_KINDS = [
  'resume',
  'id_card',
  'passport',
  'work_permit',
  'reference',
  'contract',
  'other',
] as const satisfies readonly DocumentKind[];

export const REVIEW_STATES = ['pending', 'approved', 'rejected'] as const satisfies readonly ReviewState[];

/** The sensitive profile fields, in the order the profile form shows them. */
export const SENSITIVE_FIELDS = [
  'phone',
  'address',
  'dateOfBirth',
  'nationality',
  'nationalIdNumber',
  'bankAccount',
  'emergencyContact',
] as const satisfies readonly (keyof SensitiveProfile)[];
export type SensitiveField = (typeof SENSITIVE_FIELDS)[number];

// Compile-time check that the lists above are complete: adding a value to the server's enum without
// listing it here fails the build.
type Missing<All, Listed> = Exclude<All, Listed>;
const assertNever = <T extends never>(): T | undefined => undefined;
assertNever<Missing<Role, (typeof ROLES)[number]>>();
assertNever<Missing<UserStatus, (typeof USER_STATUSES)[number]>>();
assertNever<Missing<OutboxStatus, (typeof OUTBOX_STATUSES)[number]>>();
assertNever<Missing<DocumentKind, (typeof DOCUMENT_KINDS)[number]>>();
assertNever<Missing<ReviewState, (typeof REVIEW_STATES)[number]>>();
assertNever<Missing<keyof SensitiveProfile, SensitiveField>>();
