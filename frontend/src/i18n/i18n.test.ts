import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { createTranslator, detectLanguage, dictionaries, interpolate, isMessageKey, LANGUAGES } from './core';
import { en } from './en';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

// Everything the contract (docs/api-contract-accounts.md) lists, plus the codes the server's error type has.
const CONTRACT_ERROR_CODES = [
  'validation_failed',
  'invalid_credentials',
  'unauthorized',
  'forbidden',
  'csrf_rejected',
  'not_found',
  'username_taken',
  'email_taken',
  'invalid_token',
  'wrong_password',
  'too_many_requests',
  'service_unavailable',
  'store_unavailable',
  'internal_error',
  'invalid_json',
  'too_large',
  'unsupported_type',
  // Documents and profiles (crates/http/src/routes/people.rs, error.rs).
  'invalid_query',
  'invalid_upload',
  'document_corrupted',
];

const CONTRACT_FIELD_CODES = [
  'required',
  'invalid_email',
  'invalid_username',
  'password_too_short',
  'password_too_long',
  'too_long',
  'invalid_phone',
  'unknown_location_code',
  'consent_required',
  'taken',
  'invalid_role',
  'invalid_timezone',
  'not_allowed',
  'invalid_date',
];

describe('dictionaries', () => {
  const enKeys = Object.keys(en).sort();

  it.each(LANGUAGES)('%s has exactly the English keys', (lang) => {
    expect(Object.keys(dictionaries[lang]).sort()).toEqual(enKeys);
  });

  it.each(LANGUAGES)('%s has no empty texts', (lang) => {
    const empty = Object.entries(dictionaries[lang]).filter(([, text]) => text.trim() === '');
    expect(empty).toEqual([]);
  });

  it.each(LANGUAGES)('%s uses the same placeholders as English', (lang) => {
    const mismatched = Object.keys(en)
      .filter((key) => isMessageKey(key))
      .filter((key) => {
        const k = key as keyof typeof en;
        return placeholders(dictionaries[lang][k]).join() !== placeholders(en[k]).join();
      });
    expect(mismatched).toEqual([]);
  });

  it('Dutch is really translated (few texts equal to English)', () => {
    const same = Object.keys(en).filter(
      (key) => dictionaries.nl[key as keyof typeof en] === en[key as keyof typeof en],
    );
    // Brand names, language names and a few international words may stay the same.
    expect(same.length).toBeLessThan(12);
  });

  it.each(CONTRACT_ERROR_CODES)('translates the error code %s', (code) => {
    expect(isMessageKey(`error.${code}`)).toBe(true);
  });

  it.each(CONTRACT_FIELD_CODES)('translates the field code %s', (code) => {
    expect(isMessageKey(`fieldError.${code}`)).toBe(true);
  });

  it('has both plural forms wherever one is used', () => {
    for (const key of Object.keys(en)) {
      if (key.endsWith('.one')) expect(isMessageKey(key.replace(/\.one$/, '.other'))).toBe(true);
      if (key.endsWith('.other')) expect(isMessageKey(key.replace(/\.other$/, '.one'))).toBe(true);
    }
  });
});

describe('translator', () => {
  it('fills placeholders', () => {
    expect(interpolate('Hello, {name}!', { name: 'Sam' })).toBe('Hello, Sam!');
    expect(interpolate('{a} {b}', { a: 1 })).toBe('1 {b}');
  });

  it('translates API errors by code, with a fallback for unknown codes', () => {
    const nl = createTranslator('nl');
    const error = new ApiError({ status: 401, code: 'invalid_credentials', message: 'x' });
    expect(nl.errorMessage(error)).toBe(dictionaries.nl['error.invalid_credentials']);
    expect(nl.errorMessage(new ApiError({ status: 418, code: 'teapot', message: 'x' }))).toBe(
      dictionaries.nl['error.unknown'],
    );
    expect(nl.errorMessage(new Error('boom'))).toBe(dictionaries.nl['error.unknown']);
    expect(nl.fieldErrorMessage('taken')).toBe(dictionaries.nl['fieldError.taken']);
    expect(nl.fieldErrorMessage('something_new')).toBe(dictionaries.nl['fieldError.unknown']);
    expect(createTranslator('en').fieldErrorMessage('invalid_characters')).toMatch(/control characters/);
  });

  it('says how long to wait after a 429', () => {
    const en = createTranslator('en', 'en-GB');
    const tooMany = (retryAfter: number | null) =>
      new ApiError({ status: 429, code: 'too_many_requests', message: 'x', retryAfter });
    expect(en.errorMessage(tooMany(600))).toBe('Too many attempts, try again in 10 minutes.');
    expect(en.errorMessage(tooMany(61))).toBe('Too many attempts, try again in 2 minutes.');
    expect(en.errorMessage(tooMany(60))).toBe('Too many attempts, try again in 1 minute.');
    expect(en.errorMessage(tooMany(1))).toBe('Too many attempts, try again in 1 second.');
    expect(en.errorMessage(tooMany(null))).toBe(dictionaries.en['error.too_many_requests']);
    const nl = createTranslator('nl', 'nl-NL');
    expect(nl.errorMessage(tooMany(300))).toBe('Te veel pogingen, probeer het over 5 minuten opnieuw.');
  });

  it('formats dates in the locale', () => {
    const iso = '2026-11-20T14:05:00Z';
    const nl = createTranslator('nl', 'nl-NL').formatDateTime(iso);
    const en = createTranslator('en', 'en-GB').formatDateTime(iso);
    expect(nl).toBe(new Intl.DateTimeFormat('nl-NL', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)));
    expect(nl).toMatch(/nov/);
    expect(en).toMatch(/Nov/);
    expect(createTranslator('en').formatDateTime(null)).toBe('');
  });

  it('formats calendar dates as that day, whatever the time zone', () => {
    const en = createTranslator('en', 'en-GB');
    expect(en.formatDate('2026-03-01')).toBe('1 Mar 2026');
    expect(createTranslator('nl', 'nl-NL').formatDate('2026-03-01')).toBe('1 mrt 2026');
    expect(en.formatDate(null)).toBe('');
    expect(en.formatDate('not a date')).toBe('not a date');
  });

  it('formats file sizes and percentages in the locale', () => {
    const en = createTranslator('en', 'en-GB');
    const nl = createTranslator('nl', 'nl-NL');
    expect(en.formatFileSize(512)).toBe('512 byte');
    expect(en.formatFileSize(20 * 1024)).toBe('20 kB');
    expect(en.formatFileSize(1.5 * 1024 * 1024)).toBe('1.5 MB');
    expect(nl.formatFileSize(1.5 * 1024 * 1024)).toBe('1,5 MB');
    expect(en.formatPercent(42)).toBe('42%');
    expect(nl.formatPercent(42)).toBe('42%');
    expect(en.formatPercent(140)).toBe('100%');
  });
});

describe('detectLanguage', () => {
  it('prefers the remembered choice', () => {
    expect(detectLanguage('nl', ['en-US'])).toBe('nl');
  });
  it('takes the first supported browser language', () => {
    expect(detectLanguage(null, ['de-DE', 'nl-BE', 'en'])).toBe('nl');
    expect(detectLanguage(null, ['en-US', 'nl'])).toBe('en');
  });
  it('falls back to English', () => {
    expect(detectLanguage(null, ['fr-FR'])).toBe('en');
    expect(detectLanguage('xx', [])).toBe('en');
  });
});
