// Types of the compiled dashboard (`GET /api/dashboard`, SPEC §4.8): aliases of the generated OpenAPI schemas
// (schema.d.ts, `npm run gen:api`), so any drift between server and UI is a compile error.
import type { components } from './schema';

type Schemas = components['schemas'];

export type DashboardLocation = Schemas['DashboardLocation'];
export type PipelineCount = Schemas['PipelineCount'];
/** `newApplications`: status `new`; `pipeline`: all seven statuses in board order, zeros included. */
export type HiringFigures = Schemas['HiringFigures'];
export type CrewFigures = Schemas['CrewFigures'];
/** One of the last 8 ISO weeks: paid hours scheduled vs contracted. */
export type WeekHours = Schemas['DashboardWeekHours'];
/** One local date of the next 7 days. */
export type DayCoverage = Schemas['DashboardDayCoverage'];
export type ScheduleFigures = Schemas['ScheduleFigures'];
/** Pending counts, as the inbox counts them. */
export type RequestFigures = Schemas['RequestFigures'];
export type DocumentFigures = Schemas['DocumentFigures'];
/** `null` sections: the caller may not see them. */
export type DashboardView = Schemas['DashboardView'];
