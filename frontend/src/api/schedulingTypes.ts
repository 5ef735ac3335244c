// Types of the scheduling API: aliases of the generated OpenAPI schemas (schema.d.ts, `npm run gen:api`),
// so any drift between server and UI is a compile error.
import type { components } from './schema';

type Schemas = components['schemas'];

export type CrewStatus = Schemas['CrewStatus'];
export type WeekStatus = Schemas['WeekStatus'];
export type ChangeKind = Schemas['ChangeKind'];
export type Severity = Schemas['Severity'];
export type ReasonFigures = Schemas['ReasonFigures'];
export type RuleReason = Schemas['RuleReason'];
export type Requirement = Schemas['Requirement'];
export type Position = Schemas['Position'];
export type PositionRequest = Schemas['PositionRequest'];
export type Competency = Schemas['Competency'];
export type CompetencyRequest = Schemas['CompetencyRequest'];
export type CrewMember = Schemas['CrewMember'];
export type AddCrewRequest = Schemas['AddCrewRequest'];
export type UpdateCrewRequest = Schemas['UpdateCrewRequest'];
export type Assessment = Schemas['Assessment'];
export type AssessRequest = Schemas['AssessRequest'];
export type Membership = Schemas['Membership'];
export type UpcomingShift = Schemas['UpcomingShift'];
export type WeekHours = Schemas['WeekHours'];
export type CrewPage = Schemas['CrewPage'];
export type TemplateShift = Schemas['TemplateShift'];
export type WeekTemplate = Schemas['WeekTemplate'];
export type TemplateShiftRequest = Schemas['TemplateShiftRequest'];
export type TemplateRequest = Schemas['TemplateRequest'];
export type ScheduleWeek = Schemas['ScheduleWeek'];
export type WeekSummary = Schemas['WeekSummary'];
export type WeekSource = Schemas['WeekSource'];
export type CreateWeekRequest = Schemas['CreateWeekRequest'];
export type NotCopied = Schemas['NotCopied'];
export type CreatedWeek = Schemas['CreatedWeek'];
export type GridDay = Schemas['GridDay'];
export type GridAssignment = Schemas['GridAssignment'];
export type GridShift = Schemas['GridShift'];
export type GridPerson = Schemas['GridPerson'];
export type Coverage = Schemas['Coverage'];
export type SchedulingRules = Schemas['SchedulingRules'];
export type WeekGrid = Schemas['WeekGrid'];
export type ShiftRequest = Schemas['ShiftRequest'];
export type RemoveRequest = Schemas['RemoveRequest'];
export type WeekChanged = Schemas['WeekChanged'];
export type OverrideRequest = Schemas['OverrideRequest'];
export type AssignRequest = Schemas['AssignRequest'];
export type AssignResponse = Schemas['AssignResponse'];
export type EligiblePerson = Schemas['EligiblePerson'];
export type EligibleList = Schemas['EligibleList'];
export type PublishNotice = Schemas['PublishNotice'];
export type PublishPreview = Schemas['PublishPreview'];
/** `reason`: required when the publish changes a shift in a locked hours period. */
export type PublishRequest = Schemas['PublishRequest'];
export type Published = Schemas['Published'];
export type WeekChange = Schemas['WeekChange'];
export type ShiftColleague = Schemas['ShiftColleague'];
export type PublishedShift = Schemas['PublishedShift'];
export type PublishedSchedule = Schemas['PublishedSchedule'];

/** Weekday numbers of the API: 1 = Monday … 7 = Sunday. */
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
