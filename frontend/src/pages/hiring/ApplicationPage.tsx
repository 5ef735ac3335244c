// /staff/applications/:id — one application as staff see it: status and the moves allowed now (from the
// server's `permissions.allowedTransitions`), hire, the applicant's profile, motivation letter, documents with
// review, internal notes, status history, interviews, and the person's other applications.
import { useId, useState } from 'react';
import { Link, useParams } from 'react-router';
import { isApiError } from '../../api/client';
import { useApplication, useLetter } from '../../api/hiring';
import type { ApplicationDetail, StatusChange } from '../../api/hiringTypes';
import { hasPermission } from '../../api/permissions';
import { useMe } from '../../api/queries';
import { Alert, Button, LoadError, Loading } from '../../components/feedback';
import { useTitle } from '../../components/Layout';
import { SanitizedHtml } from '../../components/RichTextEditor';
import { useI18n } from '../../i18n/I18nProvider';
import { DocumentsPanel } from '../people/DocumentsPanel';
import { personPath } from '../people/PersonPage';
import { RetentionPanel } from '../people/RetentionPanel';
import { ProfileDetails } from '../people/ProfilePanel';
import { sourceLabel, statusLabel } from './hiringText';
import { InterviewsPanel } from './InterviewsPanel';
import { MoveMenu } from './MoveMenu';
import { NotesPanel } from './NotesPanel';
import { applicationPath, boardPath } from './paths';
import { HireDialog, useMoveApplication, type MoveTarget } from './StatusActions';
import { useZonedFormat } from './zonedTime';

export function ApplicationPage() {
  const { t } = useI18n();
  const { id = '' } = useParams();
  const application = useApplication(id);
  useTitle(application.data?.applicant.displayName ?? t('application.title'));
  const notFound = isApiError(application.error) && application.error.status === 404;

  return (
    <div className="page page--wide application-page">
      <p className="back-link">
        <Link to={boardPath(application.data?.location.id)}>
          <span aria-hidden="true">← </span>
          {t('application.back')}
        </Link>
      </p>
      {application.isPending ? (
        <Loading />
      ) : notFound ? (
        <Alert kind="error" title={t('notFound.title')}>
          <p>{t('application.notFound')}</p>
        </Alert>
      ) : application.isError ? (
        <LoadError error={application.error} onRetry={() => void application.refetch()} />
      ) : (
        <ApplicationView key={application.data.id} detail={application.data} />
      )}
    </div>
  );
}

function ApplicationView({ detail }: { detail: ApplicationDetail }) {
  const { t } = useI18n();
  const me = useMe().data;
  const zoned = useZonedFormat();
  const { move, movingId, dialogs } = useMoveApplication();
  const [hiring, setHiring] = useState(false);
  const nameId = useId();
  const zone = detail.location.timezone;
  const person = detail.applicant;
  const target: MoveTarget = {
    id: detail.id,
    name: person.displayName,
    status: detail.status,
    position: detail.position,
    timezone: zone,
  };
  // `hired` is reached through the hire dialog only (its own button).
  const moves = detail.permissions.changeStatus ? detail.permissions.allowedTransitions.filter((s) => s !== 'hired') : [];

  return (
    <>
      <header className="page__header application-head">
        <div>
          <h1 id={nameId}>{person.displayName}</h1>
          <p className="muted">
            {detail.position} · {detail.location.name} · {sourceLabel(t, detail.source)}
          </p>
        </div>
        <div className="application-head__status">
          <span className={`badge badge--app-${detail.status} badge--large`} data-status={detail.status}>
            {statusLabel(t, detail.status)}
          </span>
          <div className="button-row">
            {moves.length > 0 ? (
              <MoveMenu targets={moves} onSelect={(to) => move(target, to)} busy={movingId === detail.id} describedBy={nameId} />
            ) : null}
            {detail.permissions.hire ? (
              <Button size="small" onClick={() => setHiring(true)}>
                {t('hire.open')}
              </Button>
            ) : null}
          </div>
        </div>
      </header>

      <div className="application-layout">
        <div className="application-layout__main">
          <section className="card" aria-labelledby="applicant-title">
            <div className="card__head">
              <h2 id="applicant-title">{t('application.applicant')}</h2>
              <Link to={personPath(person.id)} className="small">
                {t('application.openProfile')}
              </Link>
            </div>
            <dl className="details details--account">
              <div className="details__row">
                <dt>{t('field.email')}</dt>
                <dd className="break">
                  <a href={`mailto:${person.email}`}>{person.email}</a>
                </dd>
              </div>
              <div className="details__row">
                <dt>{t('application.appliedAt')}</dt>
                <dd>{zoned.dateTime(detail.createdAt, zone)}</dd>
              </div>
              <div className="details__row">
                <dt>{t('field.availability')}</dt>
                <dd className={detail.availability ? 'break' : 'muted'}>
                  {detail.availability || t('profile.notProvided')}
                </dd>
              </div>
            </dl>
            {person.sensitiveStatus === 'unavailable' ? (
              <Alert kind="info">
                <p>{t('application.sensitiveUnavailable')}</p>
              </Alert>
            ) : (
              <ProfileDetails profile={person} phoneOnly={me?.role === 'floor_manager'} />
            )}
          </section>

          <section className="card" aria-labelledby="letter-title">
            <h2 id="letter-title">{t('letter.label')}</h2>
            {detail.hasMotivationLetter ? (
              <LetterView applicationId={detail.id} />
            ) : (
              <p className="muted">{t('letter.none')}</p>
            )}
          </section>

          {detail.permissions.reviewDocuments ? (
            <DocumentsPanel personId={person.id} canManage canReview={me?.id !== person.id} />
          ) : null}

          <InterviewsPanel
            applicationId={detail.id}
            location={detail.location}
            interviews={detail.interviews}
            canSchedule={detail.permissions.scheduleInterview}
          />

          <NotesPanel
            subjectId={person.id}
            applicationId={detail.id}
            canAdd={detail.permissions.addNote}
            initialNotes={detail.notes}
          />
        </div>

        <aside className="application-layout__side">
          <StatusHistory history={detail.history} timeZone={zone} />
          {me && hasPermission(me, 'retention.hold') && me.id !== person.id ? (
            <RetentionPanel personId={person.id} personName={person.displayName} />
          ) : null}
          <section className="card" aria-labelledby="other-title">
            <h2 id="other-title">{t('application.others')}</h2>
            {detail.otherApplications.length === 0 ? (
              <p className="muted">{t('application.noOthers')}</p>
            ) : (
              <ul className="plain-list">
                {detail.otherApplications.map((other) => (
                  <li key={other.id}>
                    <Link to={applicationPath(other.id)}>{other.location.name}</Link>{' '}
                    <span className={`badge badge--app-${other.status}`}>{statusLabel(t, other.status)}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </aside>
      </div>

      {dialogs}
      {hiring ? <HireDialog target={target} onClose={() => setHiring(false)} /> : null}
    </>
  );
}

function LetterView({ applicationId }: { applicationId: string }) {
  const { t } = useI18n();
  const letter = useLetter(applicationId);
  if (letter.isPending) return <Loading />;
  if (letter.isError) return <LoadError error={letter.error} onRetry={() => void letter.refetch()} />;
  if (letter.data.html.trim() === '') return <p className="muted">{t('letter.none')}</p>;
  // The server sanitizes motivation letters with its allow-list on every write; nothing else reaches here.
  return <SanitizedHtml html={letter.data.html} className="letter" />;
}

function StatusHistory({ history, timeZone }: { history: StatusChange[]; timeZone: string }) {
  const { t } = useI18n();
  const zoned = useZonedFormat();
  const newestFirst = [...history].sort((a, b) => b.at.localeCompare(a.at));
  return (
    <section className="card" aria-labelledby="history-title">
      <h2 id="history-title">{t('application.history')}</h2>
      {newestFirst.length === 0 ? (
        <p className="muted">{t('application.noHistory')}</p>
      ) : (
        <ol className="history">
          {newestFirst.map((change) => (
            <li key={change.id} className="history__item" data-to={change.to}>
              <p className="history__move">
                {change.from ? (
                  <>
                    {statusLabel(t, change.from)}
                    <span aria-hidden="true"> → </span>
                    <span className="visually-hidden"> {t('application.to')} </span>
                  </>
                ) : null}
                <strong>{statusLabel(t, change.to)}</strong>
              </p>
              <p className="muted small history__meta">
                <time dateTime={change.at}>{zoned.dateTime(change.at, timeZone)}</time>
                {' · '}
                {change.actor
                  ? t('application.by', { name: change.actor.name, role: t(`role.${change.actor.role}`) })
                  : t('application.bySystem')}
              </p>
              {change.reason ? (
                <p className="history__reason">
                  <span className="muted">{t('field.statusReason')}: </span>
                  {change.reason}
                </p>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
