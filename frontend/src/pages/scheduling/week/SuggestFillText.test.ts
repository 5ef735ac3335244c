import { describe, expect, it } from 'vitest';
import { REFUSAL_CODES, WHY_CODES } from '../../../api/autofillTypes';
import { createTranslator, dictionaries } from '../../../i18n/core';
import { budgetMsOf, conflictText, nobodyFitsText, pointsText, refusalText, weightOf, whyText } from './SuggestFillText';

const en = createTranslator('en', 'en-GB');
const nl = createTranslator('nl', 'nl-NL');

describe('why a person was suggested', () => {
  it('names each soft term with its figures', () => {
    expect(whyText(en, { code: 'contract_hours', points: 8, weekMinutesAfter: 1440, contractMinutes: 1920 }, null)).toBe(
      'Towards contract: 24 of 32 h',
    );
    expect(whyText(en, { code: 'contract_hours', points: -3, weekMinutesAfter: 2010, contractMinutes: 1920 }, null)).toBe(
      'Past contract: 33.5 of 32 h',
    );
    expect(whyText(nl, { code: 'contract_hours', points: 8, weekMinutesAfter: 1470, contractMinutes: 1920 }, null)).toBe(
      'Richting contract: 24,5 van 32 u',
    );
    expect(whyText(en, { code: 'competency_margin', points: 2, margin: 2 }, null)).toBe('Competency margin: 2 above the minimum');
    expect(whyText(en, { code: 'borrowed', points: -2 }, 'De Kade')).toBe('Borrowed from De Kade');
    expect(whyText(en, { code: 'split_day', points: -1 }, null)).toBe('Second shift that day');
  });

  it('has words for terms without figures and for codes it does not know', () => {
    expect(whyText(en, { code: 'contract_hours', points: 1 }, null)).toBe('Towards contract hours');
    expect(whyText(en, { code: 'fair_spread', points: 1 }, null)).toBe('Fair spread of late nights and weekends');
    expect(whyText(en, { code: 'something_new', points: 1 }, null)).toBe('Another goal');
  });

  it.each(WHY_CODES)('has words of its own for %s in both languages', (code) => {
    for (const tr of [en, nl]) {
      const text = whyText(tr, { code, points: 1 }, 'De Kade');
      expect(text).not.toBe(dictionaries[tr.lang]['autofill.why.unknown']);
      expect(text).not.toContain(code);
    }
  });

  it('signs the points with a real minus', () => {
    expect(pointsText('en-GB', 8)).toBe('+8');
    expect(pointsText('en-GB', -3)).toBe('−3');
    expect(pointsText('en-GB', 0)).toBe('0');
  });
});

describe('why nobody fits', () => {
  it('counts each refusal, in the language of the screen', () => {
    const reasons = [
      { code: 'time_off', count: 3 },
      { code: 'position', count: 4 },
      { code: 'overlap', count: 0 },
    ];
    expect(nobodyFitsText(en, reasons)).toBe('Nobody fits: 3 on time off, 4 without the position');
    expect(nobodyFitsText(nl, reasons)).toBe('Niemand past: 3 met vrij, 4 zonder de functie');
  });

  it.each(REFUSAL_CODES.filter((code) => code !== 'slots_full'))('has a phrase of its own for %s', (code) => {
    expect(refusalText(en, { code, count: 2 })).toMatch(/^2 [a-z]/);
    expect(refusalText(nl, { code, count: 2 })).toMatch(/^2 [a-z]/);
  });

  it('names other rule codes with the rule engine’s words', () => {
    expect(refusalText(en, { code: 'slots_full', count: 2 })).toBe('Shift full: 2');
    expect(refusalText(en, { code: 'brand_new', count: 1 })).toBe('Not possible: 1');
  });
});

describe('why an item did not apply', () => {
  it('uses the rule’s name, then the error’s wording, then the server’s sentence', () => {
    expect(conflictText(en, { code: 'overlap', message: 'x' })).toBe('Overlap');
    expect(conflictText(en, { code: 'week_published', message: 'x' })).toBe(
      'This week has been published: suggestions are made for draft weeks only.',
    );
    expect(conflictText(en, { code: 'brand_new', message: 'Something new.' })).toBe('Something new.');
  });
});

describe('the typed values', () => {
  it('reads the time budget in seconds, inside the server’s limits', () => {
    expect(budgetMsOf('2')).toEqual({ ms: 2000 });
    expect(budgetMsOf(' 1,5 ')).toEqual({ ms: 1500 });
    expect(budgetMsOf('.5')).toEqual({ ms: 500 });
    expect(budgetMsOf('0.1')).toEqual({ ms: 100 });
    expect(budgetMsOf('10')).toEqual({ ms: 10000 });
    expect(budgetMsOf('')).toEqual({ error: 'required' });
    expect(budgetMsOf('0.05')).toEqual({ error: 'out_of_range' });
    expect(budgetMsOf('10.5')).toEqual({ error: 'out_of_range' });
    expect(budgetMsOf('two')).toEqual({ error: 'out_of_range' });
    expect(budgetMsOf('.')).toEqual({ error: 'out_of_range' });
  });

  it('reads a weight as a whole number from 0 to 10', () => {
    expect(weightOf('0')).toEqual({ value: 0 });
    expect(weightOf('10')).toEqual({ value: 10 });
    expect(weightOf('')).toEqual({ error: 'required' });
    expect(weightOf('11')).toEqual({ error: 'out_of_range' });
    expect(weightOf('2.5')).toEqual({ error: 'out_of_range' });
    expect(weightOf('-1')).toEqual({ error: 'out_of_range' });
  });
});
