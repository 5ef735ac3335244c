import { useState } from 'react';
import { Link } from 'react-router';
import { useMe, useUsers } from '../../api/queries';
import { ROLES, type Role, type UserSummary } from '../../api/types';
import { Button, LoadError, Loading } from '../../components/feedback';
import { SelectField, TextField } from '../../components/fields';
import { useTitle } from '../../components/Layout';
import { useI18n } from '../../i18n/I18nProvider';
import { personPath } from '../people/PersonPage';
import { InviteUserModal } from './InviteUserModal';
import { LocationsPanel } from './LocationsPanel';
import { ManageUserModal } from './ManageUserModal';
import { assignableRoles } from './roles';
import { useDebounced } from './useDebounced';

export function UsersPage() {
  const { t, tp, formatDateTime } = useI18n();
  useTitle(t('users.title'));
  const me = useMe().data;
  const [search, setSearch] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const q = useDebounced(search.trim(), 300);
  const users = useUsers({ q, role });
  const [inviting, setInviting] = useState(false);
  const [managing, setManaging] = useState<UserSummary | null>(null);
  if (!me) return null;

  const items = users.data?.pages.flatMap((page) => page.items) ?? [];
  const canInvite = assignableRoles(me).length > 0;

  return (
    <div className="page page--wide">
      <header className="page__header page__header--actions">
        <div>
          <h1>{t('users.title')}</h1>
          <p className="muted">{t('users.intro')}</p>
        </div>
        {canInvite ? <Button onClick={() => setInviting(true)}>{t('invite.open')}</Button> : null}
      </header>

      <section className="card" aria-labelledby="users-list-title">
        <h2 id="users-list-title" className="visually-hidden">
          {t('users.title')}
        </h2>
        <form className="toolbar" role="search" aria-label={t('users.filters')} onSubmit={(e) => e.preventDefault()}>
          <TextField
            label={t('field.search')}
            type="search"
            name="q"
            placeholder={t('field.searchPlaceholder')}
            value={search}
            onValueChange={setSearch}
            autoComplete="off"
          />
          <SelectField
            label={t('field.roleFilter')}
            name="roleFilter"
            value={role}
            onValueChange={(v) => setRole(v as Role | '')}
            options={[{ value: '', label: t('field.allRoles') }, ...ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))]}
          />
        </form>

        {users.isPending ? (
          <Loading />
        ) : users.isError ? (
          <LoadError error={users.error} onRetry={() => void users.refetch()} />
        ) : items.length === 0 ? (
          <p className="empty-state__lead">{t('users.empty')}</p>
        ) : (
          <>
            <p className="muted small" aria-live="polite">
              {tp('users.count', items.length)}
            </p>
            <table className="table table--cards">
              <thead>
                <tr>
                  <th scope="col">{t('users.col.name')}</th>
                  <th scope="col">{t('users.col.role')}</th>
                  <th scope="col">{t('users.col.status')}</th>
                  <th scope="col">{t('users.col.locations')}</th>
                  <th scope="col">{t('users.col.lastLogin')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('users.col.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((user) => (
                  <tr key={user.id} data-username={user.username}>
                    <td data-label={t('users.col.name')}>
                      <div className="user-cell">
                        <strong>
                          {user.displayName}
                          {user.id === me.id ? <span className="badge badge--muted">{t('users.you')}</span> : null}
                        </strong>
                        <span className="muted small">
                          {user.username} · {user.email}
                        </span>
                      </div>
                    </td>
                    <td data-label={t('users.col.role')} className="cell-role">
                      {t(`role.${user.role}`)}
                    </td>
                    <td data-label={t('users.col.status')}>
                      <span className={`badge badge--${user.status}`}>{t(`status.${user.status}`)}</span>
                    </td>
                    <td data-label={t('users.col.locations')}>
                      {user.locations.length ? user.locations.map((l) => l.name).join(', ') : '—'}
                    </td>
                    <td data-label={t('users.col.lastLogin')}>
                      {user.lastLoginAt ? formatDateTime(user.lastLoginAt) : t('common.never')}
                    </td>
                    <td className="cell-actions">
                      <Link
                        to={personPath(user.id)}
                        className="button button--ghost button--small"
                        aria-label={t('users.profileTitle', { name: user.displayName })}
                      >
                        {t('users.profile')}
                      </Link>
                      <Button
                        variant="secondary"
                        size="small"
                        onClick={() => setManaging(user)}
                        aria-label={t('users.manageTitle', { name: user.displayName })}
                      >
                        {t('users.manage')}
                      </Button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {users.hasNextPage ? (
              <div className="load-more">
                <Button
                  variant="secondary"
                  busy={users.isFetchingNextPage}
                  busyLabel={t('common.loading')}
                  onClick={() => void users.fetchNextPage()}
                >
                  {t('common.loadMore')}
                </Button>
              </div>
            ) : null}
          </>
        )}
      </section>

      <LocationsPanel canCreate={me.role === 'administrator'} />

      {inviting ? <InviteUserModal me={me} onClose={() => setInviting(false)} /> : null}
      {managing ? <ManageUserModal me={me} user={managing} onClose={() => setManaging(null)} /> : null}
    </div>
  );
}
