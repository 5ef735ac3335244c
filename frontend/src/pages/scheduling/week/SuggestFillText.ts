// Words of "Suggest fill": why a person was suggested (the soft terms with their figures), why a slot stayed open
// (the refusal counts over the candidates), why an item did not apply, and the time budget as typed. Each code
// has a fallback, never a raw code on screen.
import type { ApplyConflict, ReasonCount, FillSuggestionItem, FillWhy } from '../../../api/autofillTypes';
import { TIME_BUDGET_MAX_MS, TIME_BUDGET_MIN_MS, WEIGHT_MAX, WEIGHT_MIN } from '../../../api/autofillTypes';
import { isMessageKey, type Translator } from '../../../i18n/core';
import { dayLabel, hoursOf, ruleLabel } from './weekText';

type I18n = Pick<Translator, 't' | 'locale'>;

/** One suggestion (a person on a shift) among the proposal's and the selection's. */
export function fillKey(item: { shiftId: string; userId?: string; person?: { id: string } }): string {
  return `${item.shiftId} ${item.userId ?? item.person?.id ?? ''}`;
}

/** "Mon, Mar 2 18:00–23:00, Bartender" — the grid's wording of a shift, from the proposal's own fields. */
export function fillShiftLabel(
  i18n: I18n,
  shift: Pick<FillSuggestionItem, 'date' | 'localStart' | 'localEnd' | 'positionName'>,
): string {
  return i18n.t('week.shift.label', {
    day: dayLabel(i18n.locale, shift.date),
    time: `${shift.localStart}–${shift.localEnd}`,
    position: shift.positionName || i18n.t('week.unknownPosition'),
  });
}

/** A soft term as a short phrase with its figures ("Towards contract: 24 of 32 h"). */
export function whyText(i18n: I18n, why: FillWhy, borrowedFrom: string | null): string {
  const { t, locale } = i18n;
  switch (why.code) {
    case 'contract_hours':
      if (why.weekMinutesAfter != null && why.contractMinutes != null) {
        const vars = { hours: hoursOf(locale, why.weekMinutesAfter), contract: hoursOf(locale, why.contractMinutes) };
        return why.weekMinutesAfter > why.contractMinutes ? t('autofill.why.overContract', vars) : t('autofill.why.contract', vars);
      }
      return t('autofill.why.contractPlain');
    case 'preferred':
      return t('autofill.why.preferred');
    case 'interested':
      return t('autofill.why.interested');
    case 'fair_spread':
      if (why.lateNights != null && why.weekends != null)
        return t('autofill.why.fairSpread', { lateNights: why.lateNights, weekends: why.weekends });
      return t('autofill.why.fairSpreadPlain');
    case 'competency_margin':
      if (why.margin != null) return t('autofill.why.margin', { margin: why.margin });
      return t('autofill.why.marginPlain');
    case 'home_venue':
      return t('autofill.why.homeVenue');
    case 'borrowed':
      return borrowedFrom ? t('autofill.borrowedFrom', { location: borrowedFrom }) : t('autofill.why.borrowedPlain');
    case 'split_day':
      return t('autofill.why.splitDay');
    default:
      return t('autofill.why.unknown');
  }
}

/** "+8", "−3", "0" (a real minus sign). */
export function pointsText(locale: string, points: number): string {
  const number = new Intl.NumberFormat(locale, { signDisplay: 'exceptZero' }).format(points);
  return number.replace('-', '−');
}

/** "3 on time off"; a code without a phrase of its own reads as the rule engine's name of it ("Shift full: 3"). */
export function refusalText(i18n: Pick<Translator, 't'>, refusal: ReasonCount): string {
  const key = `autofill.refusal.${refusal.code}`;
  if (isMessageKey(key)) return i18n.t(key, { count: refusal.count });
  return i18n.t('autofill.refusal.otherRule', { rule: ruleLabel(i18n.t, refusal.code), count: refusal.count });
}

/** "Nobody fits: 3 on time off, 2 unavailable, 4 without the position". */
export function nobodyFitsText(i18n: Pick<Translator, 't'>, reasons: readonly ReasonCount[]): string {
  const counted = reasons.filter((r) => r.count > 0);
  return i18n.t('autofill.unfilled.nobody', { reasons: counted.map((r) => refusalText(i18n, r)).join(', ') });
}

/** Why an item was not applied: the rule's name, else the error code's wording, else the server's sentence. */
export function conflictText(i18n: Pick<Translator, 't'>, conflict: Pick<ApplyConflict, 'code' | 'message'>): string {
  const rule = `week.rule.${conflict.code}`;
  if (isMessageKey(rule)) return i18n.t(rule);
  const error = `error.${conflict.code}`;
  if (isMessageKey(error)) return i18n.t(error);
  return conflict.message || i18n.t('week.rule.unknown');
}

/** Seconds as typed ("2", "1.5", "1,5") to milliseconds inside the server's limits, or the field code. */
export function budgetMsOf(seconds: string): { ms: number } | { error: 'required' | 'out_of_range' } {
  const text = seconds.trim().replace(',', '.');
  if (text === '') return { error: 'required' };
  if (!/^\d*(\.\d+)?$/.test(text) || text === '.') return { error: 'out_of_range' };
  const ms = Math.round(Number(text) * 1000);
  return ms >= TIME_BUDGET_MIN_MS && ms <= TIME_BUDGET_MAX_MS ? { ms } : { error: 'out_of_range' };
}

/** Seconds in the locale ("2", "0,5"). */
export function secondsText(locale: string, ms: number): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 1, useGrouping: false }).format(ms / 1000);
}

/** A weight as typed to its number, or the field code. */
export function weightOf(text: string): { value: number } | { error: 'required' | 'out_of_range' } {
  const trimmed = text.trim();
  if (trimmed === '') return { error: 'required' };
  if (!/^\d+$/.test(trimmed)) return { error: 'out_of_range' };
  const value = Number(trimmed);
  return value >= WEIGHT_MIN && value <= WEIGHT_MAX ? { value } : { error: 'out_of_range' };
}
