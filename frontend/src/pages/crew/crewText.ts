// Words and numbers of the crew and template screens: statuses, hours as decimals, error codes of the
// scheduling API and the rule engine's reasons, each with a fallback so a new server code never shows raw.
import { isApiError } from '../../api/client';
import type { CrewStatus, RuleReason } from '../../api/schedulingTypes';
import { isMessageKey, type MessageKey, type Translator } from '../../i18n/core';

type T = Translator['t'];
type I18n = Pick<Translator, 't' | 'errorMessage' | 'fieldErrorMessage' | 'locale'>;

export function crewStatusLabel(t: T, status: CrewStatus): string {
  return t(`crew.status.${status}`);
}

export function weekdayLabel(t: T, weekday: number): string {
  const key = `templates.weekday.${weekday}`;
  return isMessageKey(key) ? t(key) : String(weekday);
}

/** The banner text of a failed call: our own wording for the scheduling codes, else the app's. */
export function crewErrorMessage(i18n: Pick<I18n, 't' | 'errorMessage'>, error: unknown): string {
  if (isApiError(error)) {
    const key = `crew.error.${error.code}`;
    if (isMessageKey(key)) return i18n.t(key);
  }
  return i18n.errorMessage(error);
}

/**
 * The text of a field code. `context` picks a wording that depends on the field (a shift's end "too long" is
 * about its length, a note's about its characters).
 */
export function crewFieldMessage(i18n: Pick<I18n, 't' | 'fieldErrorMessage'>, code: string, context?: string): string {
  const candidates = [context ? `crew.fieldError.${context}.${code}` : '', `crew.fieldError.${code}`];
  for (const key of candidates) if (key && isMessageKey(key)) return i18n.t(key as MessageKey);
  return i18n.fieldErrorMessage(code);
}

/** Hours as a decimal number in the locale ("7.5", "7,5"), at most two decimals. */
export function formatHours(locale: string, hours: number): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(hours);
}

export function minutesToHours(minutes: number): number {
  return Math.round((minutes / 60) * 100) / 100;
}

/** "7.5 h" from minutes. */
export function hoursText(i18n: Pick<I18n, 't' | 'locale'>, minutes: number): string {
  return i18n.t('crew.hours', { hours: formatHours(i18n.locale, minutesToHours(minutes)) });
}

/** A sentence for a rule-engine reason from its code and figures; the server's English text otherwise. */
export function reasonText(i18n: Pick<I18n, 't' | 'locale'>, reason: RuleReason): string {
  const f = reason.figures;
  const h = (minutes: number | null | undefined) => formatHours(i18n.locale, minutesToHours(minutes ?? 0));
  switch (reason.code) {
    case 'over_contract_hours':
      if (f.minutes != null && f.limitMinutes != null)
        return i18n.t('crew.reason.over_contract_hours', { hours: h(f.minutes), limit: h(f.limitMinutes) });
      break;
    case 'over_weekly_max':
      if (f.minutes != null && f.limitMinutes != null)
        return i18n.t('crew.reason.over_weekly_max', { hours: h(f.minutes), limit: h(f.limitMinutes) });
      break;
    case 'seventh_day':
      if (f.days != null) return i18n.t('crew.reason.seventh_day', { days: f.days });
      break;
    case 'rest_too_short':
      if (f.minutes != null && f.limitMinutes != null) {
        const base = { hours: h(f.minutes), limit: h(f.limitMinutes) };
        return f.otherLocation
          ? i18n.t('crew.reason.rest_too_short_at', { ...base, location: f.otherLocation })
          : i18n.t('crew.reason.rest_too_short', base);
      }
      break;
    default:
      break;
  }
  return reason.message;
}

/** `YYYY-MM-DD` of today in the browser's zone (for date inputs' `max`). */
export function todayLocal(now: Date = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, '0');
  const d = String(now.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}
