// A person's profile: account details, and the encrypted sensitive fields as a form (when the caller may
// change them) or as a read-only list. The server decides what is shown: floor managers get the phone only,
// and when the encrypted store cannot be read the rest of the profile still arrives.
import { useId } from 'react';
import { useMe, useProfile, useUpdateProfile } from '../../api/queries';
import { SENSITIVE_FIELDS, type PersonProfile, type SensitiveField, type SensitiveProfile } from '../../api/types';
import { Alert, Button, FormError, LoadError, Loading } from '../../components/feedback';
import { TextField } from '../../components/fields';
import { useToast } from '../../components/toast';
import { useForm } from '../../forms/useForm';
import type { MessageKey } from '../../i18n/en';
import { useI18n } from '../../i18n/I18nProvider';
import {
  checkOptionalDate,
  checkOptionalPhone,
  checkOptionalText,
  collect,
  PROFILE_MAX_CHARS,
  type FieldCode,
} from '../../validation/rules';

export type ProfileValues = Record<SensitiveField, string>;

const LABELS: Record<SensitiveField, MessageKey> = {
  phone: 'field.phone',
  address: 'field.address',
  dateOfBirth: 'field.dateOfBirth',
  nationality: 'field.nationality',
  nationalIdNumber: 'field.nationalIdNumber',
  bankAccount: 'field.bankAccount',
  emergencyContact: 'field.emergencyContact',
};

/** The client-side checks, mirroring the server's: every field is optional; empty clears it. */
export function validateProfile(v: ProfileValues): Partial<Record<SensitiveField, FieldCode>> {
  return collect({
    phone: checkOptionalPhone(v.phone),
    address: checkOptionalText(v.address, PROFILE_MAX_CHARS.address),
    dateOfBirth: checkOptionalDate(v.dateOfBirth),
    nationality: checkOptionalText(v.nationality, PROFILE_MAX_CHARS.nationality),
    nationalIdNumber: checkOptionalText(v.nationalIdNumber, PROFILE_MAX_CHARS.nationalIdNumber),
    bankAccount: checkOptionalText(v.bankAccount, PROFILE_MAX_CHARS.bankAccount),
    emergencyContact: checkOptionalText(v.emergencyContact, PROFILE_MAX_CHARS.emergencyContact),
  });
}

function toValues(sensitive: SensitiveProfile | null | undefined): ProfileValues {
  const values = {} as ProfileValues;
  for (const field of SENSITIVE_FIELDS) values[field] = sensitive?.[field] ?? '';
  return values;
}

/** The request body: trimmed, and `null` for empty fields (the PUT replaces every field). */
export function toSensitiveProfile(values: ProfileValues): SensitiveProfile {
  const body: SensitiveProfile = {};
  for (const field of SENSITIVE_FIELDS) {
    const value = values[field].trim();
    body[field] = value === '' ? null : value;
  }
  return body;
}

export function ProfilePanel({
  personId,
  title,
  headingLevel = 2,
  phoneOnly = false,
}: {
  personId: string;
  title?: string;
  headingLevel?: 2 | 3;
  /** The viewer sees the phone only (floor managers): do not list the other fields as "not filled in". */
  phoneOnly?: boolean;
}) {
  const { t } = useI18n();
  const titleId = useId();
  const profile = useProfile(personId);
  const Heading = headingLevel === 2 ? 'h2' : 'h3';

  return (
    <section className="card profile" aria-labelledby={titleId}>
      <Heading id={titleId}>{title ?? t('profile.title')}</Heading>
      {profile.isPending ? (
        <Loading />
      ) : profile.isError ? (
        <LoadError error={profile.error} onRetry={() => void profile.refetch()} />
      ) : (
        <>
          <AccountDetails profile={profile.data} />
          {profile.data.sensitiveStatus === 'unavailable' ? (
            <Alert kind="info">
              <p>{t('profile.unavailable')}</p>
              <Button variant="secondary" size="small" onClick={() => void profile.refetch()}>
                {t('app.retry')}
              </Button>
            </Alert>
          ) : profile.data.canEdit ? (
            <ProfileForm key={profile.data.id} profile={profile.data} />
          ) : (
            <ProfileDetails profile={profile.data} phoneOnly={phoneOnly} />
          )}
        </>
      )}
    </section>
  );
}

function AccountDetails({ profile }: { profile: PersonProfile }) {
  const { t } = useI18n();
  return (
    <dl className="details details--account">
      <div className="details__row">
        <dt>{t('users.col.name')}</dt>
        <dd>{profile.displayName}</dd>
      </div>
      <div className="details__row">
        <dt>{t('field.username')}</dt>
        <dd className="break">{profile.username}</dd>
      </div>
      <div className="details__row">
        <dt>{t('field.email')}</dt>
        <dd className="break">{profile.email}</dd>
      </div>
      <div className="details__row">
        <dt>{t('field.role')}</dt>
        <dd>{t(`role.${profile.role}`)}</dd>
      </div>
      {profile.locations.length > 0 ? (
        <div className="details__row">
          <dt>{t('field.locations')}</dt>
          <dd>{profile.locations.map((l) => l.name).join(', ')}</dd>
        </div>
      ) : null}
    </dl>
  );
}

/** Read-only: for those who may see but not change the details. */
export function ProfileDetails({ profile, phoneOnly = false }: { profile: PersonProfile; phoneOnly?: boolean }) {
  const { t, formatDate } = useI18n();
  const sensitive = profile.sensitive ?? null;
  const fields = phoneOnly ? (['phone'] as const) : SENSITIVE_FIELDS;
  return (
    <>
      <p className="muted small">{phoneOnly ? t('profile.phoneOnly') : t('profile.readOnly')}</p>
      {profile.sensitiveStatus === 'empty' || !sensitive ? (
        <p className="muted">{t('profile.empty')}</p>
      ) : (
        <dl className="details">
          {fields.map((field) => {
            const value = sensitive[field];
            return (
              <div className="details__row" key={field}>
                <dt>{t(LABELS[field])}</dt>
                <dd className={value ? 'break' : 'muted'}>
                  {value ? (field === 'dateOfBirth' ? formatDate(value) : value) : t('profile.notProvided')}
                </dd>
              </div>
            );
          })}
        </dl>
      )}
    </>
  );
}

export function ProfileForm({ profile }: { profile: PersonProfile }) {
  const { t } = useI18n();
  const toast = useToast();
  const update = useUpdateProfile();
  // The browser's autofill knows the user's own details, not those of the person an administrator edits.
  const own = useMe().data?.id === profile.id;
  const autofill = (token: string) => (own ? token : 'off');
  const form = useForm<ProfileValues>({ initial: toValues(profile.sensitive), validate: validateProfile });
  const onSubmit = form.handleSubmit(async (v) => {
    const saved = await update.mutateAsync({ personId: profile.id, body: toSensitiveProfile(v) });
    form.reset(toValues(saved.sensitive));
    toast.success(t('profile.saved'));
  });
  const bind = (name: SensitiveField) => ({
    name,
    label: t(LABELS[name]),
    optional: true,
    value: form.values[name],
    onValueChange: (value: string) => form.setValue(name, value),
    onBlur: () => form.touch(name),
    error: form.errors[name],
  });
  return (
    <form className="form profile-form" onSubmit={onSubmit} noValidate>
      {profile.sensitiveStatus === 'empty' ? <p className="muted">{t('profile.empty')}</p> : null}
      <FormError error={form.formError} unmatched={form.unmatchedFieldCodes} />
      <div className="form__row form__row--start">
        <TextField type="tel" autoComplete={autofill('tel')} inputMode="tel" {...bind('phone')} />
        <TextField type="date" autoComplete={autofill('bday')} {...bind('dateOfBirth')} />
      </div>
      <TextField autoComplete={autofill('street-address')} {...bind('address')} />
      <div className="form__row form__row--start">
        <TextField autoComplete="off" {...bind('nationality')} />
        <TextField autoComplete="off" hint={t('field.nationalIdNumberHint')} {...bind('nationalIdNumber')} />
      </div>
      <TextField autoComplete="off" spellCheck={false} {...bind('bankAccount')} />
      <TextField autoComplete="off" hint={t('field.emergencyContactHint')} {...bind('emergencyContact')} />
      <div>
        <Button type="submit" busy={form.busy} busyLabel={t('common.saving')}>
          {t('profile.save')}
        </Button>
      </div>
    </form>
  );
}
