// Two compact sections of the crew's home (/me/shifts), from the endpoints the full screens use: the first open
// shifts I may claim (→ /me/open-shifts) and what of mine still waits for an answer — claims, offers and swaps,
// swaps colleagues ask me about, and time off (→ /me/requests, /me/time-off). Phone first: one column of short
// lines, nothing wider than the screen.
//
// Stable selectors: [data-testid="home-open-shifts"] with [data-testid="home-open-shift"] (data-shift-id), and
// [data-testid="home-pending"] with [data-testid="home-pending-item"] (data-kind = claim | offer | swap | answer |
// time_off).
import { useId, type ReactNode } from 'react';
import { Link } from 'react-router';
import { useMyTimeOff } from '../../api/selfService';
import { useMyRequests, useOpenShifts } from '../../api/shiftRequests';
import { isUndecided, type ShiftRequestItem } from '../../api/shiftRequestTypes';
import { useI18n } from '../../i18n/I18nProvider';
import { kindName, shiftWhen, statusName, useRequestText } from './requestText';
import { timeOffRange } from './selfText';

/** How many open shifts the home lists before "All open shifts". */
export const HOME_OPEN_SHIFTS = 3;

function Compact({
  title,
  testId,
  link,
  children,
}: {
  title: string;
  testId: string;
  link: ReactNode;
  children: ReactNode;
}) {
  const headingId = useId();
  return (
    <section className="section self-section crew-home" aria-labelledby={headingId} data-testid={testId}>
      <div className="self-section__head">
        <h2 id={headingId}>{title}</h2>
        {link}
      </div>
      {children}
    </section>
  );
}

function Failed({ onRetry }: { onRetry: () => void }) {
  const { t } = useI18n();
  return (
    <p className="card muted self-empty">
      {t('myShifts.compact.failed')}{' '}
      <button type="button" className="link-button" onClick={onRetry}>
        {t('app.retry')}
      </button>
    </p>
  );
}

export function OpenShiftsPreview() {
  const { t, locale } = useI18n();
  const open = useOpenShifts();
  const claimable = (open.data?.items ?? []).filter((item) => item.eligible);
  return (
    <Compact
      title={t('myShifts.open.title')}
      testId="home-open-shifts"
      link={
        <Link to="/me/open-shifts" className="small">
          {t('myShifts.open.all')}
          <span aria-hidden="true"> →</span>
        </Link>
      }
    >
      {open.isPending ? (
        <p className="card muted self-empty">{t('common.loading')}</p>
      ) : open.isError ? (
        <Failed onRetry={() => void open.refetch()} />
      ) : claimable.length === 0 ? (
        <p className="card muted self-empty">{t('myShifts.open.none')}</p>
      ) : (
        <ul className="self-cards">
          {claimable.slice(0, HOME_OPEN_SHIFTS).map((item) => (
            <li
              key={item.offer ? `offer-${item.offer.requestId}` : `claim-${item.shift.shiftId}`}
              className="self-card"
              data-testid="home-open-shift"
              data-shift-id={item.shift.shiftId}
            >
              <p className="self-card__title">
                {item.shift.positionName} · {item.location.name}
              </p>
              <p className="self-card__time">{shiftWhen(locale, item.shift)}</p>
              {item.offer ? (
                <p className="small muted">{t('myShifts.open.offeredBy', { name: item.offer.by })}</p>
              ) : item.pendingClaimId ? (
                <p className="small muted">{t('myShifts.open.waiting')}</p>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </Compact>
  );
}

interface PendingLine {
  key: string;
  kind: 'claim' | 'offer' | 'swap' | 'answer' | 'time_off';
  what: string;
  when: string;
  status: string;
  to: string;
}

export function PendingRequests() {
  const text = useRequestText();
  const { t, locale } = text;
  const requests = useMyRequests();
  const timeOff = useMyTimeOff();

  const shiftLine = (r: ShiftRequestItem): string =>
    r.kind === 'swap' && r.targetShift
      ? t('myShifts.pending.swapFor', { shift: shiftWhen(locale, r.shift), target: shiftWhen(locale, r.targetShift) })
      : shiftWhen(locale, r.shift);

  const lines: PendingLine[] = [
    ...(requests.data?.toAnswer ?? [])
      .filter((r) => r.canAccept || r.canDecline)
      .map<PendingLine>((r) => ({
        key: `answer-${r.id}`,
        kind: 'answer',
        what: `${kindName(text, r.kind)} · ${r.location.name}`,
        when: shiftLine(r),
        status: t('myShifts.pending.askedBy', { name: r.requester.name }),
        to: '/me/requests',
      })),
    ...(requests.data?.mine ?? [])
      .filter((r) => isUndecided(r.status))
      .map<PendingLine>((r) => ({
        key: `mine-${r.id}`,
        kind: r.kind,
        what: `${kindName(text, r.kind)} · ${r.location.name}`,
        when: shiftLine(r),
        status: statusName(text, r.status),
        to: r.kind === 'claim' ? '/me/open-shifts' : '/me/requests',
      })),
    ...(timeOff.data ?? [])
      .filter((r) => r.status === 'pending')
      .map<PendingLine>((r) => ({
        key: `time-off-${r.id}`,
        kind: 'time_off',
        what: t('myShifts.pending.timeOff'),
        when: timeOffRange(text, r),
        status: t('myShifts.pending.timeOffStatus'),
        to: '/me/time-off',
      })),
  ];
  const failed = requests.isError || timeOff.isError;
  const pending = requests.isPending || timeOff.isPending;

  return (
    <Compact
      title={t('myShifts.pending.title')}
      testId="home-pending"
      link={
        <span className="crew-home__links small">
          <Link to="/me/requests">{t('myShifts.pending.requests')}</Link>
          <Link to="/me/time-off">{t('myShifts.pending.timeOffLink')}</Link>
        </span>
      }
    >
      {pending ? (
        <p className="card muted self-empty">{t('common.loading')}</p>
      ) : lines.length === 0 && failed ? (
        <Failed
          onRetry={() => {
            void requests.refetch();
            void timeOff.refetch();
          }}
        />
      ) : lines.length === 0 ? (
        <p className="card muted self-empty">{t('myShifts.pending.none')}</p>
      ) : (
        <ul className="self-cards">
          {lines.map((line) => (
            <li key={line.key} className="self-card" data-testid="home-pending-item" data-kind={line.kind}>
              <p className="self-card__title">
                <Link to={line.to}>{line.what}</Link>
              </p>
              <p className="self-card__time">{line.when}</p>
              <p className="small muted">{line.status}</p>
            </li>
          ))}
        </ul>
      )}
    </Compact>
  );
}
