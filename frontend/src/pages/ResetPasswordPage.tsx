import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { isApiError } from '../api/client';
import { useConfirmPasswordReset } from '../api/queries';
import { Alert, Button, FormError } from '../components/feedback';
import { PasswordField } from '../components/fields';
import { useTitle } from '../components/Layout';
import { useForm } from '../forms/useForm';
import { useI18n } from '../i18n/I18nProvider';
import { checkPassword, checkRepeat, collect } from '../validation/rules';
import { AuthCard } from './AuthCard';

/** Reset links and invitation links both land here with `?token=`. */
export function ResetPasswordPage() {
  const { t } = useI18n();
  useTitle(t('reset.title'));
  const [params] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const confirm = useConfirmPasswordReset();
  const stateToken = (location.state as { token?: unknown } | null)?.token;
  const [token] = useState<string>(
    () => params.get('token') ?? (typeof stateToken === 'string' ? stateToken : ''),
  );

  // Keep the token out of the address bar (and so out of history and shoulder-surfing); it stays in the
  // history entry's state so a reload still works.
  useEffect(() => {
    if (params.has('token')) void navigate('/reset-password', { replace: true, state: { token } });
  }, [params, navigate, token]);

  const form = useForm({
    initial: { newPassword: '', repeatPassword: '' },
    validate: (v) =>
      collect({ newPassword: checkPassword(v.newPassword), repeatPassword: checkRepeat(v.newPassword, v.repeatPassword) }),
  });

  const onSubmit = form.handleSubmit(async (v) => {
    await confirm.mutateAsync({ token, newPassword: v.newPassword });
    await navigate('/login', { replace: true, state: { notice: 'passwordSet' } });
  });

  if (!token) {
    return (
      <AuthCard title={t('reset.title')}>
        <Alert kind="info">{t('reset.missingToken')}</Alert>
        <p className="auth__links">
          <Link to="/forgot-password">{t('reset.requestNew')}</Link>
        </p>
      </AuthCard>
    );
  }

  const invalidToken = isApiError(form.formError) && form.formError.code === 'invalid_token';
  return (
    <AuthCard title={t('reset.title')} intro={t('reset.intro')}>
      {invalidToken ? (
        <Alert kind="error">
          <p>{t('reset.invalidToken')}</p>
          <p>
            <Link to="/forgot-password">{t('reset.requestNew')}</Link>
          </p>
        </Alert>
      ) : (
        <FormError error={form.formError} unmatched={form.unmatchedFieldCodes} />
      )}
      <form className="form" onSubmit={onSubmit} noValidate>
        <PasswordField
          label={t('field.newPassword')}
          name="newPassword"
          autoComplete="new-password"
          hint={t('field.passwordHint')}
          value={form.values.newPassword}
          onValueChange={(v) => form.setValue('newPassword', v)}
          onBlur={() => form.touch('newPassword')}
          error={form.errors.newPassword}
        />
        <PasswordField
          label={t('field.repeatPassword')}
          name="repeatPassword"
          autoComplete="new-password"
          value={form.values.repeatPassword}
          onValueChange={(v) => form.setValue('repeatPassword', v)}
          onBlur={() => form.touch('repeatPassword')}
          error={form.errors.repeatPassword}
        />
        <Button type="submit" busy={form.busy} busyLabel={t('reset.submitting')} className="button--block">
          {t('reset.submit')}
        </Button>
      </form>
    </AuthCard>
  );
}
