// The pure helpers of the crew screens: words for codes, hours as decimals, and the hours field's parsing.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client';
import { createTranslator } from '../../i18n/core';
import { positions, reason } from '../../test/crewData';
import {
  crewErrorMessage,
  crewFieldMessage,
  crewStatusLabel,
  formatHours,
  hoursText,
  minutesToHours,
  reasonText,
  todayLocal,
  weekdayLabel,
} from './crewText';
import { checkHours, parseHours, positionOptions } from './MembershipDialog';

const en = createTranslator('en', 'en-US');
const nl = createTranslator('nl', 'nl-NL');

describe('crew text', () => {
  it('writes hours as locale decimals with at most two decimals', () => {
    expect(formatHours('en-US', 7.5)).toBe('7.5');
    expect(formatHours('nl-NL', 7.5)).toBe('7,5');
    expect(formatHours('en-US', 24)).toBe('24');
    expect(formatHours('en-US', 1 / 3)).toBe('0.33');
    expect(minutesToHours(450)).toBe(7.5);
    expect(minutesToHours(20)).toBe(0.33);
    expect(minutesToHours(0)).toBe(0);
    expect(hoursText(en, 405)).toBe('6.75 h');
    expect(hoursText(nl, 405)).toMatch(/^6,75/);
  });

  it('names statuses and weekdays, and a weekday it does not know by its number', () => {
    expect(crewStatusLabel(en.t, 'on_leave')).toBe('On leave');
    expect(weekdayLabel(en.t, 1)).toBe('Monday');
    expect(weekdayLabel(en.t, 7)).toBe('Sunday');
    expect(weekdayLabel(en.t, 9)).toBe('9');
    expect(weekdayLabel(nl.t, 1)).not.toBe('Monday');
  });

  it('picks the wording of a field code by field, then by code, then the app’s', () => {
    expect(crewFieldMessage(en, 'too_long', 'note')).toBe('At most 500 characters.');
    expect(crewFieldMessage(en, 'too_long', 'name')).toBe('This name is too long.');
    expect(crewFieldMessage(en, 'too_long', 'end')).toBe('A shift can last at most 16 hours.');
    expect(crewFieldMessage(en, 'too_many', 'slots')).toBe('At most 50 slots.');
    expect(crewFieldMessage(en, 'too_many', 'breakMinutes')).toBe('This is too many.');
    expect(crewFieldMessage(en, 'taken', 'name')).toBe('This location already has one with that name.');
    expect(crewFieldMessage(en, 'required')).toBe('This field is required.');
    expect(crewFieldMessage(en, 'never_heard_of_it', 'x')).toBe('This value is not valid.');
  });

  it('uses its own words for the scheduling error codes, else the app’s', () => {
    const error = (code: string, status = 409) => new ApiError({ status, code, message: 'x' });
    expect(crewErrorMessage(en, error('name_taken'))).toBe('This location already has one with that name.');
    expect(crewErrorMessage(en, error('already_crew'))).toBe('This person is already on the crew of this location.');
    expect(crewErrorMessage(en, error('forbidden', 403))).toBe('You are not allowed to do this.');
    expect(crewErrorMessage(en, new Error('boom'))).toBe('Something went wrong. Please try again.');
  });

  it('writes the rule engine’s reasons from their figures, and falls back to the server’s text', () => {
    expect(reasonText(en, reason())).toBe('30 h this week is more than the 24 h contracted.');
    expect(reasonText(en, reason({ code: 'over_weekly_max', figures: { minutes: 2430, limitMinutes: 2400 } }))).toBe(
      '40.5 h this week is more than the weekly maximum of 40 h.',
    );
    expect(reasonText(en, reason({ code: 'rest_too_short', figures: { minutes: 540, limitMinutes: 660 } }))).toBe(
      'Only 9 h of rest between two shifts; the minimum is 11 h.',
    );
    expect(reasonText(en, reason({ code: 'seventh_day', figures: { days: 8 } }))).toBe('No day off in 8 days in a row.');
    // Figures missing: the server's sentence.
    expect(reasonText(en, reason({ code: 'over_contract_hours', figures: { minutes: 1800 }, message: 'Over contract.' }))).toBe(
      'Over contract.',
    );
    expect(reasonText(en, reason({ code: 'seventh_day', figures: {}, message: 'Seven days.' }))).toBe('Seven days.');
    expect(reasonText(en, reason({ code: 'overlap', figures: {}, message: 'Overlaps another shift.' }))).toBe(
      'Overlaps another shift.',
    );
    expect(reasonText(nl, reason())).toContain('30');
    expect(reasonText(nl, reason())).not.toBe('30 h this week is more than the 24 h contracted.');
  });

  it('gives today as YYYY-MM-DD in the browser’s zone', () => {
    expect(todayLocal(new Date(2026, 0, 5, 23, 30))).toBe('2026-01-05');
    expect(todayLocal(new Date(2026, 11, 31, 0, 1))).toBe('2026-12-31');
  });
});

describe('contracted hours', () => {
  it('reads a dot or a comma, empty as none and anything else as unreadable', () => {
    expect(parseHours('24')).toBe(24);
    expect(parseHours(' 30,5 ')).toBe(30.5);
    expect(parseHours('30.25')).toBe(30.25);
    expect(parseHours('0')).toBe(0);
    expect(parseHours('')).toBeNull();
    expect(parseHours('   ')).toBeNull();
    expect(parseHours('-1')).toBeNaN();
    expect(parseHours('1e2')).toBeNaN();
    expect(parseHours('twenty')).toBeNaN();
    expect(parseHours('1.2.3')).toBeNaN();
  });

  it('accepts 0 to 80 hours', () => {
    expect(checkHours('')).toBeNull();
    expect(checkHours('0')).toBeNull();
    expect(checkHours('80')).toBeNull();
    expect(checkHours('80,01')).toBe('out_of_range');
    expect(checkHours('-3')).toBe('out_of_range');
    expect(checkHours('abc')).toBe('out_of_range');
  });

  it('offers the active positions and archived ones already held', () => {
    expect(positionOptions(positions(), []).map((o) => o.label)).toEqual(['Bartender', 'Waiter']);
    expect(positionOptions(positions(), [positions()[2]!.id]).map((o) => o.label)).toEqual([
      'Bartender',
      'Waiter',
      'Dishwasher',
    ]);
  });
});
