import { describe, expect, it } from 'vitest';
import { centsToInput, centsToText, countedTotal, denominationLabel, formatEuro, parseAmount, parseQuantity } from './cashMoney';

describe('cash amounts', () => {
  it('reads amounts with either decimal mark and at most two decimals, like the server', () => {
    expect(parseAmount('12,50')).toEqual({ cents: 1250 });
    expect(parseAmount(' 12.5 ')).toEqual({ cents: 1250 });
    expect(parseAmount('12')).toEqual({ cents: 1200 });
    expect(parseAmount('')).toEqual({ cents: null });
    expect(parseAmount('12,505')).toEqual({ problem: 'too_many_decimals' });
    expect(parseAmount('-1')).toEqual({ problem: 'negative' });
    expect(parseAmount('1.000,00')).toEqual({ problem: 'invalid_amount' });
    expect(parseAmount('abc')).toEqual({ problem: 'invalid_amount' });
  });

  it('round-trips cents through text without floats', () => {
    for (const cents of [0, 1, 5, 10, 99, 100, 1250, 123456789]) {
      expect(parseAmount(centsToText(cents))).toEqual({ cents });
      expect(parseAmount(centsToInput(cents, 'nl-NL'))).toEqual({ cents });
    }
    expect(centsToInput(1250, 'nl-NL')).toBe('12,50');
    expect(centsToInput(1250, 'en-GB')).toBe('12.50');
  });

  it('sums the counted lines in cents', () => {
    // 0.10 + 0.20 in cents is exactly 30, where floats would give 0.30000000000000004.
    expect(countedTotal([10, 20], ['1', '1'])).toBe(30);
    expect(countedTotal([50000, 200, 1], ['2', '7', '3'])).toBe(101_403);
    expect(countedTotal([500, 100], ['x', ''])).toBe(0);
    expect(parseQuantity('1.5')).toBeNull();
    expect(parseQuantity('-1')).toBeNull();
  });

  it('formats euros for the locale', () => {
    expect(formatEuro(-7607, 'nl-NL')).toMatch(/76,07/);
    expect(formatEuro(47403, 'en-GB')).toBe('€474.03');
    expect(denominationLabel(5, 'nl-NL')).toMatch(/0,05/);
    expect(denominationLabel(5000, 'en-GB')).toBe('€50');
  });
});
