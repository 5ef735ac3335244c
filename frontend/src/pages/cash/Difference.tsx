// A difference between counted and expected cash: short or over in words (not only in colour), highlighted when
// it is beyond the venue's tolerance.
import { useI18n } from '../../i18n/I18nProvider';
import { formatEuro } from './cashMoney';

export function Difference({ cents, tolerance, testId }: { cents: number; tolerance: number; testId?: string }) {
  const { t, locale } = useI18n();
  const over = Math.abs(cents) > tolerance;
  const text =
    cents === 0
      ? t('cash.discrepancy.even')
      : t(cents < 0 ? 'cash.discrepancy.short' : 'cash.discrepancy.over', { amount: formatEuro(Math.abs(cents), locale) });
  return (
    <span
      className={over ? 'cash-diff cash-diff--flagged' : cents === 0 ? 'cash-diff cash-diff--even' : 'cash-diff'}
      data-testid={testId}
      data-over-tolerance={over || undefined}
      title={over ? t('cash.overTolerance', { amount: formatEuro(tolerance, locale) }) : undefined}
    >
      {over ? <span aria-hidden="true">⚠ </span> : null}
      {text}
      {over ? <span className="visually-hidden"> ({t('cash.overTolerance', { amount: formatEuro(tolerance, locale) })})</span> : null}
    </span>
  );
}
