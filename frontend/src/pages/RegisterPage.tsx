import { Link, useNavigate, useSearchParams } from 'react-router';
import { isApiError } from '../api/client';
import { usePublicLocation, useRegister } from '../api/queries';
import { usePublicSettings } from '../api/settings';
import type { Me } from '../api/types';
import { Alert, Button, FormError, LoadError, Loading } from '../components/feedback';
import { CheckboxField, PasswordField, TextField } from '../components/fields';
import { useTitle } from '../components/Layout';
import { useForm } from '../forms/useForm';
import { useI18n } from '../i18n/I18nProvider';
import {
  checkConsent,
  checkEmail,
  checkName,
  checkPassword,
  checkPhone,
  checkRepeat,
  checkUsername,
  collect,
} from '../validation/rules';
import { AuthCard } from './AuthCard';
import { applyPath } from './hiring/ApplyPage';

function VenueNotice({ code }: { code: string }) {
  const { t } = useI18n();
  const venue = usePublicLocation(code);
  if (venue.isPending) return <Loading label={t('register.checkingCode')} />;
  if (venue.isError) {
    return isApiError(venue.error) && venue.error.status === 404 ? (
      <Alert kind="info">{t('register.unknownCode')}</Alert>
    ) : (
      <Alert kind="info">{t('register.codeCheckFailed')}</Alert>
    );
  }
  return (
    <p className="venue-banner" data-code={venue.data.applicationCode}>
      {t('register.applyingTo', { venue: venue.data.name })}
    </p>
  );
}

/** Where a new applicant goes: with a venue code (QR link), on to the apply form for that venue. */
export function afterRegistration(me: Pick<Me, 'role'>, params: URLSearchParams): string | null {
  const code = params.get('code')?.trim();
  return code && me.role === 'applicant' ? `/portal?apply=${encodeURIComponent(code)}` : null;
}

export function RegisterPage() {
  const { t } = useI18n();
  useTitle(t('register.title'));
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const register = useRegister();
  // The privacy notice version consent is asked for comes from the server (its one home).
  const settings = usePublicSettings();
  const noticeVersion = settings.data?.privacyNoticeVersion ?? null;
  const code = params.get('code')?.trim() || null;
  const venue = usePublicLocation(code);
  // An unknown code is left out (the applicant may still register); an unchecked one is left to the server.
  const knownMissing = venue.isError && isApiError(venue.error) && venue.error.status === 404;
  const locationCode = code && !knownMissing ? (venue.data?.applicationCode ?? code) : null;

  const form = useForm({
    initial: {
      firstName: '',
      lastName: '',
      email: '',
      phone: '',
      username: '',
      password: '',
      repeatPassword: '',
      privacyConsent: false as boolean,
    },
    validate: (v) =>
      collect({
        firstName: checkName(v.firstName),
        lastName: checkName(v.lastName),
        email: checkEmail(v.email),
        phone: checkPhone(v.phone),
        username: checkUsername(v.username),
        password: checkPassword(v.password),
        repeatPassword: checkRepeat(v.password, v.repeatPassword),
        privacyConsent: checkConsent(v.privacyConsent),
      }),
  });

  const onSubmit = form.handleSubmit(async (v) => {
    if (noticeVersion === null) return;
    const { user } = await register.mutateAsync({
      firstName: v.firstName.trim(),
      lastName: v.lastName.trim(),
      email: v.email.trim(),
      username: v.username.trim(),
      password: v.password,
      phone: v.phone.trim(),
      ...(locationCode ? { locationCode } : {}),
      privacyConsent: { version: noticeVersion, accepted: v.privacyConsent },
    });
    // Through a venue's QR link: straight on to the apply form with that venue chosen.
    await navigate(afterRegistration(user, params) ?? '/portal', { replace: true });
  });

  const bind = (name: 'firstName' | 'lastName' | 'email' | 'phone' | 'username') => ({
    name,
    value: form.values[name],
    onValueChange: (value: string) => form.setValue(name, value),
    onBlur: () => form.touch(name),
    error: form.errors[name],
  });

  return (
    <AuthCard
      title={t('register.title')}
      intro={t('register.intro')}
      footer={
        <p>
          {t('register.haveAccount')}{' '}
          <Link to={code ? `/login?next=${encodeURIComponent(applyPath(code))}` : '/login'}>{t('register.loginLink')}</Link>
        </p>
      }
    >
      {code ? <VenueNotice code={code} /> : null}
      <FormError error={form.formError} unmatched={form.unmatchedFieldCodes} />
      <form className="form" onSubmit={onSubmit} noValidate>
        <div className="form__row">
          <TextField label={t('field.firstName')} autoComplete="given-name" {...bind('firstName')} />
          <TextField label={t('field.lastName')} autoComplete="family-name" {...bind('lastName')} />
        </div>
        <TextField label={t('field.email')} type="email" autoComplete="email" inputMode="email" {...bind('email')} />
        <TextField label={t('field.phone')} type="tel" autoComplete="tel" inputMode="tel" {...bind('phone')} />
        <TextField
          label={t('field.username')}
          autoComplete="username"
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          hint={t('field.usernameHint')}
          {...bind('username')}
        />
        <PasswordField
          label={t('field.password')}
          name="password"
          autoComplete="new-password"
          hint={t('field.passwordHint')}
          value={form.values.password}
          onValueChange={(v) => form.setValue('password', v)}
          onBlur={() => form.touch('password')}
          error={form.errors.password}
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
        <div className="privacy">
          <h2 className="privacy__title">{t('register.privacyTitle')}</h2>
          <p className="privacy__text">{t('register.privacyText')}</p>
          {noticeVersion !== null ? (
            <CheckboxField
              name="privacyConsent"
              label={t('field.privacyConsent', { version: noticeVersion })}
              checked={form.values.privacyConsent}
              onCheckedChange={(v) => form.setValue('privacyConsent', v)}
              error={form.errors.privacyConsent}
            />
          ) : settings.isError ? (
            <>
              <p className="muted">{t('register.settingsFailed')}</p>
              <LoadError error={settings.error} onRetry={() => void settings.refetch()} />
            </>
          ) : (
            <Loading />
          )}
        </div>
        <Button
          type="submit"
          busy={form.busy}
          busyLabel={t('register.submitting')}
          className="button--block"
          disabled={noticeVersion === null}
        >
          {t('register.submit')}
        </Button>
      </form>
    </AuthCard>
  );
}
