// The availability editor's data, without React: a weekly pattern as typed (per weekday a list of windows), the
// request it sends with the editor row of each sent window, the server's `windows[i].field` errors mapped back
// onto those rows, and a pattern in words.
import { WEEKDAYS } from '../../api/schedulingTypes';
import {
  MAX_WINDOWS_PER_DAY,
  type Availability,
  type AvailabilityKind,
  type AvailabilityPattern,
  type AvailabilityWindow,
} from '../../api/selfServiceTypes';
import { isClock } from './selfText';

export interface DraftWindow {
  /** Stable identity in the editor (not sent). */
  key: string;
  kind: AvailabilityKind;
  wholeDay: boolean;
  start: string;
  end: string;
}

/** Windows per weekday, 1 = Monday … 7 = Sunday. */
export type DraftWeek = Record<number, DraftWindow[]>;

export type WindowField = 'weekday' | 'kind' | 'start' | 'end';

export interface PatternErrors {
  effectiveFrom?: string;
  /** Codes about the whole pattern (`windows: too_many_windows`) or fields shown nowhere. */
  general: string[];
  /** By window key. */
  windows: Record<string, Partial<Record<WindowField, string>>>;
}

export const NO_ERRORS: PatternErrors = { general: [], windows: {} };

let counter = 0;
export function newKey(): string {
  counter += 1;
  return `w${counter}`;
}

/**
 * How the server records "nothing declared" from a date on: one whole-day `available` window on Monday (which
 * says nothing either: a day without windows is available all day). Such a pattern is shown as "available every
 * day".
 */
export function isNothingDeclared(pattern: Pick<AvailabilityPattern, 'windows'>): boolean {
  const { windows } = pattern;
  if (windows.length === 0) return true;
  const only = windows[0];
  return windows.length === 1 && !!only && only.weekday === 1 && only.kind === 'available' && !only.start && !only.end;
}

export function emptyWeek(): DraftWeek {
  return Object.fromEntries(WEEKDAYS.map((d) => [d, [] as DraftWindow[]]));
}

function draftWindow(w: AvailabilityWindow): DraftWindow {
  const wholeDay = !w.start || !w.end;
  return { key: newKey(), kind: w.kind, wholeDay, start: wholeDay ? '' : (w.start ?? ''), end: wholeDay ? '' : (w.end ?? '') };
}

/** A pattern as a draft (the "nothing declared" marker as an empty week); windows by start time. */
export function fromPattern(pattern: AvailabilityPattern | undefined): DraftWeek {
  const week = emptyWeek();
  if (!pattern || isNothingDeclared(pattern)) return week;
  const sorted = [...pattern.windows].sort(
    (a, b) => a.weekday - b.weekday || (a.start ? 1 : 0) - (b.start ? 1 : 0) || (a.start ?? '').localeCompare(b.start ?? ''),
  );
  for (const w of sorted) week[w.weekday]?.push(draftWindow(w));
  return week;
}

/** A new window: the whole day unavailable when it is the day's first, else available in the evening. */
export function newWindow(existing: DraftWindow[]): DraftWindow {
  if (existing.length === 0) return { key: newKey(), kind: 'unavailable', wholeDay: true, start: '', end: '' };
  return { key: newKey(), kind: 'available', wholeDay: false, start: '17:00', end: '23:00' };
}

export function canAdd(windows: DraftWindow[]): boolean {
  return windows.length < MAX_WINDOWS_PER_DAY;
}

/** The request for a draft, with the key of each sent window (index i of `keys` is `windows[i]`). */
export function toRequest(effectiveFrom: string, week: DraftWeek): { body: AvailabilityPattern; keys: string[] } {
  const keys: string[] = [];
  const windows: AvailabilityWindow[] = [];
  for (const weekday of WEEKDAYS) {
    for (const w of week[weekday] ?? []) {
      keys.push(w.key);
      windows.push(w.wholeDay ? { weekday, kind: w.kind } : { weekday, kind: w.kind, start: w.start, end: w.end });
    }
  }
  return { body: { effectiveFrom, windows }, keys };
}

/** The checks the server makes on one window that need no other window. */
export function checkWeek(effectiveFrom: string, today: string, week: DraftWeek): PatternErrors {
  const errors: PatternErrors = { general: [], windows: {} };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(effectiveFrom)) errors.effectiveFrom = effectiveFrom ? 'invalid_date' : 'required';
  else if (effectiveFrom < today) errors.effectiveFrom = 'in_past';
  for (const weekday of WEEKDAYS) {
    for (const w of week[weekday] ?? []) {
      if (w.wholeDay) continue;
      const own: Partial<Record<WindowField, string>> = {};
      if (!isClock(w.start)) own.start = w.start === '' ? 'required' : 'invalid_time';
      if (!isClock(w.end)) own.end = w.end === '' ? 'required' : 'invalid_time';
      if (!own.start && !own.end && w.start === w.end) own.end = 'end_equals_start';
      if (Object.keys(own).length > 0) errors.windows[w.key] = own;
    }
  }
  return errors;
}

export function hasErrors(errors: PatternErrors): boolean {
  return !!errors.effectiveFrom || errors.general.length > 0 || Object.keys(errors.windows).length > 0;
}

const WINDOW_FIELD = /^windows\[(\d+)\]\.(weekday|kind|start|end)$/;

/** The server's 422 fields (`effectiveFrom`, `windows`, `windows[2].start`) on the rows that were sent as `keys`. */
export function fromServerFields(fields: Record<string, string>, keys: string[]): PatternErrors {
  const errors: PatternErrors = { general: [], windows: {} };
  for (const [field, code] of Object.entries(fields)) {
    if (field === 'effectiveFrom') {
      errors.effectiveFrom = code;
      continue;
    }
    const match = WINDOW_FIELD.exec(field);
    const key = match ? keys[Number(match[1])] : undefined;
    const name = match?.[2] as WindowField | undefined;
    if (key && name) errors.windows[key] = { ...errors.windows[key], [name]: code };
    else errors.general.push(code);
  }
  return errors;
}

/** The current pattern (the last one that started on or before `today`) and the planned ones after it. */
export function splitPatterns(
  availability: Availability | undefined,
  today: string,
): { current: AvailabilityPattern | undefined; planned: AvailabilityPattern[] } {
  const patterns = [...(availability?.patterns ?? [])].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
  const started = patterns.filter((p) => p.effectiveFrom <= today);
  return { current: started[started.length - 1], planned: patterns.filter((p) => p.effectiveFrom > today) };
}

/** A pattern's windows per weekday, for reading (empty days left out; nothing declared = no days). */
export function patternDays(pattern: AvailabilityPattern): { weekday: number; windows: AvailabilityWindow[] }[] {
  if (isNothingDeclared(pattern)) return [];
  const week = fromPattern(pattern);
  return WEEKDAYS.map((weekday) => ({
    weekday,
    windows: (week[weekday] ?? []).map((w) =>
      w.wholeDay ? { weekday, kind: w.kind } : { weekday, kind: w.kind, start: w.start, end: w.end },
    ),
  })).filter((d) => d.windows.length > 0);
}
