// /me/shifts — my published shifts at every location (self.service: crew members and floor managers): today's
// on top, then the first open shifts I can claim and my requests still pending (CrewHomeSections), then the coming
// ones per day, then the recent past (folded), with my hours this week against my contract and this month. Times are the location's wall clock as the server gives them.
//
// Stable selectors: [data-testid="my-shift"] a shift card (data-assignment-id, data-date), inside
// [data-testid="today"], [data-testid="upcoming"] or [data-testid="past"]; [data-testid="my-hours"] the strip.
import { useId, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { useMyShifts } from '../../api/selfService';
import { OpenShiftsPreview, PendingRequests } from './CrewHomeSections';
import { MustReadBanner } from '../knowledge/MustReadBanner';
import { PAST_DAYS, PAST_DAYS_MAX, type MyHours, type MyShift } from '../../api/selfServiceTypes';
import { Button, LoadError, Loading } from '../../components/feedback';
import { useTitle } from '../../components/Layout';
import { useI18n } from '../../i18n/I18nProvider';
import { hoursNumber, longDay, monthName, shortDay, weekNumber } from './selfText';
import './selfService.css';

export function MyShiftsPage() {
  const { t } = useI18n();
  useTitle(t('myShifts.title'));
  const [pastDays, setPastDays] = useState(PAST_DAYS);
  const shifts = useMyShifts(pastDays);
  // While a longer past loads, the shorter one stays on screen (placeholder data).
  const data = shifts.data;

  return (
    <div className="page self-page" data-testid="my-shifts">
      <header className="page__header">
        <h1>{t('myShifts.title')}</h1>
        <p className="muted">{t('myShifts.intro')}</p>
      </header>
      <MustReadBanner />
      <SelfLinks />
      {shifts.isPending ? (
        <Loading />
      ) : shifts.isError && !data ? (
        <LoadError error={shifts.error} onRetry={() => void shifts.refetch()} />
      ) : data ? (
        <>
          <HoursStrip hours={data.hours} />
          {data.todayShifts.length === 0 && data.upcoming.length === 0 && data.past.length === 0 ? (
            <>
              <div className="card empty-state" data-testid="no-shifts">
                <p className="empty-state__lead">{t('myShifts.empty.title')}</p>
                <p className="muted">{t('myShifts.empty.body')}</p>
              </div>
              <OpenShiftsPreview />
              <PendingRequests />
            </>
          ) : (
            <>
              <TodaySection shifts={data.todayShifts} today={data.today} />
              <OpenShiftsPreview />
              <PendingRequests />
              <UpcomingSection shifts={data.upcoming} />
              <PastSection
                shifts={data.past}
                days={shifts.isPlaceholderData ? PAST_DAYS : pastDays}
                loadingMore={shifts.isPlaceholderData}
                onMore={pastDays < PAST_DAYS_MAX || shifts.isPlaceholderData ? () => setPastDays(PAST_DAYS_MAX) : undefined}
              />
            </>
          )}
        </>
      ) : null}
    </div>
  );
}

/** Links to the other self-service screens. */
function SelfLinks() {
  const { t } = useI18n();
  return (
    <nav className="self-links" aria-label={t('myShifts.links')}>
      <Link className="button button--secondary self-links__link" to="/me/calendar">
        {t('myShifts.link.calendar')}
      </Link>
      <Link className="button button--secondary self-links__link" to="/me/availability">
        {t('myShifts.link.availability')}
      </Link>
      <Link className="button button--secondary self-links__link" to="/me/time-off">
        {t('myShifts.link.timeOff')}
      </Link>
    </nav>
  );
}

function HoursStrip({ hours }: { hours: MyHours }) {
  const { t, locale } = useI18n();
  const contract = hours.contractedMinutes ?? null;
  const over = contract !== null && hours.weekMinutes > contract;
  const percent = contract ? Math.min(100, Math.round((hours.weekMinutes / contract) * 100)) : 0;
  return (
    <section className="card self-hours" data-testid="my-hours" aria-label={t('myShifts.hours.title')}>
      <div className="self-hours__item" data-testid="hours-week">
        <p className="self-hours__label">{t('myShifts.hours.week', { week: weekNumber(hours.isoWeek) })}</p>
        <p className={over ? 'self-hours__value is-over' : 'self-hours__value'}>
          {contract !== null
            ? t('myShifts.hours.ofContract', {
                hours: hoursNumber(locale, hours.weekMinutes),
                contract: hoursNumber(locale, contract),
              })
            : t('myShifts.hours.value', { hours: hoursNumber(locale, hours.weekMinutes) })}
        </p>
        {contract ? (
          <div className={over ? 'self-hours__bar is-over' : 'self-hours__bar'} aria-hidden="true">
            <span className="self-hours__fill" style={{ width: `${percent}%` }} />
          </div>
        ) : (
          <p className="muted small self-hours__note">{t('myShifts.hours.noContract')}</p>
        )}
      </div>
      <div className="self-hours__item" data-testid="hours-month">
        <p className="self-hours__label">{t('myShifts.hours.month', { month: monthName(locale, hours.month) })}</p>
        <p className="self-hours__value">{t('myShifts.hours.value', { hours: hoursNumber(locale, hours.monthMinutes) })}</p>
      </div>
    </section>
  );
}

function Section({
  title,
  testId,
  children,
  aside,
}: {
  title: ReactNode;
  testId: string;
  children: ReactNode;
  aside?: ReactNode;
}) {
  const headingId = useId();
  return (
    <section className="section self-section" aria-labelledby={headingId} data-testid={testId}>
      <div className="self-section__head">
        <h2 id={headingId}>{title}</h2>
        {aside}
      </div>
      {children}
    </section>
  );
}

function TodaySection({ shifts, today }: { shifts: MyShift[]; today: string }) {
  const { t, locale } = useI18n();
  return (
    <Section title={t('myShifts.today')} testId="today" aside={<span className="muted">{longDay(locale, today)}</span>}>
      {shifts.length === 0 ? (
        <p className="card muted self-empty">{t('myShifts.todayNone')}</p>
      ) : (
        <ul className="self-cards">
          {shifts.map((shift) => (
            <ShiftCard key={shift.assignmentId} shift={shift} highlight />
          ))}
        </ul>
      )}
    </Section>
  );
}

/** Shifts grouped by their (local) date, in the order given. */
function byDay(shifts: MyShift[]): { date: string; shifts: MyShift[] }[] {
  const groups: { date: string; shifts: MyShift[] }[] = [];
  for (const shift of shifts) {
    const last = groups[groups.length - 1];
    if (last && last.date === shift.date) last.shifts.push(shift);
    else groups.push({ date: shift.date, shifts: [shift] });
  }
  return groups;
}

function UpcomingSection({ shifts }: { shifts: MyShift[] }) {
  const { t, locale } = useI18n();
  return (
    <Section title={t('myShifts.upcoming')} testId="upcoming">
      {shifts.length === 0 ? (
        <p className="card muted self-empty">{t('myShifts.upcomingNone')}</p>
      ) : (
        <ol className="self-days">
          {byDay(shifts).map((day) => (
            <li key={day.date} className="self-days__item">
              <h3 className="self-days__title">{longDay(locale, day.date)}</h3>
              <ul className="self-cards">
                {day.shifts.map((shift) => (
                  <ShiftCard key={shift.assignmentId} shift={shift} />
                ))}
              </ul>
            </li>
          ))}
        </ol>
      )}
    </Section>
  );
}

function PastSection({
  shifts,
  days,
  loadingMore,
  onMore,
}: {
  shifts: MyShift[];
  days: number;
  loadingMore: boolean;
  onMore: (() => void) | undefined;
}) {
  const { t, tp } = useI18n();
  return (
    <section className="self-section" data-testid="past">
      <details className="card self-past">
        <summary className="self-past__summary">
          <h2 className="self-past__title">{t('myShifts.past')}</h2>
          <span className="muted small">{tp('myShifts.pastCount', shifts.length, { days })}</span>
        </summary>
        {shifts.length === 0 ? (
          <p className="muted">{t('myShifts.pastNone', { days })}</p>
        ) : (
          <ul className="self-cards">
            {shifts.map((shift) => (
              <ShiftCard key={shift.assignmentId} shift={shift} withDate />
            ))}
          </ul>
        )}
        {onMore ? (
          <Button variant="secondary" onClick={onMore} busy={loadingMore}>
            {t('myShifts.pastMore', { days: PAST_DAYS_MAX })}
          </Button>
        ) : null}
      </details>
    </section>
  );
}

function ShiftCard({ shift, highlight = false, withDate = false }: { shift: MyShift; highlight?: boolean; withDate?: boolean }) {
  const { t, tp, locale } = useI18n();
  const nextDay = shift.localEnd <= shift.localStart;
  const time = `${shift.localStart}–${shift.localEnd}`;
  return (
    <li
      className={highlight ? 'self-card is-today' : 'self-card'}
      data-testid="my-shift"
      data-assignment-id={shift.assignmentId}
      data-date={shift.date}
    >
      <p className="self-card__title">
        {shift.positionName} · {shift.location.name}
      </p>
      <p className="self-card__time">
        <span>{withDate ? `${shortDay(locale, shift.date, true)} · ${time}` : `${shortDay(locale, shift.date)} · ${time}`}</span>
        {nextDay ? (
          <span className="self-card__later" title={tp('mySchedule.endsLaterHint', 1)}>
            <span aria-hidden="true">{tp('mySchedule.endsLater', 1)}</span>
            <span className="visually-hidden">{tp('mySchedule.endsLaterHint', 1)}</span>
          </span>
        ) : null}
      </p>
      <p className="self-card__facts small">
        {shift.breakMinutes > 0 ? (
          <span>{t('myShifts.shift.break', { minutes: new Intl.NumberFormat(locale).format(shift.breakMinutes) })}</span>
        ) : (
          <span>{t('myShifts.shift.noBreak')}</span>
        )}
        <span>{t('myShifts.shift.paid', { hours: hoursNumber(locale, shift.paidMinutes) })}</span>
      </p>
      {shift.colleagues.length > 0 ? (
        <p className="self-card__people">{t('myShifts.shift.with', { names: shift.colleagues.join(', ') })}</p>
      ) : (
        <p className="self-card__people muted">{t('myShifts.shift.alone')}</p>
      )}
      {shift.note ? (
        <p className="self-card__note small">
          <span className="visually-hidden">{t('myShifts.shift.note')}: </span>
          {shift.note}
        </p>
      ) : null}
    </li>
  );
}
