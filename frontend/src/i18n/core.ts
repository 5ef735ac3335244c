// The i18n layer without React: dictionaries, language choice, interpolation, plurals, dates, error texts.
import { ApiError } from '../api/client';
import { en, type MessageKey, type Messages } from './en';
import { nl } from './nl';
import { readRemembered, remember } from '../components/remembered';

export type { MessageKey, Messages };

export const LANGUAGES = ['en', 'nl'] as const;
export type Language = (typeof LANGUAGES)[number];

export const dictionaries: Record<Language, Messages> = { en, nl };

export const STORAGE_KEY = 'crewplots.lang';

export type Vars = Record<string, string | number>;

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(en, key);
}

export function storeLanguage(lang: Language): void {
  remember(STORAGE_KEY, lang);
}



/** The remembered choice, else the first browser language we ship, else English. */
export function detectLanguage(
  stored: string | null = readRemembered(STORAGE_KEY),
  browser: readonly string[] = typeof navigator === 'undefined'
    ? []
    : navigator.languages?.length
      ? navigator.languages
      : [navigator.language],
): Language {
  if (isLanguage(stored)) return stored;
  for (const tag of browser) {
    const base = tag?.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

/** The full locale for number/date formatting: the browser's own tag when it is of the chosen language. */
export function localeFor(
  lang: Language,
  browser: readonly string[] = typeof navigator === 'undefined' ? [] : (navigator.languages ?? []),
): string {
  const match = browser.find((tag) => tag.toLowerCase().split('-')[0] === lang);
  return match ?? (lang === 'nl' ? 'nl-NL' : 'en-GB');
}

export function interpolate(template: string, vars?: Vars): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : whole,
  );
}

export interface Translator {
  lang: Language;
  locale: string;
  t: (key: MessageKey, vars?: Vars) => string;
  /** Plural: looks up `${base}.one` / `${base}.other` and fills {count}. */
  tp: (base: string, count: number, vars?: Vars) => string;
  formatDateTime: (iso: string | null | undefined) => string;
  /** A calendar date: `YYYY-MM-DD` is shown as that day wherever the browser is; timestamps in local time. */
  formatDate: (value: string | null | undefined) => string;
  /** Bytes as B, kB or MB (1 kB = 1024 bytes), in the locale's number format. */
  formatFileSize: (bytes: number) => string;
  /** 0–100 as a percentage in the locale's format ("42%", "42 %"). */
  formatPercent: (percent: number) => string;
  errorMessage: (error: unknown) => string;
  fieldErrorMessage: (code: string) => string;
}

export function createTranslator(lang: Language, locale: string = localeFor(lang)): Translator {
  const messages = dictionaries[lang];
  const t = (key: MessageKey, vars?: Vars) => interpolate(messages[key], vars);
  const plural = new Intl.PluralRules(locale);
  const tp = (base: string, count: number, vars?: Vars) => {
    const form = plural.select(count) === 'one' ? 'one' : 'other';
    const key = `${base}.${form}`;
    const chosen = isMessageKey(key) ? key : null;
    if (!chosen) return String(count);
    return t(chosen, { ...vars, count: new Intl.NumberFormat(locale).format(count) });
  };
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const formatDateTime = (iso: string | null | undefined) => {
    if (!iso) return '';
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
  };
  const calendarDate = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const localDate = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
  const formatDate = (value: string | null | undefined) => {
    if (!value) return '';
    const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (day) {
      const date = new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])));
      return Number.isNaN(date.getTime()) ? value : calendarDate.format(date);
    }
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? value : localDate.format(date);
  };
  const sizeFormats = {
    byte: new Intl.NumberFormat(locale, { style: 'unit', unit: 'byte', unitDisplay: 'short' }),
    kilobyte: new Intl.NumberFormat(locale, { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 0 }),
    megabyte: new Intl.NumberFormat(locale, { style: 'unit', unit: 'megabyte', maximumFractionDigits: 1 }),
  };
  const formatFileSize = (bytes: number) => {
    if (bytes < 1024) return sizeFormats.byte.format(bytes);
    if (bytes < 1024 * 1024) return sizeFormats.kilobyte.format(Math.max(1, Math.round(bytes / 1024)));
    return sizeFormats.megabyte.format(bytes / (1024 * 1024));
  };
  const percentFormat = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  const formatPercent = (percent: number) => percentFormat.format(Math.min(100, Math.max(0, percent)) / 100);
  const errorMessage = (error: unknown) => {
    if (!(error instanceof ApiError)) return t('error.unknown');
    if (error.code === 'too_many_requests' || error.status === 429) {
      return retryMessage(error.retryAfter, t, tp);
    }
    const key = `error.${error.code}`;
    return isMessageKey(key) ? t(key) : t('error.unknown');
  };
  const fieldErrorMessage = (code: string) => {
    const key = `fieldError.${code}`;
    return isMessageKey(key) ? t(key) : t('fieldError.unknown');
  };
  return {
    lang,
    locale,
    t,
    tp,
    formatDateTime,
    formatDate,
    formatFileSize,
    formatPercent,
    errorMessage,
    fieldErrorMessage,
  };
}

function retryMessage(
  seconds: number | null,
  t: Translator['t'],
  tp: Translator['tp'],
): string {
  if (seconds === null || seconds <= 0) return t('error.too_many_requests');
  if (seconds < 60) return tp('error.too_many_requests.seconds', seconds);
  return tp('error.too_many_requests.minutes', Math.ceil(seconds / 60));
}
