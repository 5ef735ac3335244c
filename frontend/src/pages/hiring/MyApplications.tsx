// The applicant's own applications on the portal: status in the applicant's wording, the timeline of statuses
// reached (never reasons, never notes: the API does not even send them), upcoming interviews in the venue's
// time zone with a calendar file, the motivation letter with autosave, and withdrawing.
import { useId, useState } from 'react';
import { hiringUrls, useMyApplications, useWithdraw } from '../../api/hiring';
import type { ApplicantInterview, ApplicationSummary } from '../../api/hiringTypes';
import { Button, LoadError, Loading } from '../../components/feedback';
import { ConfirmDialog } from '../../components/Modal';
import { useToast } from '../../components/toast';
import { useI18n } from '../../i18n/I18nProvider';
import { applicantStatusLabel, hiringErrorMessage, interviewStatusLabel } from './hiringText';
import { LetterEditor } from './LetterEditor';
import { useZonedFormat } from './zonedTime';

export function MyApplications({ onApply, applying }: { onApply: () => void; applying: boolean }) {
  const { t } = useI18n();
  const applications = useMyApplications();
  const list = applications.data ?? [];

  return (
    <section className="section" aria-labelledby="applications-title">
      <header className="section__header section__header--actions">
        <h2 id="applications-title">{t('portal.title')}</h2>
        {!applying && list.length > 0 ? (
          <Button variant="secondary" onClick={onApply}>
            {t('apply.open')}
          </Button>
        ) : null}
      </header>
      {applications.isPending ? (
        <div className="card">
          <Loading />
        </div>
      ) : applications.isError ? (
        <div className="card">
          <LoadError error={applications.error} onRetry={() => void applications.refetch()} />
        </div>
      ) : list.length === 0 ? (
        <div className="card empty-state">
          <p className="empty-state__lead">{t('portal.empty')}</p>
          <p className="muted">{t('portal.emptyDetail')}</p>
          {!applying ? <Button onClick={onApply}>{t('apply.open')}</Button> : null}
        </div>
      ) : (
        <ul className="application-list">
          {list.map((application) => (
            <li key={application.id}>
              <MyApplicationCard application={application} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function MyApplicationCard({ application }: { application: ApplicationSummary }) {
  const { t, formatDate, errorMessage } = useI18n();
  const toast = useToast();
  const withdraw = useWithdraw();
  const titleId = useId();
  const letterId = useId();
  const [confirming, setConfirming] = useState(false);
  const [letterOpen, setLetterOpen] = useState(false);
  const zone = application.location.timezone;
  const now = Date.now();
  const interviews = application.interviews
    .filter((i) => Date.parse(i.endsAt) >= now && i.status !== 'completed')
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt));

  const onWithdraw = async () => {
    try {
      await withdraw.mutateAsync(application.id);
      toast.success(t('portal.withdrawn', { venue: application.location.name }));
    } catch (error) {
      toast.error(t('portal.failed', { reason: hiringErrorMessage({ t, errorMessage }, error) }));
    } finally {
      setConfirming(false);
    }
  };

  return (
    <article className="card my-application" aria-labelledby={titleId} data-status={application.status}>
      <header className="my-application__head">
        <div>
          <h3 id={titleId} className="my-application__title">
            {application.location.name}
          </h3>
          <p className="muted my-application__position">
            {application.position} · {t('portal.appliedOn', { date: formatDate(application.createdAt) })}
          </p>
        </div>
        <span className={`badge badge--app-${application.status}`}>{applicantStatusLabel(t, application.status)}</span>
      </header>

      {application.availability ? (
        <p className="my-application__availability">
          <span className="muted">{t('field.availability')}: </span>
          {application.availability}
        </p>
      ) : null}

      <Timeline application={application} />

      {interviews.length > 0 ? (
        <div className="my-application__interviews">
          <h4>{t('portal.interviews')}</h4>
          <ul className="interview-list">
            {interviews.map((interview) => (
              <ApplicantInterviewItem key={interview.id} interview={interview} fallbackZone={zone} />
            ))}
          </ul>
        </div>
      ) : null}

      <div className="button-row my-application__actions">
        <Button
          variant="secondary"
          size="small"
          aria-expanded={letterOpen}
          aria-controls={letterId}
          onClick={() => setLetterOpen((v) => !v)}
        >
          {letterOpen ? t('letter.close') : t('letter.open')}
        </Button>
        {application.canWithdraw ? (
          <Button variant="danger" size="small" onClick={() => setConfirming(true)} aria-describedby={titleId}>
            {t('portal.withdraw')}
          </Button>
        ) : null}
      </div>
      <div id={letterId} hidden={!letterOpen} className="my-application__letter">
        {letterOpen ? <LetterEditor application={application} /> : null}
      </div>

      {confirming ? (
        <ConfirmDialog
          title={t('portal.withdrawTitle')}
          message={t('portal.withdrawConfirm', { venue: application.location.name, position: application.position })}
          confirmLabel={t('portal.withdraw')}
          danger
          busy={withdraw.isPending}
          onCancel={() => setConfirming(false)}
          onConfirm={() => void onWithdraw()}
        />
      ) : null}
    </article>
  );
}

/** Every status reached, oldest first, with its date: what happened, never why. */
function Timeline({ application }: { application: ApplicationSummary }) {
  const { t } = useI18n();
  const zoned = useZonedFormat();
  const zone = application.location.timezone;
  return (
    <ol className="timeline" aria-label={t('portal.timeline')}>
      {application.timeline.map((entry, index) => (
        <li
          key={`${entry.status}-${entry.at}`}
          className={index === application.timeline.length - 1 ? 'timeline__item is-current' : 'timeline__item'}
        >
          <span className="timeline__status">{applicantStatusLabel(t, entry.status)}</span>
          <time className="timeline__time muted small" dateTime={entry.at}>
            {zoned.date(entry.at, zone)}
          </time>
        </li>
      ))}
    </ol>
  );
}

function ApplicantInterviewItem({ interview, fallbackZone }: { interview: ApplicantInterview; fallbackZone: string }) {
  const { t } = useI18n();
  const zoned = useZonedFormat();
  const zone = interview.timezone || fallbackZone;
  const cancelled = interview.status === 'cancelled';
  return (
    <li className={cancelled ? 'interview is-cancelled' : 'interview'} data-status={interview.status}>
      <p className="interview__when">
        <strong>{zoned.range(interview.startsAt, interview.endsAt, zone)}</strong>
        {cancelled ? <span className="badge badge--muted">{interviewStatusLabel(t, interview.status)}</span> : null}
      </p>
      <p className="interview__place">
        <span className="muted">{t('interviews.place')}: </span>
        {interview.place}
      </p>
      {!cancelled ? (
        <a className="button button--secondary button--small" href={hiringUrls.interviewIcs(interview.id)} download>
          {t('interviews.addToCalendar')}
        </a>
      ) : null}
    </li>
  );
}
