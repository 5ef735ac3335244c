import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client';
import {
  APPLICATION_SOURCES,
  APPLICATION_STATUSES,
  INTERVIEW_OUTCOMES,
  NOTE_PRIORITIES,
  NOTE_WORKFLOWS,
  STAFF_TRANSITIONS,
} from '../../api/hiringTypes';
import { createTranslator, isMessageKey, LANGUAGES } from '../../i18n/core';
import { bulkErrorMessage, hiringErrorMessage } from './hiringText';

// Error codes of docs/api-contract-hiring.md the UI must translate.
const HIRING_ERROR_CODES = [
  'already_applied',
  'invalid_transition',
  'status_conflict',
  'interview_in_past',
  'interview_overlap',
  'too_large',
  'not_found',
  'validation_failed',
];

describe('hiring texts', () => {
  it.each(HIRING_ERROR_CODES)('translates the error code %s', (code) => {
    expect(isMessageKey(`error.${code}`)).toBe(true);
  });

  it.each(['invalid_time', 'out_of_range', 'in_past'])('translates the field code %s', (code) => {
    expect(isMessageKey(`fieldError.${code}`)).toBe(true);
  });

  it('has a staff and an applicant name for every status, and labels for every enum value', () => {
    for (const status of APPLICATION_STATUSES) {
      expect(isMessageKey(`hiring.status.${status}`)).toBe(true);
      expect(isMessageKey(`portal.status.${status}`)).toBe(true);
    }
    for (const source of APPLICATION_SOURCES) expect(isMessageKey(`hiring.source.${source}`)).toBe(true);
    for (const p of NOTE_PRIORITIES) expect(isMessageKey(`notes.priority.${p}`)).toBe(true);
    for (const w of NOTE_WORKFLOWS) expect(isMessageKey(`notes.workflow.${w}`)).toBe(true);
    for (const o of INTERVIEW_OUTCOMES) expect(isMessageKey(`interviews.outcome.${o}`)).toBe(true);
  });

  it('never tells an applicant "rejected"', () => {
    for (const lang of LANGUAGES) {
      const { t } = createTranslator(lang);
      expect(t('portal.status.rejected')).not.toBe(t('hiring.status.rejected'));
    }
  });

  it('names the allowed moves of an invalid transition in the user’s language', () => {
    const nl = createTranslator('nl', 'nl-NL');
    const error = new ApiError({
      status: 409,
      code: 'invalid_transition',
      message: 'x',
      fields: { allowed: 'contacted,interviewed,rejected' },
    });
    expect(hiringErrorMessage(nl, error)).toBe(
      'Deze stap is nu niet mogelijk. Mogelijke stappen: Benaderd, Gesprek gevoerd, Afgewezen.',
    );
    expect(bulkErrorMessage(nl, 'status_conflict')).toBe('Iemand anders heeft deze sollicitatie intussen gewijzigd.');
    expect(bulkErrorMessage(nl, 'something_new')).toBe(nl.t('error.unknown'));
  });

  it('follows the contract’s transition table', () => {
    expect(STAFF_TRANSITIONS).toEqual({
      new: ['contacted', 'interviewed', 'rejected'],
      contacted: ['interviewed', 'short_listed', 'rejected'],
      interviewed: ['short_listed', 'rejected'],
      short_listed: ['interviewed', 'hired', 'rejected'],
      hired: [],
      rejected: ['new'],
      withdrawn: [],
    });
  });
});
