// Client-side checks mirroring the server's. They return the server's field codes, so a message for a code
// looks the same whether the browser or the server found the problem. The server stays the authority.

export type FieldCode =
  | 'required'
  | 'invalid_email'
  | 'invalid_username'
  | 'password_too_short'
  | 'password_too_long'
  | 'too_long'
  | 'invalid_phone'
  | 'consent_required'
  | 'password_mismatch'
  | 'invalid_date'
  | 'file_too_large'
  | 'unsupported_file'
  | 'invalid_time'
  | 'out_of_range'
  | 'in_past';

export const PASSWORD_MIN_BYTES = 10;
export const PASSWORD_MAX_BYTES = 72; // bcrypt's limit
export const NAME_MAX_CHARS = 100;
export const EMAIL_MAX_CHARS = 254;
export const LOCATION_NAME_MAX_CHARS = 100;

const encoder = new TextEncoder();

/** Length in UTF-8 bytes, which is what the server (and bcrypt) count: "é" is 2, "😀" is 4. */
export function utf8ByteLength(value: string): number {
  return encoder.encode(value).length;
}

export function checkRequired(value: string): FieldCode | null {
  return value.trim() === '' ? 'required' : null;
}

export function checkPassword(value: string): FieldCode | null {
  if (value === '') return 'required';
  const bytes = utf8ByteLength(value);
  if (bytes < PASSWORD_MIN_BYTES) return 'password_too_short';
  if (bytes > PASSWORD_MAX_BYTES) return 'password_too_long';
  return null;
}

export function checkRepeat(password: string, repeat: string): FieldCode | null {
  if (repeat === '') return 'required';
  return password === repeat ? null : 'password_mismatch';
}

// One "@", something before it, a dot-separated domain after it, no spaces.
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

export function checkEmail(value: string): FieldCode | null {
  const v = value.trim();
  if (v === '') return 'required';
  if (v.length > EMAIL_MAX_CHARS) return 'too_long';
  return EMAIL.test(v) ? null : 'invalid_email';
}

const USERNAME = /^[a-z0-9._-]{3,32}$/;

export function checkUsername(value: string): FieldCode | null {
  const v = value.trim();
  if (v === '') return 'required';
  return USERNAME.test(v) ? null : 'invalid_username';
}

export function checkName(value: string): FieldCode | null {
  const v = value.trim();
  if (v === '') return 'required';
  return v.length > NAME_MAX_CHARS ? 'too_long' : null;
}

// Digits with the usual separators (space, dash, dot, parentheses) and an optional leading "+"; 6 to 15 digits
// (E.164 allows at most 15). The same characters as the server's check.
const PHONE_CHARS = /^\+?[0-9 ().-]+$/;

/** The server's longest phone number, separators included. */
export const PHONE_MAX_CHARS = 40;

export function checkPhone(value: string): FieldCode | null {
  const v = value.trim();
  if (v === '') return 'required';
  if ([...v].length > PHONE_MAX_CHARS) return 'too_long';
  if (!PHONE_CHARS.test(v)) return 'invalid_phone';
  const digits = v.replace(/\D/g, '').length;
  return digits >= 6 && digits <= 15 ? null : 'invalid_phone';
}

export function checkConsent(accepted: boolean): FieldCode | null {
  return accepted ? null : 'consent_required';
}

// ---- the sensitive profile ----------------------------------------------------------------------------------

/** The server's maximum lengths (in characters) of the sensitive profile's free-text fields. */
export const PROFILE_MAX_CHARS = {
  address: 300,
  nationality: 100,
  nationalIdNumber: 50,
  bankAccount: 50,
  emergencyContact: 300,
} as const;

/** Length in Unicode code points, which is what the server counts (Rust's `chars().count()`): "😀" is 1. */
export function charLength(value: string): number {
  return [...value].length;
}

const CONTROL_CHARS = /\p{Cc}/u;

/** An optional single-line text: empty is fine (it clears the field); the server answers `too_long` for too
 * many characters and for control characters such as line breaks. */
export function checkOptionalText(value: string, max: number): FieldCode | null {
  const v = value.trim();
  if (v === '') return null;
  return charLength(v) > max || CONTROL_CHARS.test(v) ? 'too_long' : null;
}

export function checkOptionalPhone(value: string): FieldCode | null {
  return value.trim() === '' ? null : checkPhone(value);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** An optional calendar date written `YYYY-MM-DD` (what date inputs produce) that exists (no 30 February). */
export function checkOptionalDate(value: string): FieldCode | null {
  const v = value.trim();
  if (v === '') return null;
  const match = ISO_DATE.exec(v);
  if (!match) return 'invalid_date';
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  const real =
    year >= 1 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return real ? null : 'invalid_date';
}

// ---- documents ----------------------------------------------------------------------------------------------

/** The server's limit for the reason of a review decision. */
export const REVIEW_REASON_MAX_CHARS = 1000;

/** A rejection needs a reason: a single line (no control characters) of at most 1000 characters. */
export function checkReviewReason(value: string): FieldCode | null {
  return value.trim() === '' ? 'required' : checkOptionalText(value, REVIEW_REASON_MAX_CHARS);
}

// ---- uploads ------------------------------------------------------------------------------------------------

/** What the file picker offers; the server decides by the file's first bytes (PDF, JPEG, PNG). */
export const DOCUMENT_ACCEPT = '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png';

const DOCUMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'];
const DOCUMENT_EXTENSIONS = /\.(pdf|jpe?g|png)$/i;

/**
 * A chosen file: present, not empty, by its type or name a PDF, JPEG or PNG, and not over `maxBytes` — the server's
 * limit from its public settings (`null` while they are not known: the server stays the authority with 413
 * `too_large`; checking here spares a long upload that would be refused anyway).
 */
export function checkDocumentFile(
  file: { name: string; size: number; type: string } | null,
  maxBytes: number | null,
): FieldCode | null {
  if (!file) return 'required';
  if (!DOCUMENT_TYPES.includes(file.type) && !DOCUMENT_EXTENSIONS.test(file.name)) return 'unsupported_file';
  if (file.size === 0) return 'unsupported_file';
  return maxBytes !== null && file.size > maxBytes ? 'file_too_large' : null;
}

/** Keeps only the entries that found a problem. */
export function collect<K extends string>(checks: Record<K, FieldCode | null>): Partial<Record<K, FieldCode>> {
  const out: Partial<Record<K, FieldCode>> = {};
  for (const key of Object.keys(checks) as K[]) {
    const code = checks[key];
    if (code) out[key] = code;
  }
  return out;
}
