// The dashboard on the staff home (`dashboard.view`): a venue picker (all my venues or one), figure tiles per
// area and three charts. One request (`GET /api/dashboard`); an area the caller may not see comes back `null` and
// is simply left out. The charts (and their chart library) are a chunk of their own, fetched once figures are
// there, so no other page pays for them.
//
// Stable selectors: [data-testid="dashboard"], [data-testid="tile-<name>"] with data-value (the raw number),
// [data-testid="dashboard-section-<area>"], [data-testid="chart-pipeline" | "chart-hours" | "chart-coverage"].
import { lazy, Suspense, useId, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useDashboard } from '../../api/dashboard';
import type { DashboardView } from '../../api/dashboardTypes';
import { useLocations, useMe } from '../../api/queries';
import { LoadError, Loading } from '../../components/feedback';
import { useI18n } from '../../i18n/I18nProvider';
import type { MessageKey } from '../../i18n/en';
import { figure } from './dashboardText';
import '../../styles/dashboard.css';

const DashboardCharts = lazy(async () => ({ default: (await import('./DashboardCharts')).DashboardCharts }));

/** `?location=` on the staff home; absent means every location the caller may see. */
const LOCATION_PARAM = 'location';

export function Dashboard() {
  const { t, formatDateTime } = useI18n();
  const me = useMe().data;
  const locations = useLocations();
  const [params, setParams] = useSearchParams();
  const list = locations.data ?? [];
  const wanted = params.get(LOCATION_PARAM) ?? '';
  // A venue no longer in the list (archived, taken away) falls back to all.
  const chosen = wanted && (locations.isPending || list.some((l) => l.id === wanted)) ? wanted : '';
  const dashboard = useDashboard(chosen || null);
  const pickerId = useId();
  const headingId = useId();
  const choose = (id: string) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (id) next.set(LOCATION_PARAM, id);
        else next.delete(LOCATION_PARAM);
        return next;
      },
      { replace: true },
    );

  const view = dashboard.data;
  return (
    <section className="dashboard" aria-labelledby={headingId} data-testid="dashboard">
      <div className="dashboard__head">
        <div>
          <h2 id={headingId}>{t('dashboard.title')}</h2>
          {view ? (
            <p className="muted small" data-testid="dashboard-covers">
              {t('dashboard.covers', {
                week: view.isoWeek.split('-W')[1] ?? view.isoWeek,
                locations: view.locations.map((l) => l.name).join(', '),
                time: formatDateTime(view.generatedAt),
              })}
            </p>
          ) : null}
        </div>
        {list.length > 1 ? (
          <div className="field dashboard__picker">
            <label className="field__label" htmlFor={pickerId}>
              {t('dashboard.location')}
            </label>
            <select id={pickerId} className="input" value={chosen} onChange={(e) => choose(e.target.value)}>
              <option value="">
                {me?.role === 'administrator' ? t('dashboard.allLocationsAdmin') : t('dashboard.allLocations')}
              </option>
              {list.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
      </div>
      {dashboard.isPending ? (
        <Loading />
      ) : dashboard.isError ? (
        <LoadError error={dashboard.error} onRetry={() => void dashboard.refetch()} />
      ) : (
        <DashboardBody view={dashboard.data} locationId={chosen} />
      )}
    </section>
  );
}

function DashboardBody({ view, locationId }: { view: DashboardView; locationId: string }) {
  const { t, locale } = useI18n();
  const n = (value: number) => figure(locale, value);
  const at = locationId ? `?location=${encodeURIComponent(locationId)}` : '';
  const { hiring, crew, schedule, requests, documents } = view;
  const hasCharts = hiring !== null || schedule !== null;
  return (
    <>
      <div className="dashboard__areas">
        {hiring ? (
          <Area id="hiring" title={t('dashboard.section.hiring')} link={{ to: '/staff/board', label: t('dashboard.link.board') }}>
            <Tile name="new-applications" value={hiring.newApplications} label="dashboard.tile.newApplications" />
            <Tile name="received-7-days" value={hiring.receivedLast7Days} label="dashboard.tile.received7" />
            <Tile name="interviews" value={hiring.interviewsThisWeek} label="dashboard.tile.interviews" />
          </Area>
        ) : null}
        <Area id="crew" title={t('dashboard.section.crew')}>
          <Tile name="crew-active" value={crew.active} label="dashboard.tile.crewActive" />
          <Tile name="crew-on-leave" value={crew.onLeave} label="dashboard.tile.crewOnLeave" />
        </Area>
        {schedule ? (
          <Area
            id="schedule"
            title={t('dashboard.section.schedule')}
            link={{ to: `/staff/schedule${at}`, label: t('dashboard.link.schedule') }}
          >
            <Tile name="shifts" value={schedule.shifts} label="dashboard.tile.shifts" />
            <Tile
              name="hours"
              value={schedule.scheduledHours}
              shown={t('dashboard.tile.hoursValue', { scheduled: n(schedule.scheduledHours), contracted: n(schedule.contractedHours) })}
              label="dashboard.tile.hours"
              extra={{ 'data-contracted': String(schedule.contractedHours) }}
            />
            <Tile name="open-slots" value={schedule.openSlots} label="dashboard.tile.openSlots" attention={schedule.openSlots > 0} />
            <Tile name="draft-weeks" value={schedule.draftWeeks} label="dashboard.tile.draftWeeks" attention={schedule.draftWeeks > 0} />
          </Area>
        ) : null}
        {requests ? (
          <Area
            id="requests"
            title={t('dashboard.section.requests')}
            link={{ to: `/staff/requests${at}`, label: t('dashboard.link.requests') }}
          >
            <Tile name="claims" value={requests.claims} label="dashboard.tile.claims" attention={requests.claims > 0} />
            <Tile name="offers" value={requests.offers} label="dashboard.tile.offers" attention={requests.offers > 0} />
            <Tile name="swaps" value={requests.swaps} label="dashboard.tile.swaps" attention={requests.swaps > 0} />
            <Tile name="time-off" value={requests.timeOff} label="dashboard.tile.timeOff" attention={requests.timeOff > 0} />
          </Area>
        ) : null}
        {documents ? (
          <Area id="documents" title={t('dashboard.section.documents')}>
            <Tile
              name="awaiting-review"
              value={documents.awaitingReview}
              label="dashboard.tile.awaitingReview"
              attention={documents.awaitingReview > 0}
              link={{ to: '#review-queue', label: t('dashboard.link.review') }}
            />
            <Tile
              name="expiring"
              value={documents.expiringWithin30Days}
              label="dashboard.tile.expiring"
              attention={documents.expiringWithin30Days > 0}
              link={{ to: '#expiring-documents', label: t('dashboard.link.expiring') }}
            />
          </Area>
        ) : null}
      </div>
      {hasCharts ? (
        <Suspense fallback={<Loading label={t('dashboard.chart.loading')} />}>
          <DashboardCharts view={view} />
        </Suspense>
      ) : null}
    </>
  );
}

interface LinkTo {
  to: string;
  label: string;
}

function Area({ id, title, link, children }: { id: string; title: string; link?: LinkTo; children: ReactNode }) {
  const headingId = useId();
  return (
    <section className="dashboard-area card" aria-labelledby={headingId} data-testid={`dashboard-section-${id}`}>
      <div className="dashboard-area__head">
        <h3 id={headingId}>{title}</h3>
        {link ? (
          <Link to={link.to} className="small">
            {link.label}
            <span aria-hidden="true"> →</span>
          </Link>
        ) : null}
      </div>
      <ul className="tiles">{children}</ul>
    </section>
  );
}

function Tile({
  name,
  value,
  shown,
  label,
  attention = false,
  link,
  extra,
}: {
  name: string;
  value: number;
  /** The figure as shown, when it is more than the number. */
  shown?: string;
  label: MessageKey;
  /** Something waits: marked by a border and an icon besides the colour. */
  attention?: boolean;
  link?: LinkTo;
  extra?: Record<string, string>;
}) {
  const { t, locale } = useI18n();
  return (
    <li className={attention ? 'tile tile--attention' : 'tile'} data-testid={`tile-${name}`} data-value={value} {...extra}>
      <span className="tile__value">{shown ?? figure(locale, value)}</span>
      <span className="tile__label">{t(label)}</span>
      {link ? (
        // The document queues are further down this same page: a plain anchor scrolls there.
        link.to.startsWith('#') ? (
          <a href={link.to} className="tile__link small">
            {link.label}
          </a>
        ) : (
          <Link to={link.to} className="tile__link small">
            {link.label}
          </Link>
        )
      ) : null}
    </li>
  );
}
