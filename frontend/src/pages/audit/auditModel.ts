// The audit viewer's filter form: what is typed (local date-times, ids) → the API's filter (instants), and back.
import { EMPTY_AUDIT_FILTER, type AuditFilter } from '../../api/auditTypes';

/** What the form holds: `from`/`to` as typed in `<input type="datetime-local">` (the browser's local time). */
export type AuditForm = AuditFilter;

export type AuditFormProblems = Partial<Record<'actor' | 'subject' | 'range', 'invalidId' | 'range'>>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A local date-time (`2026-12-08T14:30`) as an instant, in the browser's zone; empty stays empty. */
export function localToInstant(local: string): string {
  if (!local) return '';
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}

export function checkAuditForm(form: AuditForm): AuditFormProblems {
  const problems: AuditFormProblems = {};
  if (form.actor.trim() && !UUID.test(form.actor.trim())) problems.actor = 'invalidId';
  if (form.subject.trim() && !UUID.test(form.subject.trim())) problems.subject = 'invalidId';
  const from = localToInstant(form.from);
  const to = localToInstant(form.to);
  if (from && to && from > to) problems.range = 'range';
  return problems;
}

/** The filter the API gets: ids and action trimmed, local times as instants. */
export function toAuditFilter(form: AuditForm): AuditFilter {
  return {
    actor: form.actor.trim(),
    action: form.action.trim(),
    subject: form.subject.trim(),
    location: form.location,
    from: localToInstant(form.from),
    to: localToInstant(form.to),
  };
}

export const EMPTY_FORM: AuditForm = { ...EMPTY_AUDIT_FILTER };
