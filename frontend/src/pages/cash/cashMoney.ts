// Euro amounts on the cash screens, in integer cents like the server: the live total of counted lines, amounts
// typed as "12,50" or "12.50" (the server parses the same text again and stays the judge), and their display.

/** `12,50`, `12.5`, `12`: at most two decimals, no thousands separators, no sign. */
const AMOUNT = /^(\d+)(?:[.,](\d{1,2}))?$/;

export type AmountProblem = 'invalid_amount' | 'too_many_decimals' | 'negative';

/** The cents of a typed amount, `null` when empty, or why it is refused. */
export function parseAmount(text: string): { cents: number | null } | { problem: AmountProblem } {
  const value = text.trim();
  if (value === '') return { cents: null };
  if (value.startsWith('-')) return { problem: 'negative' };
  if (/^\d+[.,]\d{3,}$/.test(value)) return { problem: 'too_many_decimals' };
  const match = AMOUNT.exec(value);
  if (!match || (match[1] ?? '').length > 9) return { problem: 'invalid_amount' };
  const euros = Number(match[1]);
  const fraction = (match[2] ?? '').padEnd(2, '0');
  return { cents: euros * 100 + Number(fraction) };
}

/** Cents as text the server reads back exactly: `1250` → `12.50`. */
export function centsToText(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Cents as text in the locale's decimal mark, for an input field: `1250` → `12,50` in Dutch. */
export function centsToInput(cents: number, locale: string): string {
  const text = centsToText(cents);
  const mark = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
  return text.replace('.', mark);
}

const euroFormats = new Map<string, Intl.NumberFormat>();

/** `€ 12,50` / `€12.50` in the locale's format. */
export function formatEuro(cents: number, locale: string): string {
  let format = euroFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' });
    euroFormats.set(locale, format);
  }
  // Display only: whole cents divided by 100 are exact enough for two decimals up to 2^53 cents.
  return format.format(cents / 100);
}

/** A denomination as a short label: `€ 50`, `€ 0,05`. */
export function denominationLabel(cents: number, locale: string): string {
  const whole = cents % 100 === 0;
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: 'EUR',
    minimumFractionDigits: whole ? 0 : 2,
    maximumFractionDigits: 2,
  }).format(cents / 100);
}

/** A quantity typed in a piece field: whole pieces, empty is zero; `null` when it is not a whole number. */
export function parseQuantity(text: string): number | null {
  const value = text.trim();
  if (value === '') return 0;
  if (!/^\d{1,7}$/.test(value)) return null;
  return Number(value);
}

/** The counted total in cents: denomination × pieces, summed; lines that do not parse count as zero. */
export function countedTotal(denominations: readonly number[], quantities: readonly string[]): number {
  return denominations.reduce((sum, cents, index) => sum + cents * (parseQuantity(quantities[index] ?? '') ?? 0), 0);
}
