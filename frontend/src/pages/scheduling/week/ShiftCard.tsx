// One shift of the grid: its local times (with "+1 day" past midnight), position, filled/slots and paid hours,
// its people (override marker, remove button) and one "Assign" button per open slot. The card is a drop
// target for a person dragged from the crew panel.
import { useDroppable } from '@dnd-kit/core';
import type { Competency, GridAssignment, GridShift, Position } from '../../../api/schedulingTypes';
import { Button } from '../../../components/feedback';
import { useI18n } from '../../../i18n/I18nProvider';
import { shiftDropId, type ShiftDrop } from './dnd';
import { ProposedAssignees, useShiftProposals } from './SuggestFillState';
import { endsNextDay, hoursOf, positionName, ruleLabel, shiftLabel, shiftTime } from './weekText';

export interface ShiftActions {
  onAssign: (shift: GridShift) => void;
  onUnassign: (shift: GridShift, assignment: GridAssignment) => void;
  /** Absent when the caller may not change shifts. */
  onEdit?: ((shift: GridShift) => void) | undefined;
  /** The assignment being taken off right now. */
  leaving?: string | null;
}

export function ShiftCard({
  shift,
  positions,
  competencies,
  actions,
}: {
  shift: GridShift;
  positions: readonly Position[];
  competencies: readonly Competency[];
  actions: ShiftActions;
}) {
  const i18n = useI18n();
  const { t, tp, locale } = i18n;
  const label = shiftLabel(i18n, shift, positions);
  const drop: ShiftDrop = { shift, label };
  const { setNodeRef, isOver, active } = useDroppable({ id: shiftDropId(shift.id), data: drop });
  const position = positionName(t, positions, shift.positionId);
  const filled = shift.assignments.length;
  // People "Suggest fill" proposes take the open slots they would fill (the rest keep their "Assign" button).
  const proposed = useShiftProposals(shift.id).length;
  const needs = shift.requirements
    .map((r) => {
      const name = competencies.find((c) => c.id === r.competencyId)?.name;
      return name ? t('crew.requirements.short', { name, level: r.minLevel }) : null;
    })
    .filter((text): text is string => text !== null);
  const classes = [
    'shift-card',
    shift.open > 0 ? 'has-open' : 'is-full',
    proposed > 0 ? 'has-proposal' : '',
    shift.started ? 'is-started' : '',
    active ? 'is-droppable' : '',
    isOver ? 'is-over' : '',
  ].filter(Boolean);

  return (
    <article
      ref={setNodeRef}
      className={classes.join(' ')}
      data-testid="shift"
      data-shift-id={shift.id}
      data-date={shift.date}
      data-position={position}
      aria-label={label}
    >
      <div className="shift-card__head">
        <p className="shift-card__time">
          <span>{shiftTime(shift)}</span>
          {endsNextDay(shift) ? (
            <>
              {' '}
              <span className="shift-card__next-day">{t('week.shift.nextDay')}</span>
            </>
          ) : null}
        </p>
        {actions.onEdit ? (
          <Button
            variant="ghost"
            size="small"
            className="shift-card__edit"
            onClick={() => actions.onEdit?.(shift)}
            aria-label={t('week.shift.editLabel', { shift: label })}
            title={t('week.shift.edit')}
          >
            <PencilIcon />
          </Button>
        ) : null}
      </div>
      <p className="shift-card__meta">
        <span className="shift-card__position">{position}</span>
        <span className={shift.open > 0 ? 'shift-card__fill has-open' : 'shift-card__fill'}>
          {t('week.shift.filled', { filled, slots: shift.slots })}
        </span>
        <span className="muted">{t('week.shift.paid', { hours: hoursOf(locale, shift.paidMinutes) })}</span>
        {shift.breakMinutes > 0 ? <span className="muted">{t('week.shift.break', { minutes: shift.breakMinutes })}</span> : null}
        {shift.started ? <span className="badge badge--muted">{t('week.shift.started')}</span> : null}
      </p>
      {needs.length > 0 ? <p className="shift-card__needs small">{t('crew.positions.needs', { list: needs.join(', ') })}</p> : null}
      {shift.note ? <p className="shift-card__note small">{shift.note}</p> : null}
      <ul className="shift-card__people" aria-label={tp('week.shift.people', filled)}>
        {shift.assignments.map((a) => (
          <li
            key={a.id}
            className={actions.leaving === a.id ? 'assignee is-leaving' : 'assignee'}
            data-testid="assignee"
            data-user-id={a.person.id}
          >
            <span className="assignee__name">{a.person.name}</span>
            {a.overridden.length > 0 ? (
              <span
                className="assignee__override"
                title={`${t('week.assignee.override')}: ${a.overrideReason ?? a.overridden.map((code) => ruleLabel(t, code)).join(', ')}`}
                data-overridden={a.overridden.join(' ')}
              >
                <span aria-hidden="true">!</span>
                <span className="visually-hidden">
                  {t('week.assignee.override')}
                  {': '}
                  {a.overridden.map((code) => ruleLabel(t, code)).join(', ')}
                  {a.overrideReason ? ` (${a.overrideReason})` : ''}
                </span>
              </span>
            ) : null}
            <button
              type="button"
              className="assignee__remove"
              onClick={() => actions.onUnassign(shift, a)}
              disabled={actions.leaving === a.id}
              aria-busy={actions.leaving === a.id || undefined}
              aria-label={t('week.assignee.remove', { name: a.person.name, shift: label })}
            >
              {actions.leaving === a.id ? <span className="spinner" aria-hidden="true" /> : <span aria-hidden="true">×</span>}
            </button>
          </li>
        ))}
        <ProposedAssignees shiftId={shift.id} shiftLabel={label} />
        {Array.from({ length: Math.max(0, shift.open - proposed) }, (_, i) => (
          <li key={`open-${i}`} className="open-slot">
            <Button
              variant="secondary"
              size="small"
              className="open-slot__assign"
              data-testid="assign"
              onClick={() => actions.onAssign(shift)}
              aria-label={t('week.shift.assignLabel', { shift: label, n: filled + proposed + i + 1, slots: shift.slots })}
            >
              {t('week.shift.assign')}
            </Button>
          </li>
        ))}
      </ul>
    </article>
  );
}

/** A pencil: the card is too narrow for a word next to the times (the button's name says "Edit …"). */
function PencilIcon() {
  return (
    <svg className="shift-card__icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      <path d="M11.3 1.6a1.5 1.5 0 0 1 2.1 0l1 1a1.5 1.5 0 0 1 0 2.1L5.6 13.5 1.8 14.2l.7-3.8 8.8-8.8Zm-7.5 9.5-.3 1.4 1.4-.3 7.2-7.2-1.1-1.1-7.2 7.2Z" fill="currentColor" />
    </svg>
  );
}
