// Words of the manager's week: days and weeks in the user's locale, shift times as the location's wall clock,
// the rule engine's reasons, change kinds and the week's error codes (each with a fallback, never a raw code).
import { isApiError } from '../../../api/client';
import type { ChangeKind, GridShift, Position, RuleReason } from '../../../api/schedulingTypes';
import { isMessageKey, type Translator } from '../../../i18n/core';
import { crewErrorMessage, formatHours, minutesToHours, reasonText } from '../../crew/crewText';
import { isIsoWeek, parseIsoWeek, weekDates } from '../isoWeek';

type I18n = Pick<Translator, 't' | 'tp' | 'locale' | 'lang' | 'errorMessage'>;

export function weekPath(locationId: string, isoWeek: string): string {
  return `/staff/schedule/${encodeURIComponent(locationId)}/${encodeURIComponent(isoWeek)}`;
}

function utcDay(date: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1));
}

/** "Mon 2 Mar" (short) or "Monday 2 March" (long) of a `YYYY-MM-DD`, whatever the browser's zone. */
export function dayLabel(locale: string, date: string, style: 'short' | 'long' = 'short'): string {
  const options: Intl.DateTimeFormatOptions =
    style === 'short'
      ? { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }
      : { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(locale, options).format(utcDay(date));
}

/** "2 – 8 Mar 2026" */
export function weekRangeText(locale: string, isoWeek: string): string {
  if (!isIsoWeek(isoWeek)) return isoWeek;
  const dates = weekDates(isoWeek);
  const first = dates[0];
  const last = dates[6];
  if (!first || !last) return isoWeek;
  const format = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  return format.formatRange(utcDay(first), utcDay(last));
}

/** "Week 10, 2026" */
export function weekTitle(t: Translator['t'], isoWeek: string): string {
  const parts = parseIsoWeek(isoWeek);
  return parts ? t('week.weekNumber', { week: parts.week, year: parts.year }) : isoWeek;
}

/** `HH:MM–HH:MM` in the location's wall clock, as the server computed it. */
export function shiftTime(shift: Pick<GridShift, 'localStart' | 'localEnd'>): string {
  return `${shift.localStart}–${shift.localEnd}`;
}

/** An end at or before the start is on the next day. */
export function endsNextDay(shift: Pick<GridShift, 'localStart' | 'localEnd'>): boolean {
  return shift.localEnd <= shift.localStart;
}

export function positionName(t: Translator['t'], positions: readonly Position[], id: string): string {
  return positions.find((p) => p.id === id)?.name ?? t('week.unknownPosition');
}

/** "Mon 2 Mar 18:00–23:00, Bartender" */
export function shiftLabel(i18n: Pick<I18n, 't' | 'locale'>, shift: GridShift, positions: readonly Position[]): string {
  return i18n.t('week.shift.label', {
    day: dayLabel(i18n.locale, shift.date),
    time: shiftTime(shift),
    position: positionName(i18n.t, positions, shift.positionId),
  });
}

export function hoursOf(locale: string, minutes: number): string {
  return formatHours(locale, minutesToHours(minutes));
}

// ---- the rule engine ----------------------------------------------------------------------------------------

/** A short name of a rule ("Rest too short"). */
export function ruleLabel(t: Translator['t'], code: string): string {
  const key = `week.rule.${code}`;
  return isMessageKey(key) ? t(key) : t('week.rule.unknown');
}

function instantFormat(locale: string, timeZone: string): Intl.DateTimeFormat {
  const options: Intl.DateTimeFormatOptions = {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  };
  try {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone });
  } catch {
    return new Intl.DateTimeFormat(locale, options);
  }
}

/**
 * The sentence of a reason. The server writes English sentences with the figures in the location's clock; in
 * English those are shown as they are, other languages get ours from the same figures (the server's sentence
 * when the figures do not say enough).
 */
export function reasonDetail(i18n: Pick<I18n, 't' | 'locale' | 'lang'>, reason: RuleReason, timeZone: string): string {
  if (i18n.lang === 'en' && reason.message) return reason.message;
  const f = reason.figures;
  const at = (iso: string) => instantFormat(i18n.locale, timeZone).format(new Date(iso));
  switch (reason.code) {
    case 'not_crew_here':
      return f.crewStatus
        ? i18n.t('week.reason.not_crew_here_status', { status: i18n.t(`crew.status.${f.crewStatus}`) })
        : i18n.t('week.reason.not_crew_here');
    case 'slots_full':
      if (f.slots != null) return i18n.t('week.reason.slots_full', { slots: f.slots });
      break;
    case 'overlap':
      if (f.otherStartsAt && f.otherEndsAt)
        return i18n.t('week.reason.overlap', {
          start: at(f.otherStartsAt),
          end: at(f.otherEndsAt),
          location: f.otherLocation ?? '',
        });
      break;
    case 'time_off':
      if (f.startsAt && f.endsAt) return i18n.t('week.reason.time_off', { start: at(f.startsAt), end: at(f.endsAt) });
      break;
    case 'competency_below_minimum':
      if (f.competency && f.level != null && f.minimumLevel != null)
        return i18n.t('week.reason.competency_below_minimum', {
          competency: f.competency,
          level: f.level,
          minimum: f.minimumLevel,
        });
      break;
    case 'unavailable':
      return i18n.t('week.reason.unavailable');
    default:
      return reasonText(i18n, reason);
  }
  return reason.message;
}

/** The rule codes of a refusal (`fields.reasons` of a 409/422 from the rule engine). */
export function refusalCodes(error: unknown): string[] {
  if (!isApiError(error)) return [];
  const list = error.fields.reasons;
  return list ? list.split(',').filter(Boolean) : [];
}

export function changeKindLabel(t: Translator['t'], kind: ChangeKind): string {
  const key = `week.change.kind.${kind}`;
  return isMessageKey(key) ? t(key) : kind;
}

// ---- errors -------------------------------------------------------------------------------------------------

/**
 * The banner text of a failed call on the week: names the person an `overlap` is about and how many people
 * stand in the way of fewer slots; the app's wording (with the scheduling codes) otherwise.
 */
export function weekErrorMessage(
  i18n: Pick<I18n, 't' | 'tp' | 'errorMessage'>,
  error: unknown,
  personName?: (userId: string) => string | undefined,
): string {
  if (isApiError(error)) {
    const userId = error.fields.userId;
    const name = userId ? personName?.(userId) : undefined;
    if (error.code === 'overlap' && name) return i18n.t('week.error.overlapPerson', { name });
    const assigned = Number(error.fields.assigned);
    if (error.code === 'slots_below_assigned' && Number.isInteger(assigned) && assigned > 0)
      return i18n.tp('week.error.slotsBelowAssigned', assigned);
  }
  return crewErrorMessage(i18n, error);
}

export function isCode(error: unknown, code: string): boolean {
  return isApiError(error) && error.code === code;
}
