// /staff/crew/:userId — one crew member as staff with crew.view see them: this week's hours against the
// contract with the rule engine's warnings, memberships per location, the competency matrix per location
// (managers set a level with a note and date), the assessment history and upcoming shifts.
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { isApiError } from '../../api/client';
import { useCrewPage } from '../../api/crew';
import type { Assessment, Competency, CrewPage, Membership, UpcomingShift } from '../../api/schedulingTypes';
import { Alert, Button, LoadError, Loading } from '../../components/feedback';
import { useTitle } from '../../components/Layout';
import { useI18n } from '../../i18n/I18nProvider';
import { AssessDialog } from './AssessDialog';
import { formatHours, minutesToHours, reasonText } from './crewText';
import { MembershipDialog } from './MembershipDialog';
import { CrewStatusBadge, LevelDots } from './ui';

export function CrewMemberPage() {
  const { t } = useI18n();
  const { userId = '' } = useParams();
  const page = useCrewPage(userId);
  useTitle(page.data?.person.name ?? t('crew.member.title'));
  const notFound = isApiError(page.error) && page.error.status === 404;

  return (
    <div className="page page--crew crew-ui">
      <p className="back-link">
        <Link to="/staff/crew">
          <span aria-hidden="true">← </span>
          {t('crew.member.back')}
        </Link>
      </p>
      {page.isPending ? (
        <Loading />
      ) : notFound ? (
        <Alert kind="error" title={t('notFound.title')}>
          <p>{t('crew.member.notFound')}</p>
        </Alert>
      ) : page.isError ? (
        <LoadError error={page.error} onRetry={() => void page.refetch()} />
      ) : (
        <CrewMemberView page={page.data} />
      )}
    </div>
  );
}

function CrewMemberView({ page }: { page: CrewPage }) {
  const { t } = useI18n();
  const { person } = page;
  const competencyNames = useMemo(() => {
    const map = new Map<string, { competency: Competency; location: string }>();
    for (const m of page.memberships) for (const c of m.competencies) map.set(c.id, { competency: c, location: m.location.name });
    return map;
  }, [page.memberships]);
  const levels = useMemo(() => new Map(page.levels.map((a) => [a.competencyId, a])), [page.levels]);
  const manyLocations = page.memberships.length > 1;

  return (
    <>
      <header className="page__header">
        <h1>{person.name}</h1>
        <p className="muted">{t(`role.${person.role}`)}</p>
      </header>
      <ThisWeek page={page} />
      <section className="section" aria-labelledby="memberships-title">
        <h2 id="memberships-title">{t('crew.member.memberships')}</h2>
        <div className="membership-grid">
          {page.memberships.map((m) => (
            <MembershipCard key={m.location.id} membership={m} />
          ))}
        </div>
      </section>
      <section className="section" aria-labelledby="competencies-matrix-title">
        <h2 id="competencies-matrix-title">{t('crew.member.competencies')}</h2>
        {page.memberships.map((m) => (
          <CompetencyMatrix key={m.location.id} membership={m} userId={person.id} personName={person.name} levels={levels} />
        ))}
      </section>
      <History history={page.history} names={competencyNames} showLocation={manyLocations} />
      <Upcoming shifts={page.upcoming} showLocation={manyLocations} />
    </>
  );
}

/** "2026-W09" → "9" (week numbers are written without a leading zero); anything else as it is. */
function weekNumber(isoWeek: string): string {
  const match = /^\d{4}-W(\d{1,2})$/.exec(isoWeek);
  return match ? String(Number(match[1])) : isoWeek;
}

function ThisWeek({ page }: { page: CrewPage }) {
  const i18n = useI18n();
  const { t } = i18n;
  const week = page.thisWeek;
  const contract = week.contractMinutes ?? null;
  const over = contract !== null && week.minutes > contract;
  const percent = contract ? Math.min(100, Math.round((week.minutes / contract) * 100)) : week.minutes > 0 ? 100 : 0;
  return (
    <section className="card week-hours" aria-labelledby="this-week-title">
      <div className="card__head">
        <h2 id="this-week-title">{t('crew.week.title', { week: weekNumber(week.isoWeek) })}</h2>
        <span className="muted small">{week.isoWeek}</span>
      </div>
      <p className="week-hours__figures">
        {contract !== null
          ? t('crew.week.ofContract', {
              hours: formatHours(i18n.locale, minutesToHours(week.minutes)),
              contract: formatHours(i18n.locale, minutesToHours(contract)),
            })
          : t('crew.week.noContract', { hours: formatHours(i18n.locale, minutesToHours(week.minutes)) })}
      </p>
      <div className={over ? 'hours-bar is-over' : 'hours-bar'} aria-hidden="true">
        <span className="hours-bar__fill" style={{ width: `${percent}%` }} />
      </div>
      <p className="muted small">{t('crew.week.allLocations')}</p>
      {week.reasons.length > 0 ? (
        <div className="alert alert--warning" role="status">
          <p className="alert__title">{t('crew.week.warnings')}</p>
          <ul className="alert__list">
            {week.reasons.map((r, i) => (
              <li key={`${r.code}-${i}`} data-code={r.code}>
                {reasonText(i18n, r)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}

function MembershipCard({ membership }: { membership: Membership }) {
  const { t, locale, formatDate } = useI18n();
  const [editing, setEditing] = useState(false);
  const { member, location, positions } = membership;
  const names = member.positionIds.map((id) => positions.find((p) => p.id === id)?.name ?? '…');
  return (
    <article className="card membership" aria-labelledby={`membership-${location.id}`}>
      <div className="card__head">
        <h3 id={`membership-${location.id}`}>{location.name}</h3>
        <CrewStatusBadge status={member.status} />
      </div>
      <dl className="details">
        <div className="details__row">
          <dt>{t('crew.col.positions')}</dt>
          <dd>{names.length > 0 ? names.join(', ') : <span className="muted">{t('crew.noPositions')}</span>}</dd>
        </div>
        <div className="details__row">
          <dt>{t('crew.col.hours')}</dt>
          <dd>
            {member.contractedHours == null
              ? t('crew.flexible')
              : t('crew.hours', { hours: formatHours(locale, member.contractedHours) })}
          </dd>
        </div>
        <div className="details__row">
          <dt>{t('crew.col.start')}</dt>
          <dd>{member.startDate ? formatDate(member.startDate) : '—'}</dd>
        </div>
      </dl>
      {membership.canManage ? (
        <Button
          variant="secondary"
          onClick={() => setEditing(true)}
          aria-label={t('crew.membership.editAt', { location: location.name })}
        >
          {t('crew.membership.edit')}
        </Button>
      ) : null}
      {editing ? (
        <MembershipDialog
          locationId={location.id}
          locationName={location.name}
          member={member}
          positions={positions}
          onClose={() => setEditing(false)}
        />
      ) : null}
    </article>
  );
}

function CompetencyMatrix({
  membership,
  userId,
  personName,
  levels,
}: {
  membership: Membership;
  userId: string;
  personName: string;
  levels: Map<string, Assessment>;
}) {
  const { t, formatDate } = useI18n();
  const [assessing, setAssessing] = useState<Competency | null>(null);
  const { location } = membership;
  // Archived competencies only while the person holds a level in them.
  const rows = membership.competencies.filter((c) => !c.archived || (levels.get(c.id)?.level ?? 0) > 0);
  const titleId = `matrix-${location.id}`;
  return (
    <div className="card competency-matrix">
      <h3 id={titleId}>{location.name}</h3>
      {rows.length === 0 ? (
        <p className="muted">{t('crew.member.noCompetencies')}</p>
      ) : (
        <table className="table table--cards" aria-labelledby={titleId}>
          <thead>
            <tr>
              <th scope="col">{t('crew.member.competency')}</th>
              <th scope="col">{t('crew.member.level')}</th>
              <th scope="col">{t('crew.member.assessed')}</th>
              {membership.canManage ? (
                <th scope="col">
                  <span className="visually-hidden">{t('crew.col.actions')}</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => {
              const a = levels.get(c.id);
              const level = a?.level ?? 0;
              return (
                <tr key={c.id} data-competency={c.id}>
                  <td>
                    <strong>{c.name}</strong>
                    {c.archived ? <span className="badge badge--muted">{t('crew.archived')}</span> : null}
                  </td>
                  <td data-label={t('crew.member.level')}>
                    <span className="level-cell">
                      <LevelDots level={level} />
                      <span className="muted small" aria-hidden="true">
                        {level}/5
                      </span>
                    </span>
                  </td>
                  <td data-label={t('crew.member.assessed')}>
                    {a ? (
                      <span className="small">
                        {a.assessor
                          ? t('crew.member.assessedBy', { date: formatDate(a.assessedOn), name: a.assessor.name })
                          : formatDate(a.assessedOn)}
                        {a.note ? <span className="muted break"> — {a.note}</span> : null}
                      </span>
                    ) : (
                      <span className="muted small">{t('crew.member.notAssessed')}</span>
                    )}
                  </td>
                  {membership.canManage ? (
                    <td className="cell-actions">
                      {!c.archived ? (
                        <Button
                          variant="secondary"
                          size="small"
                          onClick={() => setAssessing(c)}
                          aria-label={t('crew.assess.openFor', { competency: c.name })}
                        >
                          {t('crew.assess.open')}
                        </Button>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {assessing ? (
        <AssessDialog
          userId={userId}
          personName={personName}
          competency={assessing}
          location={location}
          current={levels.get(assessing.id)?.level ?? 0}
          onClose={() => setAssessing(null)}
        />
      ) : null}
    </div>
  );
}

function History({
  history,
  names,
  showLocation,
}: {
  history: Assessment[];
  names: Map<string, { competency: Competency; location: string }>;
  showLocation: boolean;
}) {
  const { t, formatDate } = useI18n();
  const [all, setAll] = useState(false);
  const shown = all ? history : history.slice(0, 10);
  return (
    <section className="card" aria-labelledby="history-title">
      <h2 id="history-title">{t('crew.member.history')}</h2>
      {history.length === 0 ? (
        <p className="muted">{t('crew.member.noHistory')}</p>
      ) : (
        <>
          <ol className="assessment-history">
            {shown.map((a, i) => {
              const known = names.get(a.competencyId);
              return (
                <li key={`${a.competencyId}-${a.recordedAt}-${i}`} className="assessment-history__item">
                  <div className="assessment-history__head">
                    <strong>{known?.competency.name ?? '…'}</strong>
                    {showLocation && known ? <span className="muted small"> · {known.location}</span> : null}
                    <LevelDots level={a.level} />
                  </div>
                  <div className="muted small">
                    {a.assessor
                      ? t('crew.member.assessedBy', { date: formatDate(a.assessedOn), name: a.assessor.name })
                      : formatDate(a.assessedOn)}
                  </div>
                  {a.note ? <p className="assessment-history__note">{a.note}</p> : null}
                </li>
              );
            })}
          </ol>
          {history.length > shown.length ? (
            <Button variant="secondary" onClick={() => setAll(true)}>
              {t('crew.member.showAllHistory', { count: history.length })}
            </Button>
          ) : null}
        </>
      )}
    </section>
  );
}

function Upcoming({ shifts, showLocation }: { shifts: UpcomingShift[]; showLocation: boolean }) {
  const { t, locale } = useI18n();
  const day = useMemo(
    () => new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }),
    [locale],
  );
  const dayText = (date: string) => {
    const [y, m, d] = date.split('-').map(Number);
    if (!y || !m || !d) return date;
    return day.format(new Date(Date.UTC(y, m - 1, d)));
  };
  return (
    <section className="card" aria-labelledby="upcoming-title">
      <h2 id="upcoming-title">{t('crew.member.upcoming')}</h2>
      {shifts.length === 0 ? (
        <p className="muted">{t('crew.member.noUpcoming')}</p>
      ) : (
        <ul className="upcoming-list">
          {shifts.map((s) => (
            <li key={s.shiftId} className={s.published ? 'upcoming' : 'upcoming is-draft'} data-shift={s.shiftId}>
              <div className="upcoming__when">
                <strong>{dayText(s.date)}</strong>
                <span>
                  {t('crew.member.shiftTime', { start: s.localStart, end: s.localEnd })}
                </span>
              </div>
              <div className="upcoming__what">
                {s.positionName}
                {showLocation ? <span className="muted"> · {s.location.name}</span> : null}
                <span className="muted small"> · {t('crew.member.paid', { hours: formatHours(locale, minutesToHours(s.paidMinutes)) })}</span>
              </div>
              {!s.published ? <span className="badge badge--draft">{t('crew.member.unpublished')}</span> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
