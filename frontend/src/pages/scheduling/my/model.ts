// Pure helpers of the crew's published week: paid time of a shift, the week's summary of one's own shifts,
// shifts grouped per day, the day a shift ends on and the locale's words for dates.
import type { GridDay, PublishedSchedule, PublishedShift } from '../../../api/schedulingTypes';
import { nowInZone } from '../../hiring/zonedTime';
import { daysBetween, weekDates } from '../isoWeek';

/** Paid minutes: from start to end (instants, so a night with a clock change counts right) minus the break. */
export function paidMinutes(shift: Pick<PublishedShift, 'startsAt' | 'endsAt' | 'breakMinutes'>): number {
  const start = Date.parse(shift.startsAt);
  const end = Date.parse(shift.endsAt);
  if (Number.isNaN(start) || Number.isNaN(end)) return 0;
  return Math.max(0, Math.round((end - start) / 60_000) - shift.breakMinutes);
}

export interface MyWeekSummary {
  shifts: number;
  minutes: number;
}

/** How many of the week's shifts are the caller's, and their paid minutes. */
export function mySummary(shifts: readonly PublishedShift[]): MyWeekSummary {
  const mine = shifts.filter((s) => s.mine);
  return { shifts: mine.length, minutes: mine.reduce((sum, s) => sum + paidMinutes(s), 0) };
}

/**
 * How many days after its (local) start date a shift ends in `timeZone`: 1 for a night shift that ends after
 * midnight. Falls back on the clock times when the zone is unknown.
 */
export function endDayOffset(shift: Pick<PublishedShift, 'date' | 'endsAt' | 'localStart' | 'localEnd'>, timeZone: string): number {
  const end = new Date(shift.endsAt);
  if (!Number.isNaN(end.getTime())) {
    try {
      new Intl.DateTimeFormat('en', { timeZone });
      return Math.max(0, daysBetween(shift.date, nowInZone(timeZone, end).date));
    } catch {
      /* unknown zone: below */
    }
  }
  return shift.localEnd <= shift.localStart ? 1 : 0;
}

export interface ScheduleDay {
  date: string;
  weekday: number;
  shifts: PublishedShift[];
}

/** The seven days of the week (the server's, else the ISO week's own) with their shifts by start time. */
export function shiftsByDay(schedule: Pick<PublishedSchedule, 'days' | 'shifts' | 'isoWeek'>): ScheduleDay[] {
  const days: GridDay[] =
    schedule.days.length > 0 ? schedule.days : weekDates(schedule.isoWeek).map((date, i) => ({ date, weekday: i + 1 }));
  const sorted = [...schedule.shifts].sort(
    (a, b) => a.startsAt.localeCompare(b.startsAt) || a.endsAt.localeCompare(b.endsAt) || a.positionName.localeCompare(b.positionName),
  );
  return days.map((day) => ({ ...day, shifts: sorted.filter((s) => s.date === day.date) }));
}

/** A calendar date (`YYYY-MM-DD`) as that day wherever the browser is. */
function calendarDay(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

/** "Monday 28 December" in the locale. */
export function dayHeading(locale: string, date: string): string {
  return new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(
    calendarDay(date),
  );
}

/** "28 Dec 2026 – 3 Jan 2027" in the locale. */
export function dateRange(locale: string, from: string, to: string): string {
  const format = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  if (typeof format.formatRange === 'function') return format.formatRange(calendarDay(from), calendarDay(to));
  return `${format.format(calendarDay(from))} – ${format.format(calendarDay(to))}`;
}
