// Moving between weeks: previous, this week (in the location's time zone), next, and a picker of the weeks the
// location has around the one on screen (with their state and how full they are).
import { useId } from 'react';
import type { WeekSummary } from '../../../api/schedulingTypes';
import { Button } from '../../../components/feedback';
import { useI18n } from '../../../i18n/I18nProvider';
import { addWeeks, compareWeeks } from '../isoWeek';
import { weekRangeText, weekTitle } from './weekText';

export function WeekNav({
  isoWeek,
  thisWeek,
  weeks,
  shownExists,
  onGo,
}: {
  isoWeek: string;
  thisWeek: string;
  weeks: readonly WeekSummary[];
  /** Whether the week on screen exists (the list may not have caught up yet); unknown while loading. */
  shownExists: boolean | undefined;
  onGo: (isoWeek: string) => void;
}) {
  const { t, locale } = useI18n();
  const pickerId = useId();
  const previous = addWeeks(isoWeek, -1);
  const next = addWeeks(isoWeek, 1);
  const known = new Map(weeks.map((w) => [w.week.isoWeek, w]));
  const options = [...new Set([...known.keys(), isoWeek, thisWeek])].sort(compareWeeks);
  const describe = (week: string) => {
    const summary = known.get(week);
    const base = { week: weekTitle(t, week), range: weekRangeText(locale, week) };
    if (!summary) {
      const missing = week === isoWeek ? shownExists === false : true;
      return missing ? t('week.nav.optionMissing', base) : t('week.nav.optionPlain', base);
    }
    const status = t(`week.status.${summary.week.status}`);
    return `${t('week.nav.option', { ...base, status })} · ${t('week.nav.filled', { filled: summary.filled, slots: summary.slots })}`;
  };

  return (
    <nav className="week-nav" aria-label={t('week.nav.label')}>
      <div className="week-nav__buttons">
        <Button variant="secondary" onClick={() => onGo(previous)} aria-label={t('week.nav.previousLabel', { week: weekTitle(t, previous) })}>
          <span aria-hidden="true">‹ </span>
          {t('week.nav.previous')}
        </Button>
        <Button variant="secondary" onClick={() => onGo(thisWeek)} disabled={isoWeek === thisWeek} aria-current={isoWeek === thisWeek ? 'date' : undefined}>
          {t('week.nav.thisWeek')}
        </Button>
        <Button variant="secondary" onClick={() => onGo(next)} aria-label={t('week.nav.nextLabel', { week: weekTitle(t, next) })}>
          {t('week.nav.next')}
          <span aria-hidden="true"> ›</span>
        </Button>
      </div>
      <div className="field week-nav__picker">
        <label className="field__label" htmlFor={pickerId}>
          {t('week.nav.pick')}
        </label>
        <select id={pickerId} className="input" value={isoWeek} onChange={(e) => onGo(e.target.value)}>
          {options.map((week) => (
            <option key={week} value={week}>
              {describe(week)}
            </option>
          ))}
        </select>
      </div>
    </nav>
  );
}
