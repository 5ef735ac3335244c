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
  | 'password_mismatch';

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

// Digits with the usual separators and an optional leading "+"; 6 to 15 digits (E.164 allows at most 15).
const PHONE_CHARS = /^\+?[0-9 ()./-]+$/;

export function checkPhone(value: string): FieldCode | null {
  const v = value.trim();
  if (v === '') return 'required';
  if (!PHONE_CHARS.test(v)) return 'invalid_phone';
  const digits = v.replace(/\D/g, '').length;
  return digits >= 6 && digits <= 15 ? null : 'invalid_phone';
}

export function checkConsent(accepted: boolean): FieldCode | null {
  return accepted ? null : 'consent_required';
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
