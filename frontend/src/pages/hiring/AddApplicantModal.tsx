// Adding an applicant by hand (someone who applied in person or by phone): creates an invited applicant account,
// or reuses the applicant account with that e-mail address, and an application with source `manual`.
import { useId } from 'react';
import { useManualApplication } from '../../api/hiring';
import type { LocationDetail } from '../../api/hiringTypes';
import { Button, FormError } from '../../components/feedback';
import { SelectField, TextAreaField, TextField } from '../../components/fields';
import { Modal } from '../../components/Modal';
import { useToast } from '../../components/toast';
import { useForm } from '../../forms/useForm';
import { useI18n } from '../../i18n/I18nProvider';
import { checkEmail, checkName, checkOptionalPhone, collect } from '../../validation/rules';
import { AVAILABILITY_MAX_CHARS, POSITION_MAX_CHARS } from './ApplyForm';

export function AddApplicantModal({
  locations,
  defaultLocationId,
  onClose,
}: {
  locations: LocationDetail[];
  defaultLocationId: string;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const create = useManualApplication();
  const formId = useId();
  const preset = locations.some((l) => l.id === defaultLocationId)
    ? defaultLocationId
    : locations.length === 1
      ? (locations[0]?.id ?? '')
      : '';
  const form = useForm({
    initial: {
      locationId: preset,
      firstName: '',
      lastName: '',
      email: '',
      phone: '',
      position: '',
      availability: '',
    },
    validate: (v) =>
      collect({
        locationId: v.locationId ? null : 'required',
        firstName: checkName(v.firstName),
        lastName: checkName(v.lastName),
        email: checkEmail(v.email),
        phone: checkOptionalPhone(v.phone),
        position:
          v.position.trim() === '' ? 'required' : v.position.trim().length > POSITION_MAX_CHARS ? 'too_long' : null,
        availability: v.availability.trim().length > AVAILABILITY_MAX_CHARS ? 'too_long' : null,
      }),
  });
  const onSubmit = form.handleSubmit(async (v) => {
    const detail = await create.mutateAsync({
      locationId: v.locationId,
      firstName: v.firstName.trim(),
      lastName: v.lastName.trim(),
      email: v.email.trim(),
      ...(v.phone.trim() ? { phone: v.phone.trim() } : {}),
      position: v.position.trim(),
      ...(v.availability.trim() ? { availability: v.availability.trim() } : {}),
    });
    toast.success(t('manual.done', { name: detail.applicant.displayName }));
    onClose();
  });
  const bind = (name: 'firstName' | 'lastName' | 'email' | 'phone' | 'position') => ({
    name,
    value: form.values[name],
    onValueChange: (value: string) => form.setValue(name, value),
    onBlur: () => form.touch(name),
    error: form.errors[name],
  });
  return (
    <Modal
      title={t('manual.title')}
      onClose={form.busy ? () => undefined : onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={form.busy}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" form={formId} busy={form.busy} busyLabel={t('manual.submitting')}>
            {t('manual.submit')}
          </Button>
        </>
      }
    >
      <form id={formId} className="form" onSubmit={onSubmit} noValidate>
        <p className="muted">{t('manual.intro')}</p>
        <FormError error={form.formError} unmatched={form.unmatchedFieldCodes} />
        <SelectField
          label={t('field.location')}
          name="locationId"
          value={form.values.locationId}
          onValueChange={(value) => form.setValue('locationId', value)}
          options={[
            ...(preset ? [] : [{ value: '', label: t('manual.chooseLocation') }]),
            ...locations.map((l) => ({ value: l.id, label: l.name })),
          ]}
          error={form.errors.locationId}
        />
        <div className="form__row form__row--start">
          <TextField label={t('field.firstName')} autoComplete="off" data-autofocus {...bind('firstName')} />
          <TextField label={t('field.lastName')} autoComplete="off" {...bind('lastName')} />
        </div>
        <div className="form__row form__row--start">
          <TextField label={t('field.email')} type="email" autoComplete="off" inputMode="email" {...bind('email')} />
          <TextField label={t('field.phone')} type="tel" autoComplete="off" inputMode="tel" optional {...bind('phone')} />
        </div>
        <TextField label={t('field.position')} autoComplete="off" {...bind('position')} />
        <TextAreaField
          label={t('field.availability')}
          name="availability"
          optional
          value={form.values.availability}
          onValueChange={(value) => form.setValue('availability', value)}
          onBlur={() => form.touch('availability')}
          error={form.errors.availability}
        />
      </form>
    </Modal>
  );
}
