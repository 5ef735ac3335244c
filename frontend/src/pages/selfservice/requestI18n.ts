// The translator of claims, offers, swaps and notifications: the area's own dictionary (i18n/shiftrequests.*.ts)
// next to the app's translator. `rt`/`rtp` read the area dictionary directly, so these screens work whether or not
// it is spread into en.ts and nl.ts; registering it there as well adds it to the app-wide completeness tests (same
// texts, one source). Small on purpose: the navigation's bell loads it on every page.
import { useMemo } from 'react';
import { interpolate, type Language, type Translator, type Vars } from '../../i18n/core';
import { useI18n } from '../../i18n/I18nProvider';
import { shiftRequestsEn } from '../../i18n/shiftrequests.en';
import { shiftRequestsNl } from '../../i18n/shiftrequests.nl';

export type RequestTextKey = keyof typeof shiftRequestsEn;

/** The bases of the plural pairs (`x.one` / `x.other`). */
export type RequestPluralBase = RequestTextKey extends infer K ? (K extends `${infer B}.one` ? B : never) : never;

const DICTIONARIES: Record<Language, Record<RequestTextKey, string>> = { en: shiftRequestsEn, nl: shiftRequestsNl };

export interface RequestText {
  rt: (key: RequestTextKey, vars?: Vars) => string;
  rtp: (base: RequestPluralBase, count: number, vars?: Vars) => string;
}

export function requestText(lang: Language, locale: string): RequestText {
  const messages = DICTIONARIES[lang];
  const plural = new Intl.PluralRules(locale);
  const numbers = new Intl.NumberFormat(locale);
  const rt = (key: RequestTextKey, vars?: Vars) => interpolate(messages[key], vars);
  const rtp = (base: RequestPluralBase, count: number, vars?: Vars) =>
    rt(`${base}.${plural.select(count) === 'one' ? 'one' : 'other'}` as RequestTextKey, {
      ...vars,
      count: numbers.format(count),
    });
  return { rt, rtp };
}

export type RequestI18n = Translator & RequestText;

/** The app's translator plus the area's `rt` and `rtp`. */
export function useRequestText(): RequestI18n {
  const i18n = useI18n();
  return useMemo(() => ({ ...i18n, ...requestText(i18n.lang, i18n.locale) }), [i18n]);
}

