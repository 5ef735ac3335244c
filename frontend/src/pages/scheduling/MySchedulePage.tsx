// /schedule and /schedule/:locationId/:isoWeek — a crew member's published schedule (schedule.view), read-only:
// the published weeks of their own locations with their own shifts highlighted and a summary of their week.
// `/schedule` opens this week (in the location's time zone) of the location chosen last time, else the first.
// A week nobody published yet shows a friendly empty state; the week navigation keeps working.
import { useEffect, useMemo, type ReactNode } from 'react';
import { Link, Navigate, useNavigate, useParams } from 'react-router';
import { isNotPublished, usePublishedSchedule } from '../../api/publishedSchedule';
import { useLocations, useMe } from '../../api/queries';
import type { LocationRef, Me } from '../../api/types';
import { LoadError, Loading } from '../../components/feedback';
import { useTitle } from '../../components/Layout';
import { useI18n } from '../../i18n/I18nProvider';
import { LocationPicker } from '../crew/ui';
import { browserTimeZone } from '../hiring/zonedTime';
import { addWeeks, currentIsoWeek, formatIsoWeek, parseIsoWeek, weekDates } from './isoWeek';
import { dateRange } from './my/model';
import { WeekSchedule } from './my/WeekSchedule';
import './my/mySchedule.css';
import { readRemembered, remember } from '../../components/remembered';

const seg = encodeURIComponent;

export function myWeekPath(locationId: string, isoWeek: string): string {
  return `/schedule/${seg(locationId)}/${seg(isoWeek)}`;
}

const LOCATION_STORAGE_KEY = 'crewplots.mySchedule.location';



/**
 * The locations whose schedule the caller may read: their own (from `/api/auth/me`). Administrators work at no
 * location in particular and may read every one, so they get the active locations instead.
 */
function useScheduleLocations(me: Me | null | undefined) {
  const own = me?.locations;
  const needAll = !!me && me.locations.length === 0 && me.role === 'administrator';
  const all = useLocations(needAll);
  const list = useMemo<LocationRef[]>(() => {
    if (!needAll) return own ?? [];
    return (all.data ?? []).filter((l) => l.active).map(({ id, name, timezone }) => ({ id, name, timezone }));
  }, [needAll, own, all.data]);
  return {
    list,
    pending: needAll && all.isPending,
    error: needAll ? all.error : null,
    retry: () => void all.refetch(),
  };
}

export function MySchedulePage() {
  const { t } = useI18n();
  useTitle(t('mySchedule.title'));
  const me = useMe().data;
  const { locationId = '', isoWeek = '' } = useParams();
  const locations = useScheduleLocations(me);

  if (!me) return null;
  const { list } = locations;
  const zoneOf = (id: string) => list.find((l) => l.id === id)?.timezone ?? browserTimeZone();

  if (!locationId || !isoWeek) {
    if (locations.pending) {
      return (
        <Shell>
          <Loading />
        </Shell>
      );
    }
    if (locations.error) {
      return (
        <Shell>
          <LoadError error={locations.error} onRetry={locations.retry} />
        </Shell>
      );
    }
    const stored = readRemembered(LOCATION_STORAGE_KEY);
    const chosen = (stored && list.find((l) => l.id === stored)) || list[0];
    if (!chosen) {
      return (
        <Shell>
          <p className="card">{t('mySchedule.noLocations')}</p>
        </Shell>
      );
    }
    return <Navigate to={myWeekPath(chosen.id, currentIsoWeek(chosen.timezone))} replace />;
  }

  const week = parseIsoWeek(isoWeek);
  if (!week) return <Navigate to={myWeekPath(locationId, currentIsoWeek(zoneOf(locationId)))} replace />;
  const canonical = formatIsoWeek(week);
  if (canonical !== isoWeek) return <Navigate to={myWeekPath(locationId, canonical)} replace />;

  return <WeekScreen key={locationId} locationId={locationId} isoWeek={isoWeek} locations={list} meId={me.id} />;
}

function Shell({ intro, picker, children }: { intro?: string; picker?: ReactNode; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="page page--wide my-schedule" data-testid="my-schedule">
      <header className="page__header page__header--actions">
        <div>
          <h1>{t('mySchedule.title')}</h1>
          <p className="muted">{intro ?? t('mySchedule.intro')}</p>
        </div>
        {picker}
      </header>
      {children}
    </div>
  );
}

function WeekScreen({
  locationId,
  isoWeek,
  locations,
  meId,
}: {
  locationId: string;
  isoWeek: string;
  locations: LocationRef[];
  meId: string;
}) {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const schedule = usePublishedSchedule(locationId, isoWeek);
  const known = locations.find((l) => l.id === locationId);
  const location = known ?? schedule.data?.location;
  const timeZone = location?.timezone ?? browserTimeZone();
  const thisWeek = currentIsoWeek(timeZone);
  const weekNumber = parseIsoWeek(isoWeek)?.week ?? 0;
  const dates = weekDates(isoWeek);

  useEffect(() => {
    if (known) remember(LOCATION_STORAGE_KEY, known.id);
  }, [known]);

  // The picker lists the caller's locations, and the one shown even when it is not one of them.
  const options = known || !location ? locations : [...locations, location];

  return (
    <Shell
      intro={location ? t('mySchedule.introAt', { location: location.name }) : undefined}
      picker={
        <LocationPicker
          list={options}
          value={locationId}
          className="my-schedule__location"
          onChange={(id) => {
            remember(LOCATION_STORAGE_KEY, id);
            navigate(myWeekPath(id, isoWeek));
          }}
        />
      }
    >
      <div className="my-week">
        <div className="my-week__head" aria-live="polite">
          <h2 className="my-week__title">{t('mySchedule.week', { week: weekNumber })}</h2>
          <p className="muted my-week__dates">{dateRange(locale, dates[0] ?? '', dates[6] ?? '')}</p>
        </div>
        <nav className="my-week-nav" aria-label={t('mySchedule.weekNav')}>
          <Link className="button button--secondary my-week-nav__link" to={myWeekPath(locationId, addWeeks(isoWeek, -1))}>
            <span aria-hidden="true">← </span>
            {t('mySchedule.previous')}
          </Link>
          <Link
            className={isoWeek === thisWeek ? 'button button--secondary my-week-nav__link is-current' : 'button button--secondary my-week-nav__link'}
            to={myWeekPath(locationId, thisWeek)}
            aria-current={isoWeek === thisWeek ? 'page' : undefined}
          >
            {t('mySchedule.thisWeek')}
          </Link>
          <Link className="button button--secondary my-week-nav__link" to={myWeekPath(locationId, addWeeks(isoWeek, 1))}>
            {t('mySchedule.next')}
            <span aria-hidden="true"> →</span>
          </Link>
        </nav>
      </div>

      {schedule.isPending ? (
        <Loading />
      ) : isNotPublished(schedule.error) ? (
        <div className="card empty-state my-not-published" data-testid="not-published">
          <p className="empty-state__lead">{t('mySchedule.notPublished.title', { week: weekNumber })}</p>
          <p className="muted">{t('mySchedule.notPublished.body')}</p>
        </div>
      ) : schedule.isError ? (
        <LoadError error={schedule.error} onRetry={() => void schedule.refetch()} />
      ) : (
        <WeekSchedule schedule={schedule.data} meId={meId} />
      )}
    </Shell>
  );
}
