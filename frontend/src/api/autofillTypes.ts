// Types of "Suggest fill" (SCHEDULING.md §5): the proposal for the empty slots of draft weeks (each suggestion with
// why this person, each slot left open with why nobody fits), applying some of it, and a location's auto-fill
// settings. Aliases of the generated OpenAPI schemas (schema.d.ts, `npm run gen:api`), so any drift between server
// and UI is a compile error.
import type { components } from './schema';

type Schemas = components['schemas'];

export type SuggestFillRequest = Schemas['SuggestFillRequest'];
/** A week the proposal covers, at the version it was read. */
export type FillWeek = Schemas['FillWeek'];
/** A soft goal that decided a suggestion, with its weighted points (positive helps) and figures. */
export type FillWhy = Schemas['FillWhy'];
/** One proposed person on one shift. */
export type FillSuggestionItem = Schemas['FillSuggestionItem'];
/** How many candidates one refusal code applied to (`position`: people without the shift's position). */
export type ReasonCount = Schemas['ReasonCount'];
/** A shift with slots nobody could fill, and why. */
export type FillOpenShift = Schemas['FillOpenShift'];
export type FillProposal = Schemas['FillProposal'];
export type ApplyItem = Schemas['ApplyItem'];
export type ApplySuggestionsRequest = Schemas['ApplySuggestionsRequest'];
export type AppliedItem = Schemas['AppliedItem'];
/** A suggestion the rules or the week's state refused at applying time. */
export type ApplyConflict = Schemas['ApplyConflict'];
export type WeekVersion = Schemas['WeekVersion'];
export type ApplySuggestionsResult = Schemas['ApplySuggestionsResult'];
/** The body of 409 `suggestions_stale` (the app's client keeps only its `error`). */
export type SuggestionsStale = Schemas['SuggestionsStale'];
/** How much each soft goal counts at a location, 0 (ignored) to 10. */
export type FillWeights = Schemas['FillWeights'];
export type AutofillSettings = Schemas['AutofillSettings'];

// ---- limits and code lists of the contract ------------------------------------------------------------------

export const TIME_BUDGET_MIN_MS = 100;
export const TIME_BUDGET_MAX_MS = 10_000;
export const TIME_BUDGET_DEFAULT_MS = 2_000;
export const WEIGHT_MIN = 0;
export const WEIGHT_MAX = 10;

/** The weights in the order the settings form shows them. */
export const WEIGHT_KEYS = [
  'contractHours',
  'preferred',
  'interest',
  'fairSpread',
  'competencyMargin',
  'homeVenue',
  'fewSplitDays',
] as const satisfies readonly (keyof FillWeights)[];

// Compile-time check that the list above names every weight.
type Missing<All, Listed> = Exclude<All, Listed>;
const assertNever = <T extends never>(): T | undefined => undefined;
assertNever<Missing<keyof FillWeights, (typeof WEIGHT_KEYS)[number]>>();

/** The soft terms a suggestion's `why` may name. */
export const WHY_CODES = [
  'contract_hours',
  'preferred',
  'interested',
  'fair_spread',
  'competency_margin',
  'home_venue',
  'borrowed',
  'split_day',
] as const;

/** The refusal codes an open slot may count: the rule engine's, plus `position`. */
export const REFUSAL_CODES = [
  'position',
  'not_crew_here',
  'slots_full',
  'overlap',
  'time_off',
  'rest_too_short',
  'competency_below_minimum',
  'unavailable',
  'over_weekly_max',
  'seventh_day',
] as const;
