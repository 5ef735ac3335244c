import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client';
import { createTranslator, type Language } from '../../i18n/core';
import { cutoffMinutesOf } from '../requests/RequestSettingsForm';
import { notificationSentence } from './notificationText';
import { swapOptions } from './OfferOrSwapDialog';
import { requestText, type RequestI18n } from './requestI18n';
import { publishedShift, publishedWeek } from './requestTestData';
import { notApprovedMessage, requestErrorMessage } from './requestText';

function i18n(lang: Language = 'en'): RequestI18n {
  const locale = lang === 'nl' ? 'nl-NL' : 'en-GB';
  return { ...createTranslator(lang, locale), ...requestText(lang, locale) };
}

const conflict = (code: string, fields?: Record<string, string>) =>
  new ApiError({ status: 409, code, message: 'English', fields });

describe('request errors in words', () => {
  it('names the rules of a refusal, worded for what was being done', () => {
    const error = conflict('rest_too_short', { reasons: 'rest_too_short,competency_below_minimum', overridable: 'true' });
    expect(requestErrorMessage(i18n(), error, 'claim')).toBe(
      'You can’t take this shift: Rest too short, Competency too low.',
    );
    expect(requestErrorMessage(i18n(), error, 'swap')).toBe(
      'The rules don’t allow this swap: Rest too short, Competency too low.',
    );
    expect(requestErrorMessage(i18n('nl'), error, 'approve')).toBe(
      `De regels staan dit niet meer toe: ${createTranslator('nl').t('week.rule.rest_too_short')}, ${createTranslator('nl').t('week.rule.competency_below_minimum')}.`,
    );
    // A rule code without the list, as the code alone.
    expect(requestErrorMessage(i18n(), conflict('time_off'), 'claim')).toBe('You can’t take this shift: Time off.');
  });

  it('words the request codes', () => {
    const en = i18n();
    expect(requestErrorMessage(en, conflict('slots_full'), 'claim')).toBe('Someone was quicker: every place on this shift is taken now.');
    expect(requestErrorMessage(en, conflict('request_exists'), 'claim')).toBe('You already asked for this shift.');
    expect(requestErrorMessage(en, conflict('request_exists'), 'offer')).toBe('There is already an open request for this shift.');
    expect(requestErrorMessage(en, conflict('request_changed', { status: 'approved' }), 'withdraw')).toBe(
      'This request changed in the meantime: it is “Approved” now.',
    );
    expect(requestErrorMessage(en, conflict('request_changed', { status: 'weird' }), 'withdraw')).toBe(
      'This request changed in the meantime. The list shows how it stands now.',
    );
    expect(requestErrorMessage(en, conflict('request_stale'), 'approve')).toMatch(/schedule changed/);
    expect(requestErrorMessage(en, conflict('past_cutoff'), 'swap')).toBe('Requests for this shift have closed: it starts too soon.');
    expect(
      requestErrorMessage(en, new ApiError({ status: 422, code: 'validation_failed', message: 'x', fields: { targetAssignmentId: 'own_assignment' } }), 'swap'),
    ).toBe('That is your own shift. Choose a colleague’s shift.');
    // Anything else in the app's words, never the raw code.
    expect(requestErrorMessage(en, new ApiError({ status: 403, code: 'forbidden', message: 'x' }), 'claim')).toBe(
      'You are not allowed to do this.',
    );
    expect(requestErrorMessage(en, new Error('boom'), 'claim')).toBe('Something went wrong. Please try again.');
  });

  it('words what a bulk approval left', () => {
    const en = i18n();
    expect(notApprovedMessage(en, 'overlap')).toBe('The rules no longer allow this: Overlap.');
    expect(notApprovedMessage(en, 'request_changed')).toMatch(/changed in the meantime/);
    expect(notApprovedMessage(en, 'something_new')).toBe('This request could not be approved.');
  });
});

describe('notification sentences', () => {
  it('never shows a placeholder when parameters are missing', () => {
    const en = i18n();
    expect(notificationSentence(en, { kind: 'swap_proposed', params: {} })).toBe('A colleague proposes to swap shifts with you.');
    expect(notificationSentence(en, { kind: 'schedule_changed', params: { location: 'Zuid' } })).toBe('Your schedule at Zuid changed.');
    expect(notificationSentence(en, { kind: 'schedule_changed', params: { location: 'Zuid', isoWeek: '2026-W02', changes: '1' } })).toBe(
      'Zuid published week 2: 1 change to your shifts.',
    );
    expect(notificationSentence(en, { kind: 'schedule_changed', params: { location: 'Zuid', isoWeek: '2026-W02', changes: '0' } })).toBe(
      'Zuid published week 2.',
    );
    expect(notificationSentence(en, { kind: 'shift_offered', params: { by: 'Bram' } })).toBe('Bram offers a shift.');
    expect(notificationSentence(en, { kind: 'request_decided', params: { status: 'approved', by: 'Eva', kind: 'time_off' } })).toBe(
      'Eva approved your request.',
    );
    expect(notificationSentence(en, { kind: 'request_decided', params: { status: 'approved', by: 'Eva', kind: 'offer' } })).toBe(
      'Eva approved the handover of your offered shift.',
    );
    for (const sentence of [
      notificationSentence(i18n('nl'), { kind: 'request_answered', params: {} }),
      notificationSentence(i18n('nl'), { kind: 'schedule_changed', params: {} }),
    ]) {
      expect(sentence).not.toMatch(/[{}]/);
    }
  });
});

describe('swap options', () => {
  const me = 'me';
  const week = publishedWeek('2026-W51', [
    publishedShift({ id: 'later', date: '2026-12-18', people: [{ id: 'kim', name: 'Kim V.', assignmentId: 'a-kim' }] }),
    publishedShift({ id: 'mine', date: '2026-12-15', mine: true, people: [{ id: me, name: 'Sam J.', assignmentId: 'a-me' }] }),
    publishedShift({ id: 'started', date: '2026-12-09', people: [{ id: 'jan', name: 'Jan S.', assignmentId: 'a-jan' }] }),
    publishedShift({
      id: 'earlier',
      date: '2026-12-16',
      people: [
        { id: 'eva', name: 'Eva M.', assignmentId: 'a-eva' },
        { id: 'bram', name: 'Bram J.', assignmentId: 'a-bram' },
      ],
    }),
  ]);

  it('lists colleagues on shifts that have not started, earliest first, never mine or my shift', () => {
    const options = swapOptions(week, { shiftId: 'mine' }, me, new Date('2026-12-09T18:00:00Z'));
    expect(options.map((o) => o.person.assignmentId)).toEqual(['a-eva', 'a-bram', 'a-kim']);
  });
});

describe('cut-off hours', () => {
  it('reads hours as typed into whole minutes in range', () => {
    expect(cutoffMinutesOf('12')).toBe(720);
    expect(cutoffMinutesOf(' 1,5 ')).toBe(90);
    expect(cutoffMinutesOf('0')).toBe(0);
    expect(cutoffMinutesOf('168')).toBe(10_080);
    expect(cutoffMinutesOf('169')).toBeNull();
    expect(cutoffMinutesOf('-1')).toBeNull();
    expect(cutoffMinutesOf('soon')).toBeNull();
    expect(cutoffMinutesOf('')).toBeNull();
  });
});
