// Texts of the hiring screens shared by the portal, the board and the application page: status names (the
// staff's and the applicant's wording), sources, note and interview labels, and the hiring error messages.
import { ApiError, isApiError } from '../../api/client';
import {
  APPLICATION_STATUSES,
  type ApplicationSource,
  type ApplicationStatus,
  type InterviewOutcome,
  type InterviewStatus,
  type NotePriority,
  type NoteWorkflow,
} from '../../api/hiringTypes';
import type { Translator } from '../../i18n/core';

type T = Translator['t'];

/** The staff's name of a status ("Short-listed"); also the board's column headings. */
export function statusLabel(t: T, status: ApplicationStatus): string {
  return t(`hiring.status.${status}`);
}

/** What the applicant reads: friendlier, and never more than they need ("Not selected"). */
export function applicantStatusLabel(t: T, status: ApplicationStatus): string {
  return t(`portal.status.${status}`);
}

export function sourceLabel(t: T, source: ApplicationSource): string {
  return t(`hiring.source.${source}`);
}

export function priorityLabel(t: T, priority: NotePriority): string {
  return t(`notes.priority.${priority}`);
}

export function workflowLabel(t: T, workflow: NoteWorkflow): string {
  return t(`notes.workflow.${workflow}`);
}

export function interviewStatusLabel(t: T, status: InterviewStatus): string {
  return t(`interviews.status.${status}`);
}

export function outcomeLabel(t: T, outcome: InterviewOutcome): string {
  return t(`interviews.outcome.${outcome}`);
}

function isStatus(value: string): value is ApplicationStatus {
  return (APPLICATION_STATUSES as readonly string[]).includes(value);
}

/**
 * A failed hiring action in the user's language. Conflicts get their own texts: `invalid_transition` names the
 * allowed moves (from `fields.allowed`), `status_conflict` says someone else was first.
 */
export function hiringErrorMessage(i18n: Pick<Translator, 't' | 'errorMessage'>, error: unknown): string {
  const { t } = i18n;
  if (isApiError(error)) {
    if (error.code === 'invalid_transition') {
      const allowed = (error.fields.allowed ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(isStatus)
        .map((s) => statusLabel(t, s));
      return allowed.length > 0
        ? t('hiring.error.invalidTransitionAllowed', { allowed: allowed.join(', ') })
        : t('error.invalid_transition');
    }
    if (error.code === 'validation_failed' && error.fields.reason === 'required') {
      return t('hiring.error.reasonRequired');
    }
  }
  return i18n.errorMessage(error);
}

/** A per-card failure of a bulk change (`{code, message}` without an ApiError around it). */
export function bulkErrorMessage(i18n: Pick<Translator, 't' | 'errorMessage'>, code: string | undefined): string {
  return hiringErrorMessage(i18n, new ApiError({ status: 409, code: code ?? 'unknown', message: '' }));
}
