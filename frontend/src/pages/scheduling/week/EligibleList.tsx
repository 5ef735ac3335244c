// Every crew member for one shift as the rule engine sees them: the ones who can work it first (with any
// warnings), then the ones a manager may override, then the refused ones greyed out with each reason, so the
// manager sees why.
import type { EligibleList as Eligible, EligiblePerson } from '../../../api/schedulingTypes';
import { Button } from '../../../components/feedback';
import { useI18n } from '../../../i18n/I18nProvider';
import { crewStatusLabel } from '../../crew/crewText';
import { ReasonList } from './ReasonList';
import { hoursOf } from './weekText';

function rank(p: EligiblePerson): number {
  return p.eligible ? 0 : p.overridable ? 1 : 2;
}

/** Eligible first, then overridable, then refused; the server's order (position holders, fewest hours) within. */
export function orderEligible(people: readonly EligiblePerson[]): EligiblePerson[] {
  return people.map((p, i) => ({ p, i })).sort((a, b) => rank(a.p) - rank(b.p) || a.i - b.i).map(({ p }) => p);
}

export function EligibleList({
  list,
  timeZone,
  positionName,
  busyUserId,
  onAssign,
  onOverride,
}: {
  list: Eligible;
  timeZone: string;
  positionName: string;
  /** The person being saved right now (their button shows progress, the others wait). */
  busyUserId: string | null;
  onAssign: (person: EligiblePerson) => void;
  onOverride: (person: EligiblePerson) => void;
}) {
  const { t, locale } = useI18n();
  const people = orderEligible(list.people);
  if (people.length === 0) return <p className="muted">{t('week.eligible.empty')}</p>;
  return (
    <ul className="eligible-list" data-testid="eligible-list">
      {people.map((p) => {
        const name = p.person.name;
        const offerOverride = !p.eligible && p.overridable && list.canOverride;
        const classes = ['eligible-row', p.eligible ? 'is-eligible' : offerOverride ? 'is-overridable' : 'is-refused'];
        return (
          <li
            key={p.person.id}
            className={classes.join(' ')}
            data-testid="eligible-person"
            data-user-id={p.person.id}
            data-eligible={p.eligible ? 'true' : 'false'}
            data-codes={p.reasons.map((r) => r.code).join(' ')}
          >
            <div className="eligible-row__main">
              <p className="eligible-row__name">
                <span className="eligible-row__person">{name}</span>
                {p.status !== 'active' ? <span className="badge badge--muted">{crewStatusLabel(t, p.status)}</span> : null}
                {!p.hasPosition ? (
                  <span className="badge badge--muted">{t('week.eligible.otherPosition', { position: positionName })}</span>
                ) : null}
              </p>
              <p className="muted small">{t('week.eligible.hours', { hours: hoursOf(locale, p.weekMinutes) })}</p>
              {!p.eligible ? (
                <p className="visually-hidden">{offerOverride ? t('week.eligible.overridable') : t('week.eligible.refused')}</p>
              ) : null}
              <ReasonList reasons={p.reasons} timeZone={timeZone} />
            </div>
            <div className="eligible-row__action">
              {p.eligible ? (
                <Button
                  size="small"
                  onClick={() => onAssign(p)}
                  busy={busyUserId === p.person.id}
                  busyLabel={t('common.saving')}
                  disabled={busyUserId !== null && busyUserId !== p.person.id}
                  aria-label={t('week.eligible.assignName', { name })}
                >
                  {t('week.eligible.assign')}
                </Button>
              ) : offerOverride ? (
                <Button
                  variant="secondary"
                  size="small"
                  onClick={() => onOverride(p)}
                  disabled={busyUserId !== null}
                  aria-label={t('week.eligible.overrideName', { name })}
                >
                  {t('week.eligible.override')}
                </Button>
              ) : null}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
