// Numbers, weeks and days of the dashboard in the user's locale, shared by the figures and the lazily loaded
// charts (so both say the same thing the same way).
import type { Translator } from '../../i18n/core';
import { parseIsoWeek } from '../scheduling/isoWeek';
import { weekTitle } from '../scheduling/week/weekText';

/** A count or an hours figure (the server rounds hours to 2 decimals). */
export function figure(locale: string, value: number): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value);
}

/** "W49" under a bar. */
export function shortWeek(t: Translator['t'], isoWeek: string): string {
  const parts = parseIsoWeek(isoWeek);
  return parts ? t('dashboard.chart.hours.weekLabel', { week: parts.week }) : isoWeek;
}

/** "Week 49, 2026" in tables. */
export function longWeek(t: Translator['t'], isoWeek: string): string {
  return weekTitle(t, isoWeek);
}

function utcDay(date: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1));
}

/** "Tue 8" under a bar, whatever the browser's zone. */
export function shortDate(locale: string, date: string): string {
  return new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', timeZone: 'UTC' }).format(utcDay(date));
}

/** "Tuesday 8 December" in tables. */
export function longDate(locale: string, date: string): string {
  return new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(
    utcDay(date),
  );
}
