// Checks and defaults of the export forms (pure, tested on their own).
import { HOURS_EXPORT_MAX_DAYS } from '../../api/exportsTypes';
import { daysBetween } from '../scheduling/isoWeek';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export type RangeProblem = 'required' | 'range' | 'tooLong';

/** A complete hours range: both days, in order, at most 366 days (the server's limit, both ends counted). */
export function hoursRangeProblem(from: string, to: string): RangeProblem | null {
  if (!DATE.test(from) || !DATE.test(to)) return 'required';
  const days = daysBetween(from, to);
  if (days < 0) return 'range';
  return days + 1 > HOURS_EXPORT_MAX_DAYS ? 'tooLong' : null;
}

/** An optional range: either day may be empty, but when both are given they are in order. */
export function optionalRangeProblem(from: string, to: string): RangeProblem | null {
  if ((from && !DATE.test(from)) || (to && !DATE.test(to))) return 'required';
  return from && to && daysBetween(from, to) < 0 ? 'range' : null;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Last calendar month in the browser's zone: what payroll usually asks for. */
export function lastMonth(now: Date = new Date()): { from: string; to: string } {
  const first = new Date(now.getFullYear(), now.getMonth() - 1, 1);
  const last = new Date(now.getFullYear(), now.getMonth(), 0);
  const iso = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return { from: iso(first), to: iso(last) };
}
