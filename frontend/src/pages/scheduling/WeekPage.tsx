// /staff/schedule/:locationId/:isoWeek — the manager's week of one location (schedule.edit; crew members never
// get here): week navigation, the grid of shifts with their people, assigning (button or drag and drop) through
// the rule engine, shift dialogs, coverage, publishing and the history. A week that does not exist yet shows
// the create panel (schedule.manage). /staff/schedule[?location=…&week=…] picks the remembered venue and this
// week there.
//
// Stable selectors for the browser test (keep them):
//   [data-testid="create-week"]        the create panel's form (source radios labelled; submit "Create week")
//   [data-testid="week-grid"]          the whole grid
//   [data-testid="shift"]              a shift card, with data-shift-id, data-date (YYYY-MM-DD), data-position
//                                      (position name); its local times shown as "HH:MM–HH:MM"
//   [data-testid="assign"]             the "Assign" button of an open slot, inside a shift card
//   [data-testid="eligible-list"]      the eligible list; rows [data-testid="eligible-person"] with data-user-id,
//                                      data-eligible="true|false", the reasons as text, an "Assign" button when eligible
//   [data-testid="assignee"]           a person on a shift, with data-user-id
//   [data-testid="week-status"]        the Draft / Published badge
//   [data-testid="publish"]            opens [data-testid="publish-dialog"], which lists [data-testid="notify-person"]
//                                      and confirms with [data-testid="confirm-publish"]
//   [data-testid="suggest-fill"]       "Suggest fill" on a draft week; the proposal's selectors are listed in
//                                      week/SuggestFillPanel.tsx (proposed-assignee, suggest-panel, suggestion,
//                                      unfilled, apply-suggestions, discard-suggestions, apply-conflicts)
import { useState } from 'react';
import { Navigate, useNavigate, useParams, useSearchParams } from 'react-router';
import { hasPermission } from '../../api/permissions';
import { useLocations, useMe } from '../../api/queries';
import { useWeekGrid, useWeeks } from '../../api/schedule';
import type { CreatedWeek } from '../../api/schedulingTypes';
import { Alert, Button, LoadError, Loading } from '../../components/feedback';
import { useTitle } from '../../components/Layout';
import { useI18n } from '../../i18n/I18nProvider';
import { LocationPicker, useChosenLocation } from '../crew/ui';
import '../../styles/week.css';
import { CreatedSummary, CreateWeekPanel } from './week/CreateWeekPanel';
import { addWeeks, currentIsoWeek, isIsoWeek } from './isoWeek';
import { WeekBoard } from './week/WeekBoard';
import { WeekNav } from './week/WeekNav';
import { isCode, weekPath, weekRangeText, weekTitle } from './week/weekText';

/** Weeks listed around the one on screen (navigation and copy sources). */
const LIST_SPAN = 12;

export function WeekPage() {
  const { locationId, isoWeek } = useParams();
  if (!locationId || !isoWeek) return <ChooseWeek />;
  return <WeekScreen key={`${locationId}/${isoWeek}`} locationId={locationId} isoWeek={isoWeek} />;
}

/** The remembered venue (or `?location=`) and this week there, or `?week=` when given. */
function ChooseWeek() {
  const { t } = useI18n();
  useTitle(t('week.title'));
  const [params] = useSearchParams();
  const { locations, location } = useChosenLocation();
  const wanted = params.get('week') ?? '';
  if (location) {
    const week = isIsoWeek(wanted) ? wanted : currentIsoWeek(location.timezone);
    return <Navigate replace to={weekPath(location.id, week)} />;
  }
  return (
    <div className="page page--wide page--week">
      <header className="page__header">
        <h1>{t('week.title')}</h1>
      </header>
      {locations.isPending ? (
        <Loading />
      ) : locations.isError ? (
        <LoadError error={locations.error} onRetry={() => void locations.refetch()} />
      ) : (
        <p className="card">{t('crew.noLocations')}</p>
      )}
    </div>
  );
}

function WeekScreen({ locationId, isoWeek }: { locationId: string; isoWeek: string }) {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const me = useMe().data;
  const locations = useLocations();
  const list = locations.data ?? [];
  const location = list.find((l) => l.id === locationId);
  const valid = isIsoWeek(isoWeek);
  const grid = useWeekGrid(locationId, valid ? isoWeek : '');
  const span = valid ? { from: addWeeks(isoWeek, -LIST_SPAN), to: addWeeks(isoWeek, LIST_SPAN) } : { from: '', to: '' };
  const weeks = useWeeks(locationId, span, valid);
  const [created, setCreated] = useState<CreatedWeek | null>(null);
  const rights = { manage: hasPermission(me, 'schedule.manage'), edit: hasPermission(me, 'schedule.edit') };
  const timeZone = grid.data?.location.timezone ?? location?.timezone ?? 'Europe/Amsterdam';
  const title = valid ? weekTitle(t, isoWeek) : isoWeek;
  useTitle(`${t('week.title')} · ${title}`);

  const go = (week: string) => navigate(weekPath(locationId, week));
  // Through /staff/schedule?location=…: the shared location picker remembers the venue there.
  const chooseLocation = (id: string) =>
    navigate(`/staff/schedule?location=${encodeURIComponent(id)}&week=${encodeURIComponent(isoWeek)}`);
  const missing = isCode(grid.error, 'week_not_found');
  const name = location?.name ?? grid.data?.location.name;

  return (
    <div className="page page--wide page--week">
      <header className="page__header page__header--actions">
        <div>
          <h1>{name ? t('week.titleAt', { location: name }) : t('week.title')}</h1>
          <p className="muted week-page__week">
            <strong>{title}</strong>
            {valid ? ` · ${weekRangeText(locale, isoWeek)}` : ''}
          </p>
        </div>
        <LocationPicker list={list} value={locationId} onChange={chooseLocation} />
      </header>
      {valid ? (
        <WeekNav
          isoWeek={isoWeek}
          thisWeek={currentIsoWeek(timeZone)}
          weeks={weeks.data ?? []}
          shownExists={grid.data ? true : missing ? false : undefined}
          onGo={go}
        />
      ) : null}

      {!valid ? (
        <Alert kind="error" title={t('week.invalidWeek', { week: isoWeek })}>
          <Button variant="secondary" onClick={() => go(currentIsoWeek(timeZone))}>
            {t('week.nav.thisWeek')}
          </Button>
        </Alert>
      ) : grid.data ? (
        <>
          {grid.isError ? <LoadError error={grid.error} onRetry={() => void grid.refetch()} /> : null}
          {created && created.week.isoWeek === isoWeek ? (
            <CreatedSummary created={created} grid={grid.data} onDismiss={() => setCreated(null)} />
          ) : null}
          <WeekBoard grid={grid.data} rights={rights} />
        </>
      ) : missing ? (
        rights.manage ? (
          <CreateWeekPanel locationId={locationId} isoWeek={isoWeek} weeks={weeks.data ?? []} onCreated={setCreated} />
        ) : (
          <Alert kind="info" title={t('week.create.title', { week: title })}>
            <p>{t('week.create.askManager')}</p>
          </Alert>
        )
      ) : grid.isError ? (
        <LoadError error={grid.error} onRetry={() => void grid.refetch()} />
      ) : (
        <Loading />
      )}
    </div>
  );
}
