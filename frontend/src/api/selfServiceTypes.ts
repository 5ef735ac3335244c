// Types of the crew's self-service API (my shifts, the calendar feed, availability, time off) and of the
// managers' request inbox: aliases of the generated OpenAPI schemas (schema.d.ts, `npm run gen:api`), so any
// drift between server and UI is a compile error.
import type { components, paths } from './schema';

type Schemas = components['schemas'];

export type MyShift = Schemas['MyShift'];
export type MyShifts = Schemas['MyShifts'];
export type MyHours = Schemas['MyHours'];
export type CalendarFeed = Schemas['CalendarFeed'];
export type CalendarFeedCreated = Schemas['CalendarFeedCreated'];
export type Availability = Schemas['Availability'];
export type AvailabilityKind = Schemas['AvailabilityKind'];
export type AvailabilityPattern = Schemas['AvailabilityPattern'];
export type AvailabilityWindow = Schemas['AvailabilityWindow'];
export type TimeOff = Schemas['TimeOff'];
export type TimeOffCategory = Schemas['TimeOffCategory'];
export type TimeOffStatus = Schemas['TimeOffStatus'];
export type TimeOffRequestBody = Schemas['TimeOffRequestBody'];
export type TimeOffDecisionBody = Schemas['TimeOffDecisionBody'];
export type TimeOffVerdict = Schemas['TimeOffVerdict'];
export type TimeOffItem = Schemas['TimeOffItem'];
export type TimeOffList = Schemas['TimeOffList'];
export type CollidingShift = Schemas['CollidingShift'];
export type GridTimeOff = Schemas['GridTimeOff'];

// Taken by path, not by operationId (the server reuses names such as `create` and `cancel`).
export type MyShiftsQuery = NonNullable<paths['/api/me/shifts']['get']['parameters']['query']>;
export type TimeOffListQuery = NonNullable<paths['/api/locations/{id}/time-off']['get']['parameters']['query']>;

/** Window kinds in the order the availability editor offers them. */
export const AVAILABILITY_KINDS = ['available', 'unavailable', 'preferred'] as const satisfies readonly AvailabilityKind[];

/** Time-off categories in the order the request form offers them. */
export const TIME_OFF_CATEGORIES = ['vacation', 'sick', 'personal', 'other'] as const satisfies readonly TimeOffCategory[];

export const TIME_OFF_STATUSES = ['pending', 'approved', 'denied', 'cancelled'] as const satisfies readonly TimeOffStatus[];

// Compile-time check that the lists above are complete.
type Missing<All, Listed> = Exclude<All, Listed>;
const assertNever = <T extends never>(): T | undefined => undefined;
assertNever<Missing<AvailabilityKind, (typeof AVAILABILITY_KINDS)[number]>>();
assertNever<Missing<TimeOffCategory, (typeof TIME_OFF_CATEGORIES)[number]>>();
assertNever<Missing<TimeOffStatus, (typeof TIME_OFF_STATUSES)[number]>>();

/** How many days of past shifts "My shifts" asks for first, and at most (the server's range is 0–90). */
export const PAST_DAYS = 14;
export const PAST_DAYS_MAX = 90;
/** At most this many windows a weekday (the server's MAX_WINDOWS_PER_DAY). */
export const MAX_WINDOWS_PER_DAY = 4;
/** The longest time-off request in days, and the longest reason of a decision (the server's limits). */
export const TIME_OFF_MAX_DAYS = 365;
export const DECISION_REASON_MAX = 500;
