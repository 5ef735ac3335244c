// The location's crew beside the grid: each person's paid hours this week at every location against their
// contract, their hours here, what the rules warn about, and a handle to drag them onto a shift.
import { useDraggable } from '@dnd-kit/core';
import { useId, useState } from 'react';
import type { GridDay, GridPerson, Position } from '../../../api/schedulingTypes';
import { useI18n } from '../../../i18n/I18nProvider';
import { CrewStatusBadge } from '../../crew/ui';
import { nowInZone } from '../../hiring/zonedTime';
import { personDragId, type PersonDrag } from './dnd';
import { ReasonList } from './ReasonList';
import { dayLabel, hoursOf } from './weekText';

/**
 * The days of the week that a person's approved time off touches, in the location's zone (an end at midnight
 * does not touch the next day).
 */
export function timeOffDays(person: Pick<GridPerson, 'timeOff'>, days: readonly GridDay[], timeZone: string): string[] {
  const touched = new Set<string>();
  for (const span of person.timeOff ?? []) {
    const start = new Date(span.startsAt);
    const end = new Date(Date.parse(span.endsAt) - 60_000);
    if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || end < start) continue;
    const first = nowInZone(timeZone, start).date;
    const last = nowInZone(timeZone, end).date;
    for (const day of days) if (day.date >= first && day.date <= last) touched.add(day.date);
  }
  return days.map((d) => d.date).filter((date) => touched.has(date));
}

/** The phone breakpoint of week.css. */
const PHONE = '(max-width: 640px)';

export function PeoplePanel({
  people,
  positions,
  timeZone,
  days = [],
}: {
  people: readonly GridPerson[];
  positions: readonly Position[];
  timeZone: string;
  /** The week's days, to mark approved time off on. */
  days?: readonly GridDay[];
}) {
  const { t, tp } = useI18n();
  const titleId = useId();
  const sorted = [...people].sort((a, b) => a.person.name.localeCompare(b.person.name));
  // Open beside the grid; folded on a phone, where it stands above the days.
  const [open] = useState(() => !(typeof window.matchMedia === 'function' && window.matchMedia(PHONE).matches));
  return (
    <section className="card week-people" aria-labelledby={titleId}>
      <details className="week-people__details" open={open}>
        <summary className="week-people__summary">
          <h2 id={titleId} className="week-people__title">
            {t('week.people.title')}
          </h2>
          <span className="muted small">{tp('week.people.count', people.length)}</span>
        </summary>
        <p className="muted small">{t('week.people.hint')}</p>
        {sorted.length === 0 ? (
          <p className="muted">{t('week.people.empty')}</p>
        ) : (
          <ul className="week-people__list">
            {sorted.map((p) => (
              <PersonItem key={p.person.id} person={p} positions={positions} timeZone={timeZone} days={days} />
            ))}
          </ul>
        )}
      </details>
    </section>
  );
}

function PersonItem({
  person,
  positions,
  timeZone,
  days,
}: {
  person: GridPerson;
  positions: readonly Position[];
  timeZone: string;
  days: readonly GridDay[];
}) {
  const { t, locale } = useI18n();
  const data: PersonDrag = { person };
  const schedulable = person.status == null || person.status === 'active';
  const { attributes, listeners, setNodeRef, isDragging } = useDraggable({
    id: personDragId(person.person.id),
    data,
    disabled: !schedulable,
    attributes: { roleDescription: t('week.drag.role') },
  });
  const contract = person.contractMinutes ?? null;
  const over = contract !== null && person.weekMinutes > contract;
  const percent = contract ? Math.min(100, Math.round((person.weekMinutes / contract) * 100)) : 0;
  const away = timeOffDays(person, days, timeZone);
  const names = person.positionIds
    .map((id) => positions.find((p) => p.id === id)?.name)
    .filter((name): name is string => !!name);
  const hours =
    contract !== null
      ? t('week.people.hoursOf', { hours: hoursOf(locale, person.weekMinutes), contract: hoursOf(locale, contract) })
      : t('week.people.hours', { hours: hoursOf(locale, person.weekMinutes) });

  return (
    <li className={isDragging ? 'week-person is-dragging' : 'week-person'} data-user-id={person.person.id}>
      <div
        ref={setNodeRef}
        className="week-person__handle"
        {...attributes}
        {...listeners}
        aria-label={t('week.people.dragLabel', { name: person.person.name, hours })}
      >
        <span className="week-person__grip" aria-hidden="true">
          ⋮⋮
        </span>
        <span className="week-person__text">
          <span className="week-person__name">{person.person.name}</span>
          <span className={over ? 'week-person__hours is-over' : 'week-person__hours'}>{hours}</span>
          {person.hereMinutes !== person.weekMinutes ? (
            <span className="muted small">{t('week.people.here', { hours: hoursOf(locale, person.hereMinutes) })}</span>
          ) : null}
          {names.length > 0 ? <span className="muted small">{names.join(', ')}</span> : null}
        </span>
        {person.status && person.status !== 'active' ? <CrewStatusBadge status={person.status} /> : null}
      </div>
      {contract ? (
        <div className={over ? 'week-person__bar is-over' : 'week-person__bar'} aria-hidden="true">
          <span className="week-person__bar-fill" style={{ width: `${percent}%` }} />
        </div>
      ) : null}
      {away.length > 0 ? (
        <p className="week-person__time-off" data-testid="person-time-off">
          {away.length === days.length
            ? t('week.people.timeOffWeek')
            : t('week.people.timeOff', { days: away.map((date) => dayLabel(locale, date)).join(', ') })}
        </p>
      ) : null}
      <ReasonList reasons={person.reasons} timeZone={timeZone} className="week-person__reasons" />
    </li>
  );
}

/** The chip that follows the pointer while a person is dragged. */
export function PersonChip({ person }: { person: GridPerson }) {
  return <div className="week-person-chip">{person.person.name}</div>;
}
