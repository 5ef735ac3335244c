// The claims/offers/swaps/notifications dictionary on its own (it is read directly by requestI18n.ts, so the
// app-wide dictionary tests see it only once it is spread into en.ts and nl.ts).
import { describe, expect, it } from 'vitest';
import { dictionaries, isMessageKey } from './core';
import { shiftRequestsEn } from './shiftrequests.en';
import { shiftRequestsNl } from './shiftrequests.nl';

type Key = keyof typeof shiftRequestsEn;
const keys = Object.keys(shiftRequestsEn) as Key[];
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the shift request dictionary', () => {
  it('has exactly the English keys in Dutch', () => {
    expect(Object.keys(shiftRequestsNl).sort()).toEqual([...keys].sort());
  });

  it('has no empty texts', () => {
    const empty = keys.filter((k) => shiftRequestsEn[k].trim() === '' || shiftRequestsNl[k].trim() === '');
    expect(empty).toEqual([]);
  });

  it('uses the same placeholders in Dutch', () => {
    const mismatched = keys.filter((k) => placeholders(shiftRequestsNl[k]).join() !== placeholders(shiftRequestsEn[k]).join());
    expect(mismatched).toEqual([]);
  });

  it('has both plural forms wherever one is used', () => {
    for (const key of keys) {
      if (key.endsWith('.one')) expect(keys).toContain(key.replace(/\.one$/, '.other'));
      if (key.endsWith('.other')) expect(keys).toContain(key.replace(/\.other$/, '.one'));
    }
  });

  it('is really translated (few texts equal to English)', () => {
    const same = keys.filter((k) => shiftRequestsNl[k] === shiftRequestsEn[k]);
    expect(same.length).toBeLessThanOrEqual(3);
  });

  it('does not change a text of the app when spread into its dictionaries', () => {
    // Keys the app has already (once registered: these very keys) must say the same, or the spread would
    // silently replace another screen's wording.
    const clashing = keys.filter(
      (k) => isMessageKey(k) && (dictionaries.en[k] !== shiftRequestsEn[k] || dictionaries.nl[k] !== shiftRequestsNl[k]),
    );
    expect(clashing).toEqual([]);
  });
});
