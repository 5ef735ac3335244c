import { lazy, Suspense } from 'react';
import { Link } from 'react-router';
import { hasAnyPermission, hasPermission, LOCATION_PAGE_PERMISSIONS } from '../api/permissions';
import { useMe } from '../api/queries';
import { Loading } from '../components/feedback';
import { useTitle } from '../components/Layout';
import { useI18n } from '../i18n/I18nProvider';
import { ChangePasswordForm } from './ChangePasswordForm';
import { AccountDataSection } from './hiring/AccountDataSection';
import { DocumentQueues } from './people/DocumentQueues';
import { MyProfileSection } from './people/MyProfileSection';

// The dashboard (figures and charts) is a chunk of its own: staff without `dashboard.view` never load it.
const Dashboard = lazy(async () => ({ default: (await import('./dashboard/Dashboard')).Dashboard }));

/**
 * The staff home: the dashboard for those who may see it, then who you are, where you work, where you can go,
 * documents to review, and your own profile.
 */
export function StaffPage() {
  const { t } = useI18n();
  useTitle(t('staff.title'));
  const me = useMe().data;
  if (!me) return null;
  const links = [
    hasPermission(me, 'applications.view') ? { to: '/staff/board', label: t('staff.link.board') } : null,
    hasAnyPermission(me, LOCATION_PAGE_PERMISSIONS) ? { to: '/staff/locations', label: t('staff.link.locations') } : null,
    me.permissions.includes('users.manage') ? { to: '/admin/users', label: t('staff.link.users') } : null,
    me.permissions.includes('outbox.view') ? { to: '/admin/outbox', label: t('staff.link.outbox') } : null,
    hasPermission(me, 'exports.download') ? { to: '/staff/exports', label: t('staff.link.exports') } : null,
    hasPermission(me, 'audit.view') ? { to: '/staff/audit', label: t('staff.link.audit') } : null,
  ].filter((link): link is { to: string; label: string } => link !== null);

  return (
    <div className="page">
      <header className="page__header">
        <h1>{t('staff.greeting', { name: me.firstName || me.displayName })}</h1>
        <p className="muted">{t('staff.role', { role: t(`role.${me.role}`) })}</p>
      </header>
      {hasPermission(me, 'dashboard.view') ? (
        <Suspense fallback={<Loading />}>
          <Dashboard />
        </Suspense>
      ) : null}
      <div className="grid grid--2">
        <section className="card" aria-labelledby="my-locations-title">
          <h2 id="my-locations-title">{t('staff.locations')}</h2>
          {me.role === 'administrator' ? <p className="muted">{t('staff.allLocations')}</p> : null}
          {me.locations.length === 0 ? (
            me.role === 'administrator' ? null : <p className="muted">{t('staff.noLocations')}</p>
          ) : (
            <ul className="plain-list">
              {me.locations.map((loc) => (
                <li key={loc.id}>
                  <strong>{loc.name}</strong> <span className="muted">· {loc.timezone}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="card" aria-labelledby="links-title">
          <h2 id="links-title">{t('staff.links')}</h2>
          {links.length === 0 ? (
            <p className="muted">{t('staff.noLinks')}</p>
          ) : (
            <ul className="link-list">
              {links.map((link) => (
                <li key={link.to}>
                  <Link to={link.to} className="link-list__item">
                    {link.label}
                    <span aria-hidden="true"> →</span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      {me.permissions.includes('documents.review') ? <DocumentQueues /> : null}
      <MyProfileSection me={me} />
      <AccountDataSection me={me} />
      <ChangePasswordForm />
    </div>
  );
}
