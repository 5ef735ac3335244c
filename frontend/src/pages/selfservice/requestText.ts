// Words of claims, offers, swaps and notifications: the area's own dictionary (i18n/shiftrequests.*.ts) next to
// the app's translator, shift times as the location's wall clock, status and kind names, and the API's error codes
// for these requests (rule codes through the week's rule names, each with a fallback, never a raw code).
// The translator itself (`rt`, `rtp`) is in requestI18n.ts, which the navigation's bell loads without the rest.
import { isApiError } from '../../api/client';
import type { RequestKind, RequestShift, RequestStatus } from '../../api/shiftRequestTypes';
import { ruleLabel } from '../scheduling/week/weekText';
import type { RequestI18n, RequestText, RequestTextKey } from './requestI18n';
import { shortDay } from './selfText';

export { requestText, useRequestText, type RequestI18n, type RequestPluralBase, type RequestText, type RequestTextKey } from './requestI18n';

// ---- shifts and moments -------------------------------------------------------------------------------------

/** `HH:MM–HH:MM` in the location's wall clock, as the server gives it. */
export function shiftTime(shift: Pick<RequestShift, 'localStart' | 'localEnd'>): string {
  return `${shift.localStart}–${shift.localEnd}`;
}

/** An end at or before the start is on the next day. */
export function endsNextDay(shift: Pick<RequestShift, 'localStart' | 'localEnd'>): boolean {
  return shift.localEnd <= shift.localStart;
}

/** "Tue, Dec 8 · 18:00–23:00" */
export function shiftWhen(locale: string, shift: Pick<RequestShift, 'date' | 'localStart' | 'localEnd'>): string {
  return `${shortDay(locale, shift.date)} · ${shiftTime(shift)}`;
}

/** "Tue, Dec 8, 14:00" of an instant in the location's zone (24-hour clock). */
export function momentIn(locale: string, timeZone: string, iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const options: Intl.DateTimeFormatOptions = {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  };
  try {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone }).format(date);
  } catch {
    return new Intl.DateTimeFormat(locale, options).format(date);
  }
}

// ---- names --------------------------------------------------------------------------------------------------

const STATUS_KEYS: Record<RequestStatus, RequestTextKey> = {
  open: 'sr.status.open',
  pending_colleague: 'sr.status.pending_colleague',
  pending_approval: 'sr.status.pending_approval',
  approved: 'sr.status.approved',
  denied: 'sr.status.denied',
  declined: 'sr.status.declined',
  withdrawn: 'sr.status.withdrawn',
};

export function statusName(text: RequestText, status: RequestStatus): string {
  return text.rt(STATUS_KEYS[status]);
}

const KIND_KEYS: Record<RequestKind, RequestTextKey> = {
  claim: 'sr.kind.claim',
  offer: 'sr.kind.offer',
  swap: 'sr.kind.swap',
};

export function kindName(text: RequestText, kind: RequestKind): string {
  return text.rt(KIND_KEYS[kind]);
}

function isRequestStatus(value: string | undefined): value is RequestStatus {
  return !!value && Object.prototype.hasOwnProperty.call(STATUS_KEYS, value);
}

// ---- errors -------------------------------------------------------------------------------------------------

/** What the caller was doing: picks the wording of a refusal by the rules. */
export type RequestAction = 'claim' | 'take' | 'offer' | 'swap' | 'accept' | 'decline' | 'withdraw' | 'approve' | 'deny';

const RULE_CODES = new Set([
  'not_crew_here',
  'slots_full',
  'overlap',
  'time_off',
  'rest_too_short',
  'competency_below_minimum',
  'unavailable',
  'over_contract_hours',
  'over_weekly_max',
  'seventh_day',
  'assignment_refused',
]);

/** The rule codes of a refusal: `fields.reasons` when the server lists them, else the code itself. */
export function ruleCodes(error: unknown): string[] {
  if (!isApiError(error)) return [];
  const listed = error.fields.reasons?.split(',').filter(Boolean) ?? [];
  if (listed.length > 0) return listed;
  return RULE_CODES.has(error.code) && error.code !== 'assignment_refused' && error.code !== 'slots_full'
    ? [error.code]
    : [];
}

const RULE_LEADS: Record<RequestAction, RequestTextKey> = {
  claim: 'sr.error.rules.claim',
  take: 'sr.error.rules.claim',
  accept: 'sr.error.rules.accept',
  offer: 'sr.error.rules.offer',
  swap: 'sr.error.rules.swap',
  decline: 'sr.error.rules.approve',
  withdraw: 'sr.error.rules.approve',
  approve: 'sr.error.rules.approve',
  deny: 'sr.error.rules.approve',
};

/**
 * The sentence for a failed claim, offer, swap, answer or decision: the rules by name ("Rest too short,
 * Unavailable"), the request codes in words, then the app's own wording of the code.
 */
export function requestErrorMessage(i18n: RequestI18n, error: unknown, action: RequestAction): string {
  if (!isApiError(error)) return i18n.errorMessage(error);
  const codes = ruleCodes(error);
  if (codes.length > 0) {
    const rules = [...new Set(codes)].map((code) => ruleLabel(i18n.t, code)).join(', ');
    return i18n.rt(RULE_LEADS[action], { rules });
  }
  switch (error.code) {
    case 'slots_full':
      return i18n.rt('sr.error.slots_full');
    case 'request_exists':
      return i18n.rt(action === 'claim' ? 'sr.error.request_exists.claim' : 'sr.error.request_exists');
    case 'request_changed': {
      const status = error.fields.status;
      return isRequestStatus(status)
        ? i18n.rt('sr.error.request_changed_to', { status: statusName(i18n, status) })
        : i18n.rt('sr.error.request_changed');
    }
    case 'request_stale':
      return i18n.rt('sr.error.request_stale');
    case 'past_cutoff':
      return i18n.rt('sr.error.past_cutoff');
    case 'assignment_refused':
      return i18n.rt(RULE_LEADS[action], { rules: ruleLabel(i18n.t, 'unknown') });
    case 'not_found':
      return i18n.rt('sr.error.not_found');
    case 'validation_failed':
      if (error.fields.targetAssignmentId === 'own_assignment') return i18n.rt('sr.error.own_assignment');
      if (error.fields.ids) return i18n.rt('sr.error.bulk_ids');
      break;
    default:
      break;
  }
  return i18n.errorMessage(error);
}

/** The reason a bulk approval left a request alone, from its code alone (no fields come with it). */
export function notApprovedMessage(i18n: RequestI18n, code: string): string {
  switch (code) {
    case 'slots_full':
      return i18n.rt('sr.error.slots_full');
    case 'request_changed':
      return i18n.rt('sr.error.request_changed');
    case 'request_stale':
      return i18n.rt('sr.error.request_stale');
    case 'past_cutoff':
      return i18n.rt('sr.error.past_cutoff');
    case 'not_found':
      return i18n.rt('sr.error.not_found');
    case 'assignment_refused':
      return i18n.rt('sr.error.rules.approve', { rules: ruleLabel(i18n.t, 'unknown') });
    default:
      return RULE_CODES.has(code)
        ? i18n.rt('sr.error.rules.approve', { rules: ruleLabel(i18n.t, code) })
        : i18n.rt('sr.error.unknown');
  }
}
