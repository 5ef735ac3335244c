// The week-template editor's data, without React: a draft of the template as typed (numbers as text), its
// checks with the server's field codes, the request it sends, and the server's `shifts[i].field` errors
// mapped back onto the rows that were sent.
import type {
  Position,
  Requirement,
  TemplateRequest,
  TemplateShift,
  WeekTemplate,
} from '../../api/schedulingTypes';

export const TEMPLATE_NAME_MAX = 80;
export const TEMPLATE_SHIFTS_MAX = 300;
export const SHIFT_NOTE_MAX = 500;
export const SLOTS_MAX = 50;
/** The longest shift the server takes (16 h). */
export const SHIFT_MAX_MINUTES = 16 * 60;

export const SHIFT_FIELDS = ['weekday', 'positionId', 'start', 'end', 'breakMinutes', 'slots', 'requirements', 'note'] as const;
export type ShiftField = (typeof SHIFT_FIELDS)[number];

export interface DraftShift {
  /** Stable identity in the editor (not sent). */
  key: string;
  weekday: number;
  positionId: string;
  start: string;
  end: string;
  breakMinutes: string;
  slots: string;
  requirements: Requirement[];
  note: string;
}

export interface Draft {
  name: string;
  shifts: DraftShift[];
}

/** Field codes by row key and field, plus the template's own fields. */
export interface DraftErrors {
  name?: string;
  shifts?: string;
  rows: Record<string, Partial<Record<ShiftField, string>>>;
  /** Server fields that match nothing shown (kept for the banner). */
  other: string[];
}

export const NO_ERRORS: DraftErrors = { rows: {}, other: [] };

let counter = 0;
export function newKey(): string {
  counter += 1;
  return `row-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;

function clockMinutes(value: string): number | null {
  if (!CLOCK.test(value)) return null;
  const [h, m] = value.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** The wall-clock length of a shift in minutes (an end at or before the start is the next day); null when a time is invalid, 0 when equal. */
export function shiftMinutes(start: string, end: string): number | null {
  const a = clockMinutes(start);
  const b = clockMinutes(end);
  if (a === null || b === null) return null;
  if (b === a) return 0;
  return b > a ? b - a : 24 * 60 - (a - b);
}

export function endsNextDay(start: string, end: string): boolean {
  const a = clockMinutes(start);
  const b = clockMinutes(end);
  return a !== null && b !== null && b < a;
}

function parseWhole(value: string): number | null {
  const v = value.trim();
  if (!/^-?\d+$/.test(v)) return null;
  return Number(v);
}

/** Paid minutes of a row (length minus break), or null when it cannot be computed yet. */
export function paidMinutes(row: Pick<DraftShift, 'start' | 'end' | 'breakMinutes'>): number | null {
  const minutes = shiftMinutes(row.start, row.end);
  if (!minutes) return null;
  const pause = row.breakMinutes.trim() === '' ? 0 : parseWhole(row.breakMinutes);
  if (pause === null || pause < 0 || pause >= minutes) return null;
  return minutes - pause;
}

export function fromShift(s: TemplateShift): DraftShift {
  return {
    key: newKey(),
    weekday: s.weekday,
    positionId: s.positionId,
    start: s.start,
    end: s.end,
    breakMinutes: String(s.breakMinutes),
    slots: String(s.slots),
    requirements: s.requirements.map((r) => ({ ...r })),
    note: s.note ?? '',
  };
}

/** A template as a draft: its shifts by weekday, then start time. */
export function fromTemplate(template: Pick<WeekTemplate, 'name' | 'shifts'>): Draft {
  const shifts = [...template.shifts]
    .sort((a, b) => a.weekday - b.weekday || a.start.localeCompare(b.start))
    .map(fromShift);
  return { name: template.name, shifts };
}

/** A new row for `weekday`: like the last row of that day when there is one, else a plain day shift. */
export function newShift(weekday: number, draft: Draft, positions: Position[]): DraftShift {
  const sameDay = draft.shifts.filter((s) => s.weekday === weekday);
  const last = sameDay[sameDay.length - 1] ?? draft.shifts[draft.shifts.length - 1];
  const firstPosition = positions.find((p) => !p.archived)?.id ?? '';
  if (last) return { ...last, key: newKey(), weekday, requirements: last.requirements.map((r) => ({ ...r })) };
  return {
    key: newKey(),
    weekday,
    positionId: firstPosition,
    start: '17:00',
    end: '23:00',
    breakMinutes: '0',
    slots: '1',
    requirements: [],
    note: '',
  };
}

/** Copies of a row on other weekdays (placed after that day's rows). */
export function copyToWeekdays(draft: Draft, key: string, weekdays: number[]): Draft {
  const row = draft.shifts.find((s) => s.key === key);
  if (!row) return draft;
  const copies = weekdays
    .filter((w) => w !== row.weekday)
    .map((weekday) => ({ ...row, key: newKey(), weekday, requirements: row.requirements.map((r) => ({ ...r })) }));
  return { ...draft, shifts: [...draft.shifts, ...copies] };
}

/** The request for a draft, with the row key of each sent shift (index i of `keys` is `shifts[i]`). */
export function toRequest(draft: Draft): { body: TemplateRequest; keys: string[] } {
  const keys = draft.shifts.map((s) => s.key);
  const body: TemplateRequest = {
    name: draft.name.trim(),
    shifts: draft.shifts.map((s) => {
      const note = s.note.trim();
      return {
        weekday: s.weekday,
        positionId: s.positionId,
        start: s.start,
        end: s.end,
        breakMinutes: s.breakMinutes.trim() === '' ? 0 : Number(s.breakMinutes.trim()),
        slots: Number(s.slots.trim()),
        requirements: s.requirements,
        note: note === '' ? null : note,
      };
    }),
  };
  return { body, keys };
}

/** What the server compares: equal requests mean nothing to save. */
export function fingerprint(draft: Draft): string {
  return JSON.stringify(toRequest(draft).body);
}

export function checkShift(row: DraftShift, positions: Position[], competencyIds?: string[]): Partial<Record<ShiftField, string>> {
  const errors: Partial<Record<ShiftField, string>> = {};
  if (!(row.weekday >= 1 && row.weekday <= 7)) errors.weekday = 'invalid_weekday';
  if (!row.positionId) errors.positionId = 'required';
  else if (!positions.some((p) => p.id === row.positionId && !p.archived)) errors.positionId = 'unknown_position';
  const startOk = CLOCK.test(row.start);
  const endOk = CLOCK.test(row.end);
  if (!startOk) errors.start = row.start === '' ? 'required' : 'invalid_time';
  if (!endOk) errors.end = row.end === '' ? 'required' : 'invalid_time';
  const minutes = startOk && endOk ? shiftMinutes(row.start, row.end) : null;
  if (minutes === 0) errors.end = 'end_equals_start';
  else if (minutes !== null && minutes > SHIFT_MAX_MINUTES) errors.end = 'too_long';
  const pause = row.breakMinutes.trim() === '' ? 0 : parseWhole(row.breakMinutes);
  if (pause === null) errors.breakMinutes = 'not_a_number';
  else if (pause < 0) errors.breakMinutes = 'negative';
  else if (minutes && pause >= minutes) errors.breakMinutes = 'longer_than_shift';
  const slots = parseWhole(row.slots);
  if (slots === null) errors.slots = row.slots.trim() === '' ? 'required' : 'not_a_number';
  else if (slots < 1) errors.slots = 'at_least_one';
  else if (slots > SLOTS_MAX) errors.slots = 'too_many';
  if (competencyIds) {
    const seen = new Set<string>();
    for (const r of row.requirements) {
      if (!(r.minLevel >= 1 && r.minLevel <= 5)) errors.requirements = 'invalid_level';
      else if (!competencyIds.includes(r.competencyId)) errors.requirements = 'unknown_competency';
      else if (seen.has(r.competencyId)) errors.requirements = 'duplicate_competency';
      seen.add(r.competencyId);
    }
  }
  if ([...row.note.trim()].length > SHIFT_NOTE_MAX) errors.note = 'too_long';
  return errors;
}

export function checkDraft(draft: Draft, positions: Position[], competencyIds?: string[]): DraftErrors {
  const errors: DraftErrors = { rows: {}, other: [] };
  const name = draft.name.trim();
  if (name === '') errors.name = 'required';
  else if ([...name].length > TEMPLATE_NAME_MAX) errors.name = 'too_long';
  if (draft.shifts.length > TEMPLATE_SHIFTS_MAX) errors.shifts = 'too_many';
  for (const row of draft.shifts) {
    const own = checkShift(row, positions, competencyIds);
    if (Object.keys(own).length > 0) errors.rows[row.key] = own;
  }
  return errors;
}

export function errorCount(errors: DraftErrors): number {
  return (
    (errors.name ? 1 : 0) +
    (errors.shifts ? 1 : 0) +
    Object.values(errors.rows).reduce((n, row) => n + Object.keys(row).length, 0) +
    errors.other.length
  );
}

const SHIFT_FIELD = /^shifts\[(\d+)\]\.(\w+)/;

/** The server's 422 fields (`name`, `shifts`, `shifts[2].start`) on the rows that were sent as `keys`. */
export function fromServerFields(fields: Record<string, string>, keys: string[]): DraftErrors {
  const errors: DraftErrors = { rows: {}, other: [] };
  for (const [field, code] of Object.entries(fields)) {
    if (field === 'name') {
      errors.name = code;
      continue;
    }
    if (field === 'shifts') {
      errors.shifts = code;
      continue;
    }
    const match = SHIFT_FIELD.exec(field);
    const key = match ? keys[Number(match[1])] : undefined;
    const name = match?.[2] as ShiftField | undefined;
    if (key && name && (SHIFT_FIELDS as readonly string[]).includes(name)) {
      errors.rows[key] = { ...errors.rows[key], [name]: code };
    } else {
      errors.other.push(code);
    }
  }
  return errors;
}

/** Paid minutes of a list of rows (those that can be computed), times their slots. */
export function totalPaidMinutes(rows: DraftShift[]): number {
  return rows.reduce((sum, row) => {
    const paid = paidMinutes(row);
    const slots = parseWhole(row.slots);
    return paid && slots && slots > 0 ? sum + paid * slots : sum;
  }, 0);
}

/** Summary figures of a saved template (for the list). */
export function templateFigures(template: Pick<WeekTemplate, 'shifts'>): { shifts: number; slots: number; paidMinutes: number } {
  let slots = 0;
  let paid = 0;
  for (const s of template.shifts) {
    slots += s.slots;
    const minutes = shiftMinutes(s.start, s.end) ?? 0;
    paid += Math.max(0, minutes - s.breakMinutes) * s.slots;
  }
  return { shifts: template.shifts.length, slots, paidMinutes: paid };
}
