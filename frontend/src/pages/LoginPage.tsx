import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { useLogin } from '../api/queries';
import { Alert, Button, FormError } from '../components/feedback';
import { PasswordField, TextField } from '../components/fields';
import { useTitle } from '../components/Layout';
import { useForm } from '../forms/useForm';
import { useI18n } from '../i18n/I18nProvider';
import { homePathFor, safeNext } from '../routing/guards';
import { checkRequired, collect } from '../validation/rules';
import { AuthCard } from './AuthCard';

type Notice = 'passwordSet' | 'loggedOut' | 'accountDeleted';

function noticeOf(state: unknown): Notice | null {
  const notice = (state as { notice?: unknown } | null)?.notice;
  return notice === 'passwordSet' || notice === 'loggedOut' || notice === 'accountDeleted' ? notice : null;
}

export function LoginPage() {
  const { t } = useI18n();
  useTitle(t('login.title'));
  const [params] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const login = useLogin();
  const notice = noticeOf(location.state);

  const form = useForm({
    initial: { login: '', password: '' },
    validate: (v) => collect({ login: checkRequired(v.login), password: v.password === '' ? 'required' : null }),
  });

  const onSubmit = form.handleSubmit(async (v) => {
    const { user } = await login.mutateAsync({ login: v.login.trim(), password: v.password });
    await navigate(safeNext(params.get('next')) ?? homePathFor(user), { replace: true });
  });

  return (
    <AuthCard
      title={t('login.title')}
      intro={t('login.intro')}
      footer={
        <p>
          {t('login.noAccount')} <Link to="/register">{t('login.registerLink')}</Link>
        </p>
      }
    >
      {notice === 'passwordSet' && !form.formError ? <Alert kind="success">{t('login.passwordSet')}</Alert> : null}
      {notice === 'loggedOut' && !form.formError ? <Alert kind="info">{t('login.sessionEnded')}</Alert> : null}
      {notice === 'accountDeleted' && !form.formError ? (
        <Alert kind="success">{t('login.accountDeleted')}</Alert>
      ) : null}
      <FormError error={form.formError} unmatched={form.unmatchedFieldCodes} />
      <form className="form" onSubmit={onSubmit} noValidate>
        <TextField
          label={t('field.login')}
          name="login"
          autoComplete="username"
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          value={form.values.login}
          onValueChange={(v) => form.setValue('login', v)}
          onBlur={() => form.touch('login')}
          error={form.errors.login}
        />
        <PasswordField
          label={t('field.password')}
          name="password"
          autoComplete="current-password"
          value={form.values.password}
          onValueChange={(v) => form.setValue('password', v)}
          onBlur={() => form.touch('password')}
          error={form.errors.password}
        />
        <Button type="submit" busy={form.busy} busyLabel={t('login.submitting')} className="button--block">
          {t('login.submit')}
        </Button>
      </form>
      <p className="auth__links">
        <Link to="/forgot-password">{t('login.forgot')}</Link>
      </p>
    </AuthCard>
  );
}
