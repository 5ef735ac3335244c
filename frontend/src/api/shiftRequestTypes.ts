// Types of claims, offers and swaps (open shifts, my requests, the managers' inbox and its settings) and of the
// notifications: aliases of the generated OpenAPI schemas (schema.d.ts, `npm run gen:api`), so any drift between
// server and UI is a compile error.
import type { components } from './schema';

type Schemas = components['schemas'];

export type RequestShift = Schemas['RequestShift'];
export type RequestPerson = Schemas['RequestPerson'];
export type RequestKind = Schemas['RequestKind'];
export type RequestStatus = Schemas['RequestStatus'];
export type ShiftRequestItem = Schemas['ShiftRequestItem'];
export type MyRequests = Schemas['MyRequests'];
export type OfferRef = Schemas['OfferRef'];
export type OpenShiftItem = Schemas['OpenShiftItem'];
export type OpenShifts = Schemas['OpenShifts'];
export type SwapBody = Schemas['SwapBody'];
export type StepBody = Schemas['StepBody'];
export type BulkApproveBody = Schemas['BulkApproveBody'];
export type BulkApproveResult = Schemas['BulkApproveResult'];
export type NotApproved = Schemas['NotApproved'];
export type InboxCount = Schemas['InboxCount'];
export type RequestSettings = Schemas['RequestSettings'];

export type NoticeKind = Schemas['NoticeKind'];
export type NotificationItem = Schemas['NotificationItem'];
export type NotificationPage = Schemas['NotificationPage'];
export type MarkReadBody = Schemas['MarkReadBody'];
export type MarkedRead = Schemas['MarkedRead'];
export type EmailSetting = Schemas['EmailSetting'];

// No query types are taken from `paths` here: the server gives several operations the same operationId (`list`,
// `location_list`, `get_settings`), and the generated `operations` keeps only the first of each, so e.g. the
// query of `/api/me/notifications` reads as `never`. The endpoint functions take their few parameters instead.

export const REQUEST_KINDS = ['claim', 'offer', 'swap'] as const satisfies readonly RequestKind[];

export const REQUEST_STATUSES = [
  'open',
  'pending_colleague',
  'pending_approval',
  'approved',
  'denied',
  'declined',
  'withdrawn',
] as const satisfies readonly RequestStatus[];

/** Notification kinds in the order the e-mail settings list them. */
export const NOTICE_KINDS = [
  'schedule_changed',
  'shift_offered',
  'swap_proposed',
  'request_answered',
  'request_decided',
] as const satisfies readonly NoticeKind[];

// Compile-time check that the lists above are complete.
type Missing<All, Listed> = Exclude<All, Listed>;
const assertNever = <T extends never>(): T | undefined => undefined;
assertNever<Missing<RequestKind, (typeof REQUEST_KINDS)[number]>>();
assertNever<Missing<RequestStatus, (typeof REQUEST_STATUSES)[number]>>();
assertNever<Missing<NoticeKind, (typeof NOTICE_KINDS)[number]>>();

/** A request that can still move (the final states are approved, denied, declined and withdrawn). */
export function isUndecided(status: RequestStatus): boolean {
  return status === 'open' || status === 'pending_colleague' || status === 'pending_approval';
}

/** The longest reason of an approval or denial, the most requests one bulk approval takes, the longest cut-off
 * (the server's limits). */
export const STEP_REASON_MAX = 500;
export const BULK_APPROVE_MAX = 100;
export const CUTOFF_MINUTES_MAX = 10_080;
/** Notifications per page of the list. */
export const NOTIFICATIONS_PAGE = 20;
/** How often the navigation's bell asks for the unread count. */
export const UNREAD_POLL_MS = 60_000;
