// The page frame: top bar (product, navigation by permission, user, language, log out) and the main area.
import { useEffect, useState } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { hasAnyPermission, hasPermission, LOCATION_PAGE_PERMISSIONS } from '../api/permissions';
import { useLocations, useLogout, useMe } from '../api/queries';
import { usePendingCount } from '../api/requests';
import { NotificationBell } from './NotificationBell';
import type { Me } from '../api/types';
import { LANGUAGES } from '../i18n/core';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/en';
import { readRemembered, VENUE_STORAGE_KEY } from './remembered';

interface NavItem {
  to: string;
  label: MessageKey;
  show: (me: Me) => boolean;
  /** Active on this exact path only (the staff home is the parent of the other staff pages). */
  end?: boolean;
  /** The person's own screens, grouped apart in the phone menu. */
  mine?: boolean;
  /** Shows the number of requests waiting at the chosen venue. */
  pendingBadge?: boolean;
}

const selfService = (me: Me) => hasPermission(me, 'self.service');

const NAV: NavItem[] = [
  { to: '/portal', label: 'nav.portal', show: (me) => me.role === 'applicant' },
  { to: '/staff', label: 'nav.home', show: (me) => me.role !== 'applicant', end: true },
  { to: '/staff/board', label: 'nav.board', show: (me) => hasPermission(me, 'applications.view') },
  { to: '/staff/schedule', label: 'nav.schedule', show: (me) => hasPermission(me, 'schedule.edit') },
  { to: '/staff/requests', label: 'nav.requests', show: (me) => hasPermission(me, 'requests.view'), pendingBadge: true },
  { to: '/staff/crew', label: 'nav.crew', show: (me) => hasPermission(me, 'crew.view') },
  { to: '/staff/templates', label: 'nav.templates', show: (me) => hasPermission(me, 'schedule.manage') },
  { to: '/staff/locations', label: 'nav.locations', show: (me) => hasAnyPermission(me, LOCATION_PAGE_PERMISSIONS) },
  { to: '/staff/exports', label: 'nav.exports', show: (me) => hasPermission(me, 'exports.download') },
  { to: '/staff/audit', label: 'nav.audit', show: (me) => hasPermission(me, 'audit.view') },
  { to: '/cash', label: 'nav.cash', show: (me) => hasPermission(me, 'cash.count') },
  { to: '/admin/users', label: 'nav.users', show: (me) => me.permissions.includes('users.manage') },
  { to: '/admin/outbox', label: 'nav.outbox', show: (me) => me.permissions.includes('outbox.view') },
  // The person's own screens (crew members and floor managers).
  { to: '/me/shifts', label: 'nav.myShifts', show: selfService, mine: true },
  { to: '/me/open-shifts', label: 'nav.openShifts', show: selfService, mine: true },
  { to: '/me/requests', label: 'nav.swaps', show: selfService, mine: true },
  { to: '/schedule', label: 'nav.mySchedule', show: (me) => me.role === 'crew_member', mine: true },
  { to: '/me/availability', label: 'nav.availability', show: selfService, mine: true },
  { to: '/me/time-off', label: 'nav.timeOff', show: selfService, mine: true },
  { to: '/knowledge', label: 'nav.knowledge', show: (me) => hasPermission(me, 'knowledge.read') },
];

export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <div className="lang-switch" role="group" aria-label={t('nav.language')}>
      {LANGUAGES.map((code) => (
        <button
          key={code}
          type="button"
          lang={code}
          className={code === lang ? 'lang-switch__button is-active' : 'lang-switch__button'}
          aria-pressed={code === lang}
          title={t(`lang.${code}`)}
          onClick={() => setLang(code)}
        >
          {code.toUpperCase()}
        </button>
      ))}
    </div>
  );
}

/**
 * The venue whose waiting requests the navigation counts: the one last chosen on the staff screens when it is
 * still one of mine, else my first (administrators, who have none of their own, get the active locations).
 */
function useCountedVenue(me: Me): string {
  const own = me.locations;
  const all = useLocations(own.length === 0);
  const ids = own.length > 0 ? own.map((l) => l.id) : (all.data ?? []).filter((l) => l.active).map((l) => l.id);
  const stored = readRemembered(VENUE_STORAGE_KEY);
  return (stored && ids.includes(stored) ? stored : ids[0]) ?? '';
}

function PendingBadge({ me }: { me: Me }) {
  const { tp } = useI18n();
  const count = usePendingCount(useCountedVenue(me), true);
  if (!count) return null;
  return (
    <>
      <span className="mainnav__badge" aria-hidden="true" data-testid="nav-pending">
        {count}
      </span>
      {' '}
      <span className="visually-hidden">({tp('nav.pending', count)})</span>
    </>
  );
}

function Header() {
  const { t } = useI18n();
  const me = useMe().data ?? null;
  const logout = useLogout();
  const navigate = useNavigate();
  const location = useLocation();
  const [open, setOpen] = useState(false);

  // The mobile menu closes whenever the page changes.
  useEffect(() => setOpen(false), [location.pathname]);

  // Leave the protected page first, then forget the user when the server has answered (or failed to):
  // the other order would make the page's guard send the user to the login with a `?next=` back here.
  const onLogout = () => {
    logout.mutate();
    void navigate('/login', { replace: true, state: { notice: 'loggedOut' } });
  };

  return (
    <header className="topbar">
      <div className="topbar__inner">
        <Link to="/" className="brand">
          <span className="brand__mark" aria-hidden="true" />
          {t('app.name')}
        </Link>
        {me ? (
          <>
            {selfService(me) ? <NotificationBell /> : null}
            <button
              type="button"
              className="menu-toggle"
              aria-expanded={open}
              aria-controls="site-menu"
              onClick={() => setOpen((v) => !v)}
            >
              <span className="menu-toggle__icon" aria-hidden="true" />
              <span>{open ? t('nav.closeMenu') : t('nav.menu')}</span>
            </button>
            <div id="site-menu" className={open ? 'topbar__menu is-open' : 'topbar__menu'}>
              <nav aria-label={t('nav.main')} className="mainnav">
                {NAV.filter((item) => item.show(me)).map((item, index, shown) => (
                  <NavLink
                    key={item.to}
                    to={item.to}
                    end={item.end ?? false}
                    className={
                      // The first of the person's own screens after staff screens starts a group on phones.
                      item.mine && index > 1 && !shown[index - 1]?.mine ? 'mainnav__link mainnav__link--group' : 'mainnav__link'
                    }
                  >
                    {t(item.label)}
                    {item.pendingBadge ? <PendingBadge me={me} /> : null}
                  </NavLink>
                ))}
              </nav>
              <div className="topbar__user">
                <span className="topbar__name" title={t('nav.signedInAs', { name: me.displayName })}>
                  {me.displayName}
                </span>
                <LanguageSwitch />
                <button
                  type="button"
                  className="button button--ghost button--small"
                  onClick={onLogout}
                  disabled={logout.isPending}
                  aria-busy={logout.isPending || undefined}
                >
                  {logout.isPending ? t('nav.loggingOut') : t('nav.logout')}
                </button>
              </div>
            </div>
          </>
        ) : (
          <div className="topbar__anon">
            <LanguageSwitch />
          </div>
        )}
      </div>
    </header>
  );
}

export function Layout() {
  const { t } = useI18n();
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <Header />
      <main id="main" className="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}

export function useTitle(title: string): void {
  const { t } = useI18n();
  const app = t('app.name');
  useEffect(() => {
    document.title = title ? `${title} · ${app}` : app;
  }, [title, app]);
}
