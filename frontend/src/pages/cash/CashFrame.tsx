// The frame of the cash screens: title, the venue (crew and floor managers count at their own venues;
// administrators, who have none, choose among all active ones) and the tabs the person may open.
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { NavLink } from 'react-router';
import { hasPermission } from '../../api/permissions';
import { useLocations, useMe } from '../../api/queries';
import type { Me } from '../../api/types';
import { LoadError, Loading } from '../../components/feedback';
import { useTitle } from '../../components/Layout';
import { readRemembered, remember, VENUE_STORAGE_KEY } from '../../components/remembered';
import { useI18n } from '../../i18n/I18nProvider';
import { LocationPicker } from '../crew/ui';
import '../../styles/cash.css';

export interface CashVenue {
  id: string;
  name: string;
}

/** The venues whose cash the person handles, and the one chosen (remembered across the staff screens). */
export function useCashVenue(me: Me | null | undefined) {
  const own = me?.locations ?? [];
  const all = useLocations(!!me && own.length === 0);
  const list: CashVenue[] = useMemo(
    () => (own.length > 0 ? own : (all.data ?? []).filter((l) => l.active)).map((l) => ({ id: l.id, name: l.name })),
    [own, all.data],
  );
  const stored = readRemembered(VENUE_STORAGE_KEY);
  const [chosen, setChosen] = useState<string>('');
  const id = (chosen && list.some((l) => l.id === chosen) && chosen) || (stored && list.some((l) => l.id === stored) && stored) || list[0]?.id || '';
  useEffect(() => {
    if (id) remember(VENUE_STORAGE_KEY, id);
  }, [id]);
  return { list, id, venue: list.find((l) => l.id === id), choose: setChosen, pending: own.length === 0 && all.isPending, error: all.error };
}

export function canSeeOverview(me: Me): boolean {
  // Crew members see their own counts only, not a venue's totals.
  return hasPermission(me, 'cash.view') && me.role !== 'crew_member';
}

export function CashFrame({ title, children }: { title: string; children: (venue: CashVenue, me: Me) => ReactNode }) {
  const { t } = useI18n();
  useTitle(title);
  const me = useMe().data;
  const venues = useCashVenue(me);
  if (!me || venues.pending) return <Loading />;
  if (venues.error) return <LoadError error={venues.error} />;
  return (
    <div className="page cash" data-testid="cash-page">
      <header className="page__header cash__header">
        <h1>{title}</h1>
        <nav className="cash__tabs" aria-label={t('cash.tabs')}>
          {hasPermission(me, 'cash.count') ? (
            <NavLink to="/cash" end className="cash__tab">
              {t('cash.tab.count')}
            </NavLink>
          ) : null}
          {hasPermission(me, 'cash.approve') ? (
            <NavLink to="/cash/approvals" className="cash__tab" data-testid="cash-tab-approvals">
              {t('cash.tab.approvals')}
            </NavLink>
          ) : null}
          {canSeeOverview(me) ? (
            <NavLink to="/cash/overview" className="cash__tab" data-testid="cash-tab-overview">
              {t('cash.tab.overview')}
            </NavLink>
          ) : null}
        </nav>
        <LocationPicker list={venues.list} value={venues.id} onChange={venues.choose} />
      </header>
      {venues.venue ? children(venues.venue, me) : <p className="card">{t('cash.noLocations')}</p>}
    </div>
  );
}
