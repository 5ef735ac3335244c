import { describe, expect, it } from 'vitest';
import {
  charLength,
  checkConsent,
  checkDocumentFile,
  checkEmail,
  checkName,
  checkOptionalDate,
  checkOptionalPhone,
  checkOptionalText,
  checkPassword,
  checkPhone,
  checkRepeat,
  checkReviewReason,
  checkUsername,
  collect,
  utf8ByteLength,
} from './rules';

describe('utf8ByteLength', () => {
  it('counts UTF-8 bytes, not characters or UTF-16 units', () => {
    expect(utf8ByteLength('abc')).toBe(3);
    expect(utf8ByteLength('é')).toBe(2);
    expect(utf8ByteLength('€')).toBe(3);
    expect(utf8ByteLength('😀')).toBe(4); // two UTF-16 units
    expect(utf8ByteLength('')).toBe(0);
  });
});

describe('checkPassword (10–72 bytes)', () => {
  it('requires a value', () => expect(checkPassword('')).toBe('required'));

  it('uses bytes for the minimum', () => {
    expect(checkPassword('a'.repeat(9))).toBe('password_too_short');
    expect(checkPassword('a'.repeat(10))).toBeNull();
    // 5 characters, 10 bytes: long enough.
    expect(checkPassword('ééééé')).toBeNull();
    // 4 characters of 2 bytes + 1 byte = 9 bytes: too short.
    expect(checkPassword('ééééa')).toBe('password_too_short');
    // 3 emoji = 12 bytes although only 3 characters.
    expect(checkPassword('😀😀😀')).toBeNull();
  });

  it('uses bytes for the maximum', () => {
    expect(checkPassword('a'.repeat(72))).toBeNull();
    expect(checkPassword('a'.repeat(73))).toBe('password_too_long');
    // 18 emoji = 72 bytes: allowed; 19 emoji = 76 bytes: too long although only 19 characters.
    expect(checkPassword('😀'.repeat(18))).toBeNull();
    expect(checkPassword('😀'.repeat(19))).toBe('password_too_long');
    // 36 "é" = 72 bytes; 37 = 74 bytes.
    expect(checkPassword('é'.repeat(36))).toBeNull();
    expect(checkPassword('é'.repeat(37))).toBe('password_too_long');
    // 25 "€" = 75 bytes, only 25 characters.
    expect(checkPassword('€'.repeat(25))).toBe('password_too_long');
  });

  it('does not trim passwords', () => {
    expect(checkPassword('          ')).toBeNull();
  });
});

describe('checkRepeat', () => {
  it('requires the same password', () => {
    expect(checkRepeat('secret-password', '')).toBe('required');
    expect(checkRepeat('secret-password', 'secret-passwort')).toBe('password_mismatch');
    expect(checkRepeat('secret-password', 'secret-password')).toBeNull();
  });
});

describe('checkEmail', () => {
  it.each([
    ['', 'required'],
    ['   ', 'required'],
    ['sam', 'invalid_email'],
    ['sam@', 'invalid_email'],
    ['sam@example', 'invalid_email'],
    ['sam @example.nl', 'invalid_email'],
    ['sam@@example.nl', 'invalid_email'],
    ['sam@example.nl', null],
    [' sam.jansen+jobs@bar.example.co.uk ', null],
    [`${'a'.repeat(250)}@x.nl`, 'too_long'],
  ])('%j → %s', (value, expected) => {
    expect(checkEmail(value)).toBe(expected);
  });
});

describe('checkUsername (3–32 of [a-z0-9._-])', () => {
  it.each([
    ['', 'required'],
    ['ab', 'invalid_username'],
    ['abc', null],
    ['sam.jansen_01-x', null],
    ['a'.repeat(32), null],
    ['a'.repeat(33), 'invalid_username'],
    ['Sam', 'invalid_username'],
    ['sam jansen', 'invalid_username'],
    ['sam@bar', 'invalid_username'],
    ['séb', 'invalid_username'],
  ])('%j → %s', (value, expected) => {
    expect(checkUsername(value)).toBe(expected);
  });
});

describe('other fields', () => {
  it('requires names and limits their length', () => {
    expect(checkName(' ')).toBe('required');
    expect(checkName('Anne-Marie')).toBeNull();
    expect(checkName('x'.repeat(101))).toBe('too_long');
  });

  it('requires a plausible phone number', () => {
    expect(checkPhone('')).toBe('required');
    expect(checkPhone('+31 6 1234 5678')).toBeNull();
    expect(checkPhone('06-12345678')).toBeNull();
    expect(checkPhone('(020) 123 4567')).toBeNull();
    expect(checkPhone('12345')).toBe('invalid_phone');
    expect(checkPhone('call me')).toBe('invalid_phone');
    expect(checkPhone('+1234567890123456')).toBe('invalid_phone');
    // The server allows space, dash, dot and parentheses as separators, and "+" only in front.
    expect(checkPhone('020/1234567')).toBe('invalid_phone');
    expect(checkPhone('06+12345678')).toBe('invalid_phone');
    expect(checkPhone('  +31.6.12345678  ')).toBeNull();
    // Separators cannot pad a number past the server's 40 characters.
    expect(checkPhone(`+31${' -'.repeat(20)}612345678`)).toBe('too_long');
  });

  it('requires the privacy consent', () => {
    expect(checkConsent(false)).toBe('consent_required');
    expect(checkConsent(true)).toBeNull();
  });

  it('collects only the problems', () => {
    expect(collect({ a: null, b: 'required', c: null })).toEqual({ b: 'required' });
  });
});

describe('sensitive profile fields (all optional)', () => {
  it('accepts an empty phone number, else checks it like the server', () => {
    expect(checkOptionalPhone('')).toBeNull();
    expect(checkOptionalPhone('   ')).toBeNull();
    expect(checkOptionalPhone('+31 6 1234 5678')).toBeNull();
    expect(checkOptionalPhone('12345')).toBe('invalid_phone');
    expect(checkOptionalPhone('phone me')).toBe('invalid_phone');
  });

  it('counts characters as the server does (code points, after trimming)', () => {
    expect(charLength('😀😀')).toBe(2);
    expect(checkOptionalText('', 50)).toBeNull();
    expect(checkOptionalText('x'.repeat(50), 50)).toBeNull();
    expect(checkOptionalText(`  ${'x'.repeat(50)}  `, 50)).toBeNull();
    expect(checkOptionalText('x'.repeat(51), 50)).toBe('too_long');
    // 50 emoji are 100 UTF-16 units but 50 characters.
    expect(checkOptionalText('😀'.repeat(50), 50)).toBeNull();
  });

  it('rejects control characters such as line breaks like the server (too_long)', () => {
    expect(checkOptionalText('Kerkstraat 1\n1234 AB Amsterdam', 300)).toBe('too_long');
    expect(checkOptionalText('tab\there', 300)).toBe('too_long');
  });

  it('wants real YYYY-MM-DD dates', () => {
    expect(checkOptionalDate('')).toBeNull();
    expect(checkOptionalDate('1999-12-31')).toBeNull();
    expect(checkOptionalDate('2024-02-29')).toBeNull();
    expect(checkOptionalDate('2023-02-29')).toBe('invalid_date');
    expect(checkOptionalDate('2026-13-01')).toBe('invalid_date');
    expect(checkOptionalDate('31-12-1999')).toBe('invalid_date');
    expect(checkOptionalDate('1999-1-5')).toBe('invalid_date');
    expect(checkOptionalDate('yesterday')).toBe('invalid_date');
  });
});

describe('documents', () => {
  const file = (name: string, size: number, type = '') => ({ name, size, type });

  it('needs a PDF, JPEG or PNG of at most the server\'s limit', () => {
    const max = 10 * 1024 * 1024;
    expect(checkDocumentFile(null, max)).toBe('required');
    expect(checkDocumentFile(file('cv.pdf', 20_000, 'application/pdf'), max)).toBeNull();
    expect(checkDocumentFile(file('ID.JPG', 20_000), max)).toBeNull();
    expect(checkDocumentFile(file('scan', 20_000, 'image/png'), max)).toBeNull();
    expect(checkDocumentFile(file('cv.docx', 20_000, 'application/msword'), max)).toBe('unsupported_file');
    expect(checkDocumentFile(file('empty.pdf', 0, 'application/pdf'), max)).toBe('unsupported_file');
    expect(checkDocumentFile(file('big.pdf', max, 'application/pdf'), max)).toBeNull();
    expect(checkDocumentFile(file('big.pdf', max + 1, 'application/pdf'), max)).toBe('file_too_large');
    expect(checkDocumentFile(file('big.pdf', 3_000, 'application/pdf'), 2_000)).toBe('file_too_large');
    // Limit not known yet: the server decides.
    expect(checkDocumentFile(file('big.pdf', max + 1, 'application/pdf'), null)).toBeNull();
  });

  it('needs a reason to reject', () => {
    expect(checkReviewReason(' ')).toBe('required');
    expect(checkReviewReason('Unreadable scan')).toBeNull();
    expect(checkReviewReason('x'.repeat(1001))).toBe('too_long');
  });
});
