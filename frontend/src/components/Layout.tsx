// The page frame: top bar (product, navigation by permission, user, language, log out) and the main area.
import { useEffect, useState } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { hasAnyPermission, hasPermission, LOCATION_PAGE_PERMISSIONS } from '../api/permissions';
import { useLogout, useMe } from '../api/queries';
import type { Me } from '../api/types';
import { LANGUAGES } from '../i18n/core';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/en';

interface NavItem {
  to: string;
  label: MessageKey;
  show: (me: Me) => boolean;
  /** Active on this exact path only (the staff home is the parent of the other staff pages). */
  end?: boolean;
}

const NAV: NavItem[] = [
  { to: '/portal', label: 'nav.portal', show: (me) => me.role === 'applicant' },
  { to: '/staff', label: 'nav.home', show: (me) => me.role !== 'applicant', end: true },
  { to: '/staff/board', label: 'nav.board', show: (me) => hasPermission(me, 'applications.view') },
  { to: '/staff/schedule', label: 'nav.schedule', show: (me) => hasPermission(me, 'schedule.edit') },
  { to: '/schedule', label: 'nav.mySchedule', show: (me) => me.role === 'crew_member' },
  { to: '/staff/crew', label: 'nav.crew', show: (me) => hasPermission(me, 'crew.view') },
  { to: '/staff/templates', label: 'nav.templates', show: (me) => hasPermission(me, 'schedule.manage') },
  { to: '/staff/locations', label: 'nav.locations', show: (me) => hasAnyPermission(me, LOCATION_PAGE_PERMISSIONS) },
  { to: '/admin/users', label: 'nav.users', show: (me) => me.permissions.includes('users.manage') },
  { to: '/admin/outbox', label: 'nav.outbox', show: (me) => me.permissions.includes('outbox.view') },
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
                {NAV.filter((item) => item.show(me)).map((item) => (
                  <NavLink key={item.to} to={item.to} end={item.end ?? false} className="mainnav__link">
                    {t(item.label)}
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
