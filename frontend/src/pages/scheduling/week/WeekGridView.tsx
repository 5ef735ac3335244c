// The week as a grid: on a wide screen the days are columns and the positions rows; on a phone the same markup
// stacks day by day (each day a section, each position a block in it, empty blocks hidden). Cells are placed
// with CSS variables so one DOM serves both layouts.
import type { CSSProperties } from 'react';
import { useId } from 'react';
import type { GridShift, Position, WeekGrid } from '../../../api/schedulingTypes';
import { Button } from '../../../components/feedback';
import { useI18n } from '../../../i18n/I18nProvider';
import { ShiftCard, type ShiftActions } from './ShiftCard';
import { dayLabel } from './weekText';

/** The rows of the grid: active positions, archived ones only when a shift of the week uses them, unknown last. */
export function gridRows(grid: WeekGrid): Position[] {
  const used = new Set(grid.shifts.map((s) => s.positionId));
  const rows = grid.positions.filter((p) => !p.archived || used.has(p.id));
  const known = new Set(rows.map((p) => p.id));
  for (const id of used) {
    if (!known.has(id)) {
      rows.push({ id, locationId: grid.location.id, name: '', archived: true, requirements: [] });
      known.add(id);
    }
  }
  return rows;
}

function byStart(a: GridShift, b: GridShift): number {
  return a.startsAt.localeCompare(b.startsAt) || a.localEnd.localeCompare(b.localEnd) || a.id.localeCompare(b.id);
}

type CellStyle = CSSProperties & Record<'--col' | '--row', number>;

export function WeekGridView({
  grid,
  actions,
  onAdd,
}: {
  grid: WeekGrid;
  actions: ShiftActions;
  /** Absent when the caller may not add shifts. */
  onAdd?: ((date: string, positionId: string) => void) | undefined;
}) {
  const { t, tp, locale } = useI18n();
  const baseId = useId();
  const rows = gridRows(grid);
  const rowName = (p: Position) => p.name || t('week.unknownPosition');

  return (
    <div className="week-grid-scroll">
      <div
        className="week-grid"
        data-testid="week-grid"
        style={{ '--days': grid.days.length, '--rows': rows.length } as CSSProperties}
      >
        <div className="week-grid__corner" aria-hidden="true" />
        {rows.map((p, r) => (
          <div key={p.id} className="week-grid__position" style={{ '--col': 1, '--row': r + 2 } as CellStyle} aria-hidden="true">
            {rowName(p)}
            {p.archived && p.name ? <span className="muted small"> ({t('crew.archived')})</span> : null}
          </div>
        ))}
        {grid.days.map((day, d) => {
          const headingId = `${baseId}-day-${d}`;
          const shifts = grid.shifts.filter((s) => s.date === day.date);
          const open = shifts.reduce((n, s) => n + s.open, 0);
          return (
            <section
              key={day.date}
              className={shifts.length === 0 ? 'week-day is-empty' : 'week-day'}
              aria-labelledby={headingId}
              data-date={day.date}
              style={{ '--col': d + 2, '--row': 1 } as CellStyle}
            >
              <header className="week-day__head">
                <h3 id={headingId} className="week-day__title">
                  {dayLabel(locale, day.date)}
                </h3>
                <span className={open > 0 ? 'week-day__open has-open' : 'week-day__open'}>
                  {shifts.length === 0 ? t('week.day.noShifts') : open > 0 ? tp('week.day.open', open) : t('week.day.full')}
                </span>
                {onAdd ? (
                  <Button
                    variant="ghost"
                    size="small"
                    className="week-day__add"
                    onClick={() => onAdd(day.date, rows.find((p) => !p.archived)?.id ?? '')}
                    aria-label={t('week.day.addLabel', { day: dayLabel(locale, day.date, 'long') })}
                  >
                    {t('week.day.add')}
                  </Button>
                ) : null}
              </header>
              {rows.map((p, r) => {
                const cell = shifts.filter((s) => s.positionId === p.id).sort(byStart);
                return (
                  <div
                    key={p.id}
                    className={cell.length === 0 ? 'week-cell is-empty' : 'week-cell'}
                    style={{ '--row': r + 2 } as CSSProperties}
                    data-position-id={p.id}
                  >
                    {cell.length > 0 ? <h4 className="week-cell__position">{rowName(p)}</h4> : null}
                    {cell.map((shift) => (
                      <ShiftCard
                        key={shift.id}
                        shift={shift}
                        positions={grid.positions}
                        competencies={grid.competencies}
                        actions={actions}
                      />
                    ))}
                    {onAdd && !p.archived ? (
                      <button
                        type="button"
                        className="week-cell__add"
                        onClick={() => onAdd(day.date, p.id)}
                        aria-label={t('week.cell.addLabel', { day: dayLabel(locale, day.date, 'long'), position: rowName(p) })}
                      >
                        <span aria-hidden="true">+</span>
                      </button>
                    ) : null}
                  </div>
                );
              })}
            </section>
          );
        })}
      </div>
      {rows.length === 0 ? <p className="muted week-grid__empty">{t('week.noPositions')}</p> : null}
    </div>
  );
}
