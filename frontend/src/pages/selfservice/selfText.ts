// Words and dates of the self-service screens and the request inbox: the home time zone, days in the user's
// locale, time-off ranges, hours, field codes with a wording per field (each with a fallback, never a raw code).
import type { Me } from '../../api/types';
import type { TimeOff, TimeOffCategory, TimeOffStatus } from '../../api/selfServiceTypes';
import { isMessageKey, type MessageKey, type Translator } from '../../i18n/core';
import { formatHours, minutesToHours } from '../crew/crewText';

type I18n = Pick<Translator, 't' | 'tp' | 'locale' | 'fieldErrorMessage'>;

/** The zone the server reads days and times in for me: my first location's, else Amsterdam (access::home_zone). */
export function homeZone(me: Pick<Me, 'locations'> | null | undefined): string {
  return me?.locations[0]?.timezone ?? 'Europe/Amsterdam';
}

function utcDay(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

/** "Thu 10 Dec" of a `YYYY-MM-DD`, whatever the browser's zone. */
export function shortDay(locale: string, date: string, withYear = false): string {
  const options: Intl.DateTimeFormatOptions = {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
    ...(withYear ? { year: 'numeric' } : {}),
  };
  return new Intl.DateTimeFormat(locale, options).format(utcDay(date));
}

/** "Thursday 10 December" of a `YYYY-MM-DD`. */
export function longDay(locale: string, date: string): string {
  return new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(
    utcDay(date),
  );
}

/** "December 2026" of `2026-12`. */
export function monthName(locale: string, month: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match) return month;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
  return new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
}

/** The week number of `2026-W49`. */
export function weekNumber(isoWeek: string): string {
  const match = /-W(\d{2})$/.exec(isoWeek);
  return match ? String(Number(match[1])) : isoWeek;
}

/** Decimal hours in the locale: "7.5" / "7,5". */
export function hoursNumber(locale: string, minutes: number): string {
  return formatHours(locale, minutesToHours(minutes));
}

/** `HH:MM` of an instant in `timeZone` (24-hour clock, as the server's local times). */
export function clockIn(timeZone: string, iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const options: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-GB', { ...options, timeZone });
  } catch {
    format = new Intl.DateTimeFormat('en-GB', options);
  }
  return format.format(date);
}

/**
 * A time-off range as typed: "Mon 21 Dec 2026", "Mon 21 Dec 2026, 14:00–18:00" or
 * "Mon 21 Dec 2026 14:00 – Thu 24 Dec 2026".
 */
export function timeOffRange(
  i18n: Pick<I18n, 'locale'>,
  request: Pick<TimeOff, 'firstDay' | 'lastDay' | 'startTime' | 'endTime'>,
): string {
  const { firstDay, lastDay } = request;
  const startTime = request.startTime ?? null;
  const endTime = request.endTime ?? null;
  const first = shortDay(i18n.locale, firstDay, true);
  if (firstDay === lastDay) {
    if (!startTime && !endTime) return first;
    return `${first}, ${startTime ?? '00:00'}–${endTime ?? '24:00'}`;
  }
  const last = shortDay(i18n.locale, lastDay, true);
  return `${startTime ? `${first} ${startTime}` : first} – ${endTime ? `${last} ${endTime}` : last}`;
}

// A map rather than `timeOff.category.${category}`: a key ending in `.other` would read as a plural form.
const CATEGORY_LABELS: Record<TimeOffCategory, MessageKey> = {
  vacation: 'timeOff.category.vacation',
  sick: 'timeOff.category.sick',
  personal: 'timeOff.category.personal',
  other: 'timeOff.category.otherReason',
};

export function categoryLabel(t: Translator['t'], category: TimeOffCategory): string {
  return t(CATEGORY_LABELS[category]);
}

export function statusLabel(t: Translator['t'], status: TimeOffStatus): string {
  return t(`timeOff.status.${status}`);
}

/**
 * The text of a field code. `context` (the field's name) picks a wording that depends on the field; then the
 * self-service wording of the code; then the app's.
 */
export function fieldMessage(i18n: Pick<I18n, 't' | 'fieldErrorMessage'>, code: string, context?: string): string {
  const candidates = [context ? `self.fieldError.${context}.${code}` : '', `self.fieldError.${code}`];
  for (const key of candidates) if (key && isMessageKey(key)) return i18n.t(key as MessageKey);
  return i18n.fieldErrorMessage(code);
}

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;

export function isClock(value: string): boolean {
  return CLOCK.test(value);
}
