// Coverage of the week: per day, the open slots of each position (from the server's coverage rows), so the
// manager sees at a glance where people are still missing.
import { useId } from 'react';
import type { WeekGrid } from '../../../api/schedulingTypes';
import { useI18n } from '../../../i18n/I18nProvider';
import { dayLabel, positionName } from './weekText';

export function coverageTotals(grid: WeekGrid): { slots: number; filled: number; open: number } {
  return grid.coverage.reduce(
    (sum, c) => ({ slots: sum.slots + c.slots, filled: sum.filled + c.filled, open: sum.open + c.open }),
    { slots: 0, filled: 0, open: 0 },
  );
}

export function CoveragePanel({ grid }: { grid: WeekGrid }) {
  const { t, tp, locale } = useI18n();
  const titleId = useId();
  const totals = coverageTotals(grid);
  return (
    <section className="card week-coverage" aria-labelledby={titleId} data-testid="coverage">
      <div className="card__head">
        <h2 id={titleId}>{t('week.coverage.title')}</h2>
        <span className={totals.open > 0 ? 'week-coverage__total has-open' : 'week-coverage__total'}>
          {totals.slots === 0 ? t('week.coverage.noSlots') : t('week.coverage.total', { filled: totals.filled, slots: totals.slots })}
        </span>
      </div>
      <ul className="week-coverage__days">
        {grid.days.map((day) => {
          const rows = grid.coverage.filter((c) => c.date === day.date && c.slots > 0);
          const open = rows.filter((c) => c.open > 0);
          return (
            <li key={day.date} className="week-coverage__day" data-date={day.date}>
              <span className="week-coverage__date">{dayLabel(locale, day.date)}</span>
              {rows.length === 0 ? (
                <span className="muted small">{t('week.day.noShifts')}</span>
              ) : open.length === 0 ? (
                <span className="week-coverage__ok small">{t('week.day.full')}</span>
              ) : (
                <ul className="week-coverage__open">
                  {open.map((c) => (
                    <li key={c.positionId} className="week-coverage__chip" data-position-id={c.positionId}>
                      {t('week.coverage.open', {
                        position: positionName(t, grid.positions, c.positionId),
                        open: tp('week.coverage.slots', c.open),
                        slots: c.slots,
                      })}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
