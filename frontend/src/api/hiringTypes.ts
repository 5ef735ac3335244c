// Types of the hiring API (docs/api-contract-hiring.md): locations, applications, board, notes, interviews,
// hire. They started as hand-written copies of the contract; the server's OpenAPI document now has every one of
// these schemas, so they are aliases of the generated `components['schemas'][…]` (schema.d.ts, regenerated
// with `npm run gen:api`) under the contract's names — any drift between server and UI is a compile error.
// Where the server's name differs from the contract's, both names are exported (see the end of the file).
import type { components, paths } from './schema';
import type { DocumentInfo, LocationRef, Permission, PersonProfile, Role } from './types';

export type { DocumentInfo, LocationRef, PersonProfile, Role };

type Schemas = components['schemas'];

// ---- enums --------------------------------------------------------------------------------------------------

export type ApplicationStatus = Schemas['ApplicationStatus'];
export type ApplicationSource = Schemas['ApplicationSource'];
export type NoteWorkflow = Schemas['NoteWorkflow'];
export type NotePriority = Schemas['NotePriority'];
export type InterviewStatus = Schemas['InterviewStatus'];
export type InterviewOutcome = Schemas['InterviewOutcome'];
/** `bodyStatus` of a note: `unavailable` when the encrypted store could not be read. */
export type NoteBodyStatus = Schemas['BodyStatus'];

/** The permissions the hiring feature adds to `Me.permissions`. */
export type HiringPermission = Extract<
  Permission,
  'applications.view' | 'applications.manage' | 'notes.write' | 'locations.edit'
>;
/** Every permission the UI knows (the generated enum now has the hiring ones too). */
export type AnyPermission = Permission;

/** Board columns, in the server's order (always all seven). */
export const APPLICATION_STATUSES = [
  'new',
  'contacted',
  'interviewed',
  'short_listed',
  'hired',
  'rejected',
  'withdrawn',
] as const satisfies readonly ApplicationStatus[];

/** The statuses an applicant may still withdraw from. */
export const OPEN_STATUSES = ['new', 'contacted', 'interviewed', 'short_listed'] as const satisfies readonly ApplicationStatus[];

export const APPLICATION_SOURCES = ['qr', 'web', 'manual'] as const satisfies readonly ApplicationSource[];
export const NOTE_WORKFLOWS = ['application', 'crew', 'scheduling', 'general'] as const satisfies readonly NoteWorkflow[];
export const NOTE_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const satisfies readonly NotePriority[];
export const INTERVIEW_OUTCOMES = ['passed', 'failed', 'no_show'] as const satisfies readonly InterviewOutcome[];
/** Roles a note can be shown to (staff who may read notes at all); administrators see every note anyway. */
export const NOTE_ROLES = ['administrator', 'manager', 'floor_manager'] as const satisfies readonly Role[];
/** The server's default `visibleRoles` of a new note. */
export const DEFAULT_NOTE_ROLES: Role[] = ['administrator', 'manager', 'floor_manager'];

/**
 * Staff transitions, as `domain::hiring` defines them (contract § Enums). `hired` is reached only through
 * `POST /api/applications/{id}/hire`; the board offers it as "hire" which opens the hire dialog. The server
 * checks every transition again.
 */
export const STAFF_TRANSITIONS: Record<ApplicationStatus, readonly ApplicationStatus[]> = {
  new: ['contacted', 'interviewed', 'rejected'],
  contacted: ['interviewed', 'short_listed', 'rejected'],
  interviewed: ['short_listed', 'rejected'],
  short_listed: ['interviewed', 'hired', 'rejected'],
  hired: [],
  rejected: ['new'],
  withdrawn: [],
};

/** Limits of the server (characters of HTML). */
export const RICH_TEXT_MAX_CHARS = 20_000;
export const INTERVIEW_MIN_MINUTES = 15;
export const INTERVIEW_MAX_MINUTES = 480;
export const INTERVIEW_DEFAULT_MINUTES = 30;
export const BULK_MAX_IDS = 200;

// ---- locations ----------------------------------------------------------------------------------------------

/** The contract's extended `Location` (`GET/PATCH /api/locations/{id}`, also the items of `GET /api/locations`). */
export type LocationDetail = Schemas['Location'];
export type UpdateLocationRequest = Schemas['UpdateLocationRequest'];
export type CreateLocationDetailRequest = Schemas['CreateLocationRequest'];
/** `GET /api/public/locations/{code}`: `{name, applicationCode, locationId}`. */
export type PublicLocationDetail = Schemas['PublicLocation'];
export type PosterFormat = NonNullable<
  NonNullable<paths['/api/locations/{id}/poster']['get']['parameters']['query']>['format']
>;

/** `{id, name, role}`: the interviewer picker (`GET /api/locations/{id}/staff`), note authors, status-change
 * actors and interviewers. */
export type StaffMember = Schemas['PersonName'];
export type Actor = StaffMember;

// ---- applications (applicant's view) -----------------------------------------------------------------------

export type TimelineEntry = Schemas['TimelineEntry'];
/** An interview as the applicant sees it: no interviewer notes, no outcome. */
export type ApplicantInterview = Schemas['ApplicantInterview'];
/** The applicant's own view of an application: no reasons, no notes. */
export type ApplicationSummary = Schemas['ApplicationSummary'];
/** `locationCode` (QR poster or link: source `qr`) or `locationId` (source `web`). */
export type CreateApplicationRequest = Schemas['ApplyRequest'];
export type MotivationLetter = Schemas['Letter'];
export type MotivationLetterRequest = Schemas['LetterRequest'];
export type ManualApplicationRequest = Schemas['ManualApplicationRequest'];

// ---- board --------------------------------------------------------------------------------------------------

export type BoardCard = Schemas['BoardCard'];
export type BoardColumn = Schemas['BoardColumn'];
export type Board = Schemas['Board'];
export type BoardQuery = NonNullable<paths['/api/applications/board']['get']['parameters']['query']>;
export type BulkStatusRequest = Schemas['BulkStatusRequest'];
export type BulkStatusError = Schemas['ErrorDetail'];
export type BulkStatusResult = Schemas['BulkResult'];
export type BulkStatusResponse = Schemas['BulkStatusResponse'];

// ---- detail -------------------------------------------------------------------------------------------------

export type StatusChange = Schemas['StatusChange'];
export type OtherApplication = Schemas['OtherApplication'];
export type ApplicationPermissions = Schemas['ApplicationPermissions'];
export type ApplicationDetail = Schemas['ApplicationDetail'];
/** `reason` is required when rejecting; `notifyApplicant` defaults to true. */
export type ChangeStatusRequest = Schemas['StatusRequest'];
export type HireRequest = Schemas['HireRequest'];

// ---- notes --------------------------------------------------------------------------------------------------

export type Note = Schemas['Note'];
export type CreateNoteRequest = Schemas['NewNoteRequest'];
export type UpdateNoteRequest = Schemas['UpdateNoteRequest'];

// ---- interviews ---------------------------------------------------------------------------------------------

export type Interview = Schemas['Interview'];
/** Schedule (POST) and reschedule (PATCH) share the body; `date`/`time` are in the location's time zone. */
export type ScheduleInterviewRequest = Schemas['InterviewRequest'];
export type CancelInterviewRequest = Schemas['CancelInterviewRequest'];
export type InterviewOutcomeRequest = Schemas['OutcomeRequest'];

// ---- the server's names ------------------------------------------------------------------------------------

export type PersonName = StaffMember;
export type Letter = MotivationLetter;
export type LetterRequest = MotivationLetterRequest;
export type ApplyRequest = CreateApplicationRequest;
export type BulkResult = BulkStatusResult;
export type StatusRequest = ChangeStatusRequest;
export type InterviewRequest = ScheduleInterviewRequest;
export type OutcomeRequest = InterviewOutcomeRequest;
export type NewNoteRequest = CreateNoteRequest;
export type BodyStatus = NoteBodyStatus;

// Compile-time check that the lists above cover their enums.
type Missing<All, Listed> = Exclude<All, Listed>;
const assertNever = <T extends never>(): T | undefined => undefined;
assertNever<Missing<ApplicationStatus, (typeof APPLICATION_STATUSES)[number]>>();
assertNever<Missing<ApplicationSource, (typeof APPLICATION_SOURCES)[number]>>();
assertNever<Missing<NoteWorkflow, (typeof NOTE_WORKFLOWS)[number]>>();
assertNever<Missing<NotePriority, (typeof NOTE_PRIORITIES)[number]>>();
assertNever<Missing<InterviewOutcome, (typeof INTERVIEW_OUTCOMES)[number]>>();
// …and that the server's Permission enum has every hiring permission the UI checks.
assertNever<Missing<'applications.view' | 'applications.manage' | 'notes.write' | 'locations.edit', Permission>>();
