// /staff/crew?location=…&tab=… — a location's crew (crew.view): filters by position and status, each member
// with positions, contracted hours, start date and status; managers (crew.manage) change memberships and add
// crew of their other venues. The second tab holds the location's positions and competencies.
import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { CREW_STATUSES, usePositions, useRoster } from '../../api/crew';
import { hasPermission } from '../../api/permissions';
import { useMe } from '../../api/queries';
import type { CrewMember, CrewStatus } from '../../api/schedulingTypes';
import type { Location } from '../../api/types';
import { Button, LoadError, Loading } from '../../components/feedback';
import { useTitle } from '../../components/Layout';
import { useI18n } from '../../i18n/I18nProvider';
import { AddCrewDialog } from './AddCrewDialog';
import { CatalogPanel } from './CatalogPanel';
import { crewStatusLabel, formatHours } from './crewText';
import { MembershipDialog } from './MembershipDialog';
import { CrewStatusBadge, Field, LocationPicker, useChosenLocation } from './ui';

export function crewPath(userId: string): string {
  return `/staff/crew/${encodeURIComponent(userId)}`;
}

type Tab = 'crew' | 'catalog';

function isStatus(value: string | null): value is CrewStatus {
  return value !== null && (CREW_STATUSES as readonly string[]).includes(value);
}

export function RosterPage() {
  const { t } = useI18n();
  useTitle(t('crew.title'));
  const me = useMe().data;
  const [params, setParams] = useSearchParams();
  const { locations, list, locationId, location, choose } = useChosenLocation();
  const tab: Tab = params.get('tab') === 'catalog' ? 'catalog' : 'crew';
  const canManage = hasPermission(me, 'crew.manage');
  const tabsId = useId();

  const setTab = (next: Tab) =>
    setParams(
      (prev) => {
        const p = new URLSearchParams(prev);
        if (next === 'crew') p.delete('tab');
        else p.set('tab', next);
        return p;
      },
      { replace: true },
    );

  if (!me) return null;

  return (
    <div className="page page--wide page--crew crew-ui">
      <header className="page__header page__header--actions">
        <div>
          <h1>{t('crew.title')}</h1>
          <p className="muted">{location ? t('crew.introAt', { location: location.name }) : t('crew.intro')}</p>
        </div>
        <LocationPicker list={list} value={locationId} onChange={choose} />
      </header>

      {locations.isPending ? (
        <Loading />
      ) : locations.isError ? (
        <LoadError error={locations.error} onRetry={() => void locations.refetch()} />
      ) : !location ? (
        <p className="card">{t('crew.noLocations')}</p>
      ) : (
        <>
          <Tabs
            id={tabsId}
            value={tab}
            onChange={setTab}
            tabs={[
              { value: 'crew', label: t('crew.tab.crew') },
              { value: 'catalog', label: t('crew.tab.catalog') },
            ]}
          />
          <div role="tabpanel" id={`${tabsId}-${tab}-panel`} aria-labelledby={`${tabsId}-${tab}`} className="tab-panel">
            {tab === 'crew' ? (
              <CrewTab key={location.id} location={location} locations={list} canManage={canManage} />
            ) : (
              <CatalogPanel key={location.id} locationId={location.id} canManage={canManage} />
            )}
          </div>
        </>
      )}
    </div>
  );
}

export function Tabs<V extends string>({
  id,
  value,
  onChange,
  tabs,
}: {
  id: string;
  value: V;
  onChange: (value: V) => void;
  tabs: { value: V; label: string }[];
}) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKeyDown = (event: KeyboardEvent, index: number) => {
    const last = tabs.length - 1;
    const next =
      event.key === 'ArrowRight'
        ? index === last
          ? 0
          : index + 1
        : event.key === 'ArrowLeft'
          ? index === 0
            ? last
            : index - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : null;
    if (next === null) return;
    event.preventDefault();
    const tab = tabs[next];
    if (!tab) return;
    onChange(tab.value);
    refs.current[next]?.focus();
  };
  return (
    <div role="tablist" className="tabs">
      {tabs.map((tab, index) => (
        <button
          key={tab.value}
          ref={(el) => {
            refs.current[index] = el;
          }}
          type="button"
          role="tab"
          id={`${id}-${tab.value}`}
          aria-selected={tab.value === value}
          aria-controls={`${id}-${tab.value}-panel`}
          tabIndex={tab.value === value ? 0 : -1}
          className={tab.value === value ? 'tabs__tab is-active' : 'tabs__tab'}
          onClick={() => onChange(tab.value)}
          onKeyDown={(e) => onKeyDown(e, index)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}

function CrewTab({
  location,
  locations,
  canManage,
}: {
  location: Location;
  locations: Location[];
  canManage: boolean;
}) {
  const locationId = location.id;
  const { t, tp, locale, formatDate } = useI18n();
  const [params, setParams] = useSearchParams();
  const position = params.get('position') ?? '';
  const statusParam = params.get('status');
  const status: CrewStatus | '' = isStatus(statusParam) ? statusParam : '';
  const positions = usePositions(locationId);
  const roster = useRoster(locationId, { ...(position ? { position } : {}), ...(status ? { status } : {}) });
  const [editing, setEditing] = useState<CrewMember | null>(null);
  const [adding, setAdding] = useState(false);
  const positionList = positions.data ?? [];
  const positionName = (id: string) => positionList.find((p) => p.id === id)?.name ?? '…';

  const setParam = (name: string, value: string) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );

  const members = roster.data ?? [];
  const filtered = position !== '' || status !== '';

  return (
    <section className="section" aria-labelledby="crew-list-title">
      <h2 id="crew-list-title" className="visually-hidden">
        {t('crew.tab.crew')}
      </h2>
      <div className="card crew-toolbar">
        <form className="crew-filters" role="search" aria-label={t('crew.filters')} onSubmit={(e) => e.preventDefault()}>
          <Field label={t('field.position')}>
            {(props) => (
              <select {...props} className="input" value={position} onChange={(e) => setParam('position', e.target.value)}>
                <option value="">{t('crew.allPositions')}</option>
                {positionList.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.archived ? `${p.name} (${t('crew.archived')})` : p.name}
                  </option>
                ))}
                {position && !positionList.some((p) => p.id === position) ? <option value={position}>…</option> : null}
              </select>
            )}
          </Field>
          <Field label={t('users.col.status')}>
            {(props) => (
              <select {...props} className="input" value={status} onChange={(e) => setParam('status', e.target.value)}>
                <option value="">{t('crew.allStatuses')}</option>
                {CREW_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {crewStatusLabel(t, s)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </form>
        {canManage ? (
          <Button variant="secondary" onClick={() => setAdding(true)}>
            {t('crew.add.open')}
          </Button>
        ) : null}
      </div>

      <div className="card">
        {roster.isPending ? (
          <Loading />
        ) : roster.isError ? (
          <LoadError error={roster.error} onRetry={() => void roster.refetch()} />
        ) : members.length === 0 ? (
          <p className="muted">{filtered ? t('crew.emptyFiltered') : t('crew.empty')}</p>
        ) : (
          <>
            <p className="muted small" aria-live="polite">
              {tp('crew.count', members.length)}
            </p>
            <table className={roster.isFetching ? 'table table--cards crew-table is-refreshing' : 'table table--cards crew-table'}>
              <thead>
                <tr>
                  <th scope="col">{t('crew.col.name')}</th>
                  <th scope="col">{t('crew.col.positions')}</th>
                  <th scope="col">{t('crew.col.hours')}</th>
                  <th scope="col">{t('crew.col.start')}</th>
                  <th scope="col">{t('users.col.status')}</th>
                  {canManage ? (
                    <th scope="col">
                      <span className="visually-hidden">{t('crew.col.actions')}</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {members.map((m) => (
                  <tr key={m.person.id} data-user={m.person.id}>
                    <td>
                      <div className="user-cell">
                        <Link to={crewPath(m.person.id)} className="crew-table__name">
                          {m.person.name}
                        </Link>
                        <span className="muted small">{t(`role.${m.person.role}`)}</span>
                      </div>
                    </td>
                    <td data-label={t('crew.col.positions')}>
                      {m.positionIds.length > 0 ? m.positionIds.map(positionName).join(', ') : <span className="muted">{t('crew.noPositions')}</span>}
                    </td>
                    <td data-label={t('crew.col.hours')}>
                      {m.contractedHours == null ? (
                        <span className="muted">{t('crew.flexible')}</span>
                      ) : (
                        t('crew.hours', { hours: formatHours(locale, m.contractedHours) })
                      )}
                    </td>
                    <td data-label={t('crew.col.start')}>{m.startDate ? formatDate(m.startDate) : <span className="muted">—</span>}</td>
                    <td data-label={t('users.col.status')}>
                      <CrewStatusBadge status={m.status} />
                    </td>
                    {canManage ? (
                      <td className="cell-actions">
                        <Button
                          variant="secondary"
                          size="small"
                          onClick={() => setEditing(m)}
                          aria-label={t('crew.membership.editName', { name: m.person.name })}
                        >
                          {t('crew.membership.edit')}
                        </Button>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </div>

      {editing ? (
        <MembershipDialog
          locationId={locationId}
          locationName={location.name}
          member={editing}
          positions={positionList}
          onClose={() => setEditing(null)}
        />
      ) : null}
      {adding ? (
        <AddCrewDialog location={location} locations={locations} positions={positionList} onClose={() => setAdding(false)} />
      ) : null}
    </section>
  );
}
