// The applicant's "Apply" form: the venue (preselected when the applicant came through a QR poster or link, else
// found by its application code), the position, an availability note and an optional motivation letter.
import { useId } from 'react';
import { isApiError } from '../../api/client';
import { useApply, usePublicLocationDetail } from '../../api/hiring';
import { RICH_TEXT_MAX_CHARS, type ApplicationSummary, type CreateApplicationRequest } from '../../api/hiringTypes';
import { Alert, Button, Loading } from '../../components/feedback';
import { TextAreaField, TextField } from '../../components/fields';
import { RichTextEditor } from '../../components/RichTextEditor';
import { useToast } from '../../components/toast';
import { useForm } from '../../forms/useForm';
import { useI18n } from '../../i18n/I18nProvider';
import { collect, type FieldCode } from '../../validation/rules';
import { useDebounced } from '../admin/useDebounced';

export const POSITION_MAX_CHARS = 100;
export const AVAILABILITY_MAX_CHARS = 1000;

/** Application codes as the server makes them: letters and digits (kept loose; the server decides). */
const CODE = /^[A-Za-z0-9_-]{2,64}$/;

function checkPosition(value: string): FieldCode | null {
  const v = value.trim();
  if (v === '') return 'required';
  return v.length > POSITION_MAX_CHARS ? 'too_long' : null;
}

/** Which venue the code stands for, as the applicant types it. */
function VenueLookup({ code }: { code: string }) {
  const { t } = useI18n();
  const venue = usePublicLocationDetail(CODE.test(code) ? code : null);
  if (!CODE.test(code)) return null;
  if (venue.isPending) return <Loading label={t('register.checkingCode')} />;
  if (venue.isError) {
    return (
      <p className="field__hint field__hint--warning">
        {isApiError(venue.error) && venue.error.status === 404 ? t('apply.unknownCode') : t('apply.codeCheckFailed')}
      </p>
    );
  }
  return <p className="venue-banner">{t('register.applyingTo', { venue: venue.data.name })}</p>;
}

export function ApplyForm({
  code,
  onDone,
  onCancel,
  titleId,
}: {
  /** From a QR poster or link: the venue is fixed and the application's source is `qr`. */
  code?: string | null;
  onDone: (application: ApplicationSummary) => void;
  onCancel?: () => void;
  /** The heading that names the form. */
  titleId?: string;
}) {
  const { t, errorMessage, fieldErrorMessage } = useI18n();
  const toast = useToast();
  const apply = useApply();
  const given = code?.trim() || null;
  const venue = usePublicLocationDetail(given);
  // A code the server does not know (or a venue that was archived) is not fixed: the applicant may type another.
  const unknownCode = !!given && isApiError(venue.error) && venue.error.status === 404;
  const fixed = unknownCode ? null : given;
  const formId = useId();

  const form = useForm({
    initial: { venueCode: '', position: '', availability: '', motivationLetter: '' },
    validate: (v) =>
      collect({
        venueCode: fixed ? null : v.venueCode.trim() === '' ? 'required' : null,
        position: checkPosition(v.position),
        availability: v.availability.trim().length > AVAILABILITY_MAX_CHARS ? 'too_long' : null,
        motivationLetter: v.motivationLetter.length > RICH_TEXT_MAX_CHARS ? 'too_long' : null,
      }),
    fieldAliases: { locationCode: 'venueCode', locationId: 'venueCode' },
  });
  const typedCode = useDebounced(form.values.venueCode.trim(), 400);
  const typedVenue = usePublicLocationDetail(!fixed && CODE.test(typedCode) ? typedCode : null);

  const onSubmit = form.handleSubmit(async (v) => {
    const where: Pick<CreateApplicationRequest, 'locationCode' | 'locationId'> = fixed
      ? // Through the QR poster or link: the server records source `qr`.
        { locationCode: venue.data?.applicationCode ?? fixed }
      : // Typed in the portal: source `web`, by the venue's id when the code could be looked up.
        typedVenue.data && typedVenue.data.applicationCode.toLowerCase() === v.venueCode.trim().toLowerCase()
        ? { locationId: typedVenue.data.locationId }
        : { locationCode: v.venueCode.trim() };
    const created = await apply.mutateAsync({
      ...where,
      position: v.position.trim(),
      ...(v.availability.trim() ? { availability: v.availability.trim() } : {}),
      ...(v.motivationLetter ? { motivationLetter: v.motivationLetter } : {}),
    });
    toast.success(t('apply.done', { venue: created.location.name }));
    onDone(created);
  });

  const failure = form.formError;
  const failureText = isApiError(failure)
    ? failure.code === 'already_applied'
      ? t('error.already_applied')
      : failure.status === 404
        ? t('apply.unknownVenue')
        : failure.code === 'too_large'
          ? t('letter.tooLong', { max: RICH_TEXT_MAX_CHARS })
          : errorMessage(failure)
    : failure
      ? errorMessage(failure)
      : null;

  return (
    <form id={formId} className="form apply-form" onSubmit={onSubmit} noValidate aria-labelledby={titleId}>
      {unknownCode ? <Alert kind="info">{t('apply.unknownCode')}</Alert> : null}
      {fixed ? (
        venue.isPending ? (
          <Loading label={t('register.checkingCode')} />
        ) : venue.isError ? (
          <Alert kind="info">{t('apply.codeCheckFailed')}</Alert>
        ) : (
          <p className="venue-banner" data-code={venue.data.applicationCode}>
            {t('register.applyingTo', { venue: venue.data.name })}
          </p>
        )
      ) : null}
      {failureText ? (
        <Alert kind="error">
          <p>{failureText}</p>
          {form.unmatchedFieldCodes.length > 0 ? (
            <ul className="alert__list">
              {[...new Set(form.unmatchedFieldCodes)].map((c) => (
                <li key={c}>{fieldErrorMessage(c)}</li>
              ))}
            </ul>
          ) : null}
        </Alert>
      ) : null}
      {!fixed ? (
        <div>
          <TextField
            label={t('field.venueCode')}
            name="venueCode"
            hint={t('field.venueCodeHint')}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            value={form.values.venueCode}
            onValueChange={(value) => form.setValue('venueCode', value)}
            onBlur={() => form.touch('venueCode')}
            error={form.errors.venueCode}
          />
          {typedCode ? <VenueLookup code={typedCode} /> : null}
        </div>
      ) : null}
      <TextField
        label={t('field.position')}
        name="position"
        hint={t('field.positionHint')}
        autoComplete="off"
        value={form.values.position}
        onValueChange={(value) => form.setValue('position', value)}
        onBlur={() => form.touch('position')}
        error={form.errors.position}
      />
      <TextAreaField
        label={t('field.availability')}
        name="availability"
        optional
        hint={t('field.availabilityHint')}
        value={form.values.availability}
        onValueChange={(value) => form.setValue('availability', value)}
        onBlur={() => form.touch('availability')}
        error={form.errors.availability}
      />
      <RichTextEditor
        label={t('letter.label')}
        name="motivationLetter"
        optional
        hint={t('apply.letterHint')}
        initialHtml=""
        onChange={(html) => form.setValue('motivationLetter', html)}
        error={form.errors.motivationLetter}
      />
      <div className="button-row">
        <Button type="submit" busy={form.busy} busyLabel={t('apply.submitting')}>
          {t('apply.submit')}
        </Button>
        {onCancel ? (
          <Button variant="secondary" onClick={onCancel} disabled={form.busy}>
            {t('common.cancel')}
          </Button>
        ) : null}
      </div>
    </form>
  );
}
