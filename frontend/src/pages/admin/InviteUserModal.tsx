import { useCreateUser, useLocations } from '../../api/queries';
import type { Me, Role } from '../../api/types';
import { Button, FormError } from '../../components/feedback';
import { CheckboxGroup, SelectField, TextField } from '../../components/fields';
import { Modal } from '../../components/Modal';
import { useToast } from '../../components/toast';
import { useForm } from '../../forms/useForm';
import { useI18n } from '../../i18n/I18nProvider';
import { checkEmail, checkName, checkUsername, collect } from '../../validation/rules';
import { assignableRoles, needsLocation } from './roles';

export function InviteUserModal({ me, onClose }: { me: Me; onClose: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const create = useCreateUser();
  const locations = useLocations();
  const roles = assignableRoles(me);
  const activeLocations = (locations.data ?? []).filter((loc) => loc.active);

  const form = useForm({
    initial: {
      firstName: '',
      lastName: '',
      email: '',
      username: '',
      role: (roles.includes('crew_member') ? 'crew_member' : (roles[0] ?? 'crew_member')) as string,
      locationIds: [] as string[],
    },
    validate: (v) =>
      collect({
        firstName: checkName(v.firstName),
        lastName: checkName(v.lastName),
        email: checkEmail(v.email),
        username: checkUsername(v.username),
        role: v.role ? null : 'required',
        locationIds: needsLocation(v.role as Role) && v.locationIds.length === 0 ? 'required' : null,
      }),
  });

  const onSubmit = form.handleSubmit(async (v) => {
    const user = await create.mutateAsync({
      firstName: v.firstName.trim(),
      lastName: v.lastName.trim(),
      email: v.email.trim(),
      username: v.username.trim(),
      role: v.role as Role,
      locationIds: v.locationIds,
    });
    toast.success(t('invite.done', { name: user.displayName }));
    onClose();
  });

  const bind = (name: 'firstName' | 'lastName' | 'email' | 'username') => ({
    name,
    value: form.values[name],
    onValueChange: (value: string) => form.setValue(name, value),
    onBlur: () => form.touch(name),
    error: form.errors[name],
  });

  return (
    <Modal
      title={t('invite.title')}
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={form.busy}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" form="invite-form" busy={form.busy} busyLabel={t('invite.submitting')}>
            {t('invite.submit')}
          </Button>
        </>
      }
    >
      <p className="muted">{t('invite.intro')}</p>
      <FormError error={form.formError} unmatched={form.unmatchedFieldCodes} />
      <form id="invite-form" className="form" onSubmit={onSubmit} noValidate>
        <div className="form__row">
          <TextField label={t('field.firstName')} autoComplete="off" {...bind('firstName')} data-autofocus />
          <TextField label={t('field.lastName')} autoComplete="off" {...bind('lastName')} />
        </div>
        <TextField label={t('field.email')} type="email" autoComplete="off" {...bind('email')} />
        <TextField
          label={t('field.username')}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          hint={t('field.usernameHint')}
          {...bind('username')}
        />
        <SelectField
          label={t('field.role')}
          name="role"
          value={form.values.role}
          onValueChange={(v) => form.setValue('role', v)}
          options={roles.map((role) => ({ value: role, label: t(`role.${role}`) }))}
          error={form.errors.role}
        />
        <CheckboxGroup
          legend={t('field.locations')}
          options={activeLocations.map((loc) => ({ value: loc.id, label: loc.name }))}
          selected={form.values.locationIds}
          onSelectedChange={(ids) => form.setValue('locationIds', ids)}
          error={form.errors.locationIds}
          hint={t('invite.locationsHint')}
          empty={locations.isPending ? t('common.loading') : t('invite.noLocations')}
        />
      </form>
    </Modal>
  );
}
