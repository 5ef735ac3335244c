import { Link, useNavigate } from 'react-router';
import { useRequestPasswordReset } from '../api/queries';
import { Button, FormError } from '../components/feedback';
import { TextField } from '../components/fields';
import { useTitle } from '../components/Layout';
import { useForm } from '../forms/useForm';
import { useI18n } from '../i18n/I18nProvider';
import { checkEmail, collect } from '../validation/rules';
import { AuthCard } from './AuthCard';

export function ForgotPasswordPage() {
  const { t } = useI18n();
  useTitle(t('forgot.title'));
  const navigate = useNavigate();
  const requestReset = useRequestPasswordReset();
  const form = useForm({
    initial: { email: '' },
    validate: (v) => collect({ email: checkEmail(v.email) }),
  });
  const onSubmit = form.handleSubmit(async (v) => {
    await requestReset.mutateAsync({ email: v.email.trim() });
    await navigate('/check-email');
  });
  return (
    <AuthCard title={t('forgot.title')} intro={t('forgot.intro')}>
      <FormError error={form.formError} unmatched={form.unmatchedFieldCodes} />
      <form className="form" onSubmit={onSubmit} noValidate>
        <TextField
          label={t('field.email')}
          name="email"
          type="email"
          autoComplete="email"
          inputMode="email"
          value={form.values.email}
          onValueChange={(v) => form.setValue('email', v)}
          onBlur={() => form.touch('email')}
          error={form.errors.email}
        />
        <Button type="submit" busy={form.busy} busyLabel={t('forgot.submitting')} className="button--block">
          {t('forgot.submit')}
        </Button>
      </form>
      <p className="auth__links">
        <Link to="/login">{t('forgot.back')}</Link>
      </p>
    </AuthCard>
  );
}

export function CheckEmailPage() {
  const { t } = useI18n();
  useTitle(t('checkEmail.title'));
  return (
    <AuthCard title={t('checkEmail.title')}>
      <p>{t('checkEmail.text')}</p>
      <p className="muted">{t('checkEmail.spam')}</p>
      <p className="auth__links auth__links--split">
        <Link to="/forgot-password">{t('checkEmail.again')}</Link>
        <Link to="/login">{t('checkEmail.back')}</Link>
      </p>
    </AuthCard>
  );
}
