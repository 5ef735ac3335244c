import { useChangePassword, useMe } from '../api/queries';
import { Button, FormError } from '../components/feedback';
import { PasswordField } from '../components/fields';
import { useToast } from '../components/toast';
import { useForm } from '../forms/useForm';
import { useI18n } from '../i18n/I18nProvider';
import { checkPassword, checkRepeat, collect } from '../validation/rules';

export function ChangePasswordForm() {
  const { t } = useI18n();
  const toast = useToast();
  const change = useChangePassword();
  const username = useMe().data?.username ?? '';
  const form = useForm({
    initial: { currentPassword: '', newPassword: '', repeatPassword: '' },
    validate: (v) =>
      collect({
        currentPassword: v.currentPassword === '' ? 'required' : null,
        newPassword: checkPassword(v.newPassword),
        repeatPassword: checkRepeat(v.newPassword, v.repeatPassword),
      }),
  });
  const onSubmit = form.handleSubmit(async (v) => {
    await change.mutateAsync({ currentPassword: v.currentPassword, newPassword: v.newPassword });
    form.reset();
    toast.success(t('password.changed'));
  });
  const bind = (name: 'currentPassword' | 'newPassword' | 'repeatPassword') => ({
    name,
    value: form.values[name],
    onValueChange: (value: string) => form.setValue(name, value),
    onBlur: () => form.touch(name),
    error: form.errors[name],
  });
  return (
    <section className="card" aria-labelledby="change-password-title">
      <h2 id="change-password-title">{t('password.title')}</h2>
      <p className="muted">{t('password.intro')}</p>
      <FormError error={form.formError} unmatched={form.unmatchedFieldCodes} />
      <form className="form form--narrow" onSubmit={onSubmit} noValidate>
        {/* Lets password managers know whose password changes. */}
        <input
          type="text"
          name="username"
          autoComplete="username"
          value={username}
          readOnly
          tabIndex={-1}
          aria-hidden="true"
          className="visually-hidden"
        />
        <PasswordField label={t('field.currentPassword')} autoComplete="current-password" {...bind('currentPassword')} />
        <PasswordField
          label={t('field.newPassword')}
          autoComplete="new-password"
          hint={t('field.passwordHint')}
          {...bind('newPassword')}
        />
        <PasswordField label={t('field.repeatPassword')} autoComplete="new-password" {...bind('repeatPassword')} />
        <Button type="submit" busy={form.busy} busyLabel={t('password.submitting')}>
          {t('password.submit')}
        </Button>
      </form>
    </section>
  );
}
