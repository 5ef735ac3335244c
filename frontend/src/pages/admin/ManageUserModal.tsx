import { useState } from 'react';
import { useLocations, useRevokeSessions, useUpdateUser } from '../../api/queries';
import type { Me, Role, UpdateUserRequest, UserSummary } from '../../api/types';
import { Button } from '../../components/feedback';
import { CheckboxGroup, SelectField } from '../../components/fields';
import { ConfirmDialog, Modal } from '../../components/Modal';
import { useToast } from '../../components/toast';
import { useI18n } from '../../i18n/I18nProvider';
import { assignableRoles } from './roles';

type Action =
  | { kind: 'role'; role: Role }
  | { kind: 'locations'; locationIds: string[] }
  | { kind: 'deactivate' }
  | { kind: 'reactivate' }
  | { kind: 'revoke' };

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

export function ManageUserModal({ me, user: initial, onClose }: { me: Me; user: UserSummary; onClose: () => void }) {
  const { t, errorMessage } = useI18n();
  const toast = useToast();
  const update = useUpdateUser();
  const revoke = useRevokeSessions();
  const locations = useLocations();
  const [user, setUser] = useState(initial);
  const [role, setRole] = useState<Role>(initial.role);
  const [locationIds, setLocationIds] = useState<string[]>(initial.locations.map((l) => l.id));
  const [pending, setPending] = useState<Action | null>(null);
  const isSelf = user.id === me.id;
  const name = user.displayName;

  const roleOptions = assignableRoles(me);
  if (!roleOptions.includes(user.role)) roleOptions.unshift(user.role);
  const currentIds = user.locations.map((l) => l.id);
  // Locations the user has but this viewer cannot list still show (and stay selected).
  const locationOptions = [
    ...(locations.data ?? []).filter((loc) => loc.active || currentIds.includes(loc.id)),
    ...user.locations.filter((ref) => !(locations.data ?? []).some((loc) => loc.id === ref.id)),
  ].map((loc) => ({ value: loc.id, label: loc.name }));
  const nameOf = (id: string) => locationOptions.find((o) => o.value === id)?.label ?? id;

  const confirmText = (action: Action): string => {
    switch (action.kind) {
      case 'role':
        return t('users.confirm.role', { name, from: t(`role.${user.role}`), to: t(`role.${action.role}`) });
      case 'locations':
        return t('users.confirm.locations', {
          name,
          locations: action.locationIds.length ? action.locationIds.map(nameOf).join(', ') : t('common.none'),
        });
      case 'deactivate':
        return t('users.confirm.deactivate', { name });
      case 'reactivate':
        return t('users.confirm.reactivate', { name });
      case 'revoke':
        return t('users.confirm.revoke', { name });
    }
  };

  const confirmLabel = (action: Action): string => {
    switch (action.kind) {
      case 'role':
        return t('users.saveRole');
      case 'locations':
        return t('users.saveLocations');
      case 'deactivate':
        return t('users.deactivate');
      case 'reactivate':
        return t('users.reactivate');
      case 'revoke':
        return t('users.revokeSessions');
    }
  };

  const run = async (action: Action) => {
    try {
      if (action.kind === 'revoke') {
        await revoke.mutateAsync(user.id);
        toast.success(t('users.done.revoke', { name }));
      } else {
        const body: UpdateUserRequest =
          action.kind === 'role'
            ? { role: action.role }
            : action.kind === 'locations'
              ? { locationIds: action.locationIds }
              : { status: action.kind === 'deactivate' ? 'deactivated' : 'active' };
        const updated = await update.mutateAsync({ id: user.id, body });
        setUser(updated);
        setRole(updated.role);
        setLocationIds(updated.locations.map((l) => l.id));
        const message =
          action.kind === 'role'
            ? t('users.done.role', { name: updated.displayName, role: t(`role.${updated.role}`) })
            : action.kind === 'locations'
              ? t('users.done.locations', { name: updated.displayName })
              : t(action.kind === 'deactivate' ? 'users.done.deactivate' : 'users.done.reactivate', {
                  name: updated.displayName,
                });
        toast.success(message);
      }
    } catch (error) {
      toast.error(t('users.failed', { reason: errorMessage(error) }));
    } finally {
      setPending(null);
    }
  };

  const busy = update.isPending || revoke.isPending;

  return (
    <Modal title={t('users.manageTitle', { name })} onClose={onClose}>
      <p className="muted">
        {user.username} · {user.email}
      </p>
      {isSelf ? <p className="note">{t('users.selfNote')}</p> : null}

      <section className="manage-section" aria-labelledby="manage-role">
        <h3 id="manage-role">{t('users.changeRole')}</h3>
        <div className="inline-form">
          <SelectField
            label={t('field.role')}
            name="role"
            value={role}
            disabled={isSelf}
            onValueChange={(v) => setRole(v as Role)}
            options={roleOptions.map((r) => ({ value: r, label: t(`role.${r}`) }))}
          />
          <Button
            variant="primary"
            disabled={isSelf || role === user.role}
            onClick={() => setPending({ kind: 'role', role })}
          >
            {t('users.saveRole')}
          </Button>
        </div>
      </section>

      <section className="manage-section" aria-labelledby="manage-locations">
        <h3 id="manage-locations">{t('users.changeLocations')}</h3>
        <CheckboxGroup
          legend={t('field.locations')}
          options={locationOptions}
          selected={locationIds}
          onSelectedChange={setLocationIds}
          empty={locations.isPending ? t('common.loading') : t('invite.noLocations')}
        />
        <Button
          variant="primary"
          disabled={sameSet(locationIds, currentIds)}
          onClick={() => setPending({ kind: 'locations', locationIds })}
        >
          {t('users.saveLocations')}
        </Button>
      </section>

      <section className="manage-section" aria-labelledby="manage-access">
        <h3 id="manage-access">{t('users.access')}</h3>
        <p className="muted">{t('users.revokeHint')}</p>
        <div className="button-row">
          {user.status === 'deactivated' ? (
            <Button variant="secondary" onClick={() => setPending({ kind: 'reactivate' })}>
              {t('users.reactivate')}
            </Button>
          ) : (
            <Button variant="danger" disabled={isSelf} onClick={() => setPending({ kind: 'deactivate' })}>
              {t('users.deactivate')}
            </Button>
          )}
          <Button variant="secondary" onClick={() => setPending({ kind: 'revoke' })}>
            {t('users.revokeSessions')}
          </Button>
        </div>
      </section>

      {pending ? (
        <ConfirmDialog
          title={confirmLabel(pending)}
          message={confirmText(pending)}
          confirmLabel={confirmLabel(pending)}
          danger={pending.kind === 'deactivate' || pending.kind === 'revoke'}
          busy={busy}
          onCancel={() => setPending(null)}
          onConfirm={() => void run(pending)}
        />
      ) : null}
    </Modal>
  );
}
