// Dates and times of a location, shown in the location's own time zone (an interview at 14:00 in Amsterdam is
// 14:00 for everyone), in the user's locale. When the browser runs in another zone the zone's name is added.
import { useMemo } from 'react';
import { useI18n } from '../../i18n/I18nProvider';

export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return 'UTC';
  }
}

function validDate(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A formatter for `timeZone`, falling back to the browser's zone for an unknown zone name. */
function formatter(locale: string, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone });
  } catch {
    return new Intl.DateTimeFormat(locale, options);
  }
}

export interface ZonedFormat {
  /** "Fri 20 Nov 2026, 14:05" (plus the zone's name when the browser is elsewhere). */
  dateTime: (iso: string | null | undefined, timeZone: string) => string;
  /** "20 Nov 2026" */
  date: (iso: string | null | undefined, timeZone: string) => string;
  /** "Fri 20 Nov 2026, 14:00–14:30" */
  range: (startIso: string, endIso: string, timeZone: string) => string;
}

export function zonedFormat(locale: string, browserZone: string = browserTimeZone()): ZonedFormat {
  const zoneName = (timeZone: string) => (timeZone === browserZone ? {} : { timeZoneName: 'short' as const });
  const full = (timeZone: string): Intl.DateTimeFormatOptions => ({
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    ...zoneName(timeZone),
  });
  return {
    dateTime: (iso, timeZone) => {
      const date = validDate(iso);
      return date ? formatter(locale, timeZone, full(timeZone)).format(date) : (iso ?? '');
    },
    date: (iso, timeZone) => {
      const date = validDate(iso);
      return date ? formatter(locale, timeZone, { dateStyle: 'medium' }).format(date) : (iso ?? '');
    },
    range: (startIso, endIso, timeZone) => {
      const start = validDate(startIso);
      const end = validDate(endIso);
      if (!start) return startIso;
      const format = formatter(locale, timeZone, full(timeZone));
      if (!end || typeof format.formatRange !== 'function') return format.format(start);
      return format.formatRange(start, end);
    },
  };
}

export function useZonedFormat(): ZonedFormat {
  const { locale } = useI18n();
  return useMemo(() => zonedFormat(locale), [locale]);
}

/** Now in `timeZone` as `YYYY-MM-DD` and `HH:MM`, to compare with what a date and a time input hold. */
export function nowInZone(timeZone: string, now: Date = new Date()): { date: string; time: string } {
  const parts = formatter('en-CA', timeZone, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '00';
  return { date: `${get('year')}-${get('month')}-${get('day')}`, time: `${get('hour')}:${get('minute')}` };
}

/** Whether a local date and time in `timeZone` has passed (minute precision). */
export function isPastInZone(date: string, time: string, timeZone: string, now: Date = new Date()): boolean {
  const current = nowInZone(timeZone, now);
  return `${date}T${time}` <= `${current.date}T${current.time}`;
}

/** Today in `timeZone` as `YYYY-MM-DD`. */
export function todayInZone(timeZone: string, now: Date = new Date()): string {
  return nowInZone(timeZone, now).date;
}
