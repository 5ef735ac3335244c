// Moving an application, shared by the board and the application page: simple moves go straight to the server
// (with the status the user saw as `expectedStatus`), rejecting asks for a reason, hiring opens the hire dialog.
// Conflicts (409) are explained and the data is refetched (see api/hiring.ts).
import { useId, useState, type ReactNode } from 'react';
import { isApiError } from '../../api/client';
import { useChangeStatus, useHire } from '../../api/hiring';
import type { ApplicationStatus } from '../../api/hiringTypes';
import { Alert, Button } from '../../components/feedback';
import { CheckboxField, TextAreaField, TextField } from '../../components/fields';
import { Modal } from '../../components/Modal';
import { useToast } from '../../components/toast';
import { useForm } from '../../forms/useForm';
import { useI18n } from '../../i18n/I18nProvider';
import { checkOptionalDate, collect, REVIEW_REASON_MAX_CHARS, type FieldCode } from '../../validation/rules';
import { POSITION_MAX_CHARS } from './ApplyForm';
import { hiringErrorMessage, statusLabel } from './hiringText';
import { todayInZone } from './zonedTime';

/** What moving needs to know about an application (a board card or the detail). */
export interface MoveTarget {
  id: string;
  name: string;
  status: ApplicationStatus;
  position: string;
  timezone: string;
}

export const CONTRACTED_HOURS_MAX = 80;

export function checkReason(value: string, required: boolean): FieldCode | null {
  const v = value.trim();
  if (v === '') return required ? 'required' : null;
  return v.length > REVIEW_REASON_MAX_CHARS ? 'too_long' : null;
}

/** The banner text for a failed status change or hire. */
function useHiringError() {
  const { t, errorMessage } = useI18n();
  return (error: unknown) => hiringErrorMessage({ t, errorMessage }, error);
}

function ErrorBanner({ error }: { error: unknown }) {
  const message = useHiringError();
  const { t } = useI18n();
  if (!error) return null;
  const stale = isApiError(error) && error.status === 409;
  return (
    <Alert kind="error">
      <p>{message(error)}</p>
      {stale ? <p>{t('hiring.refreshed')}</p> : null}
    </Alert>
  );
}

/** A move that needs a reason (rejecting). */
export function ReasonDialog({
  target,
  to,
  onClose,
  onDone,
}: {
  target: MoveTarget;
  to: ApplicationStatus;
  onClose: () => void;
  onDone?: () => void;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const change = useChangeStatus();
  const formId = useId();
  const required = to === 'rejected';
  const form = useForm({
    initial: { reason: '', notify: true as boolean },
    validate: (v) => collect({ reason: checkReason(v.reason, required) }),
  });
  const onSubmit = form.handleSubmit(async (v) => {
    await change.mutateAsync({
      id: target.id,
      body: {
        to,
        expectedStatus: target.status,
        ...(v.reason.trim() ? { reason: v.reason.trim() } : {}),
        notifyApplicant: v.notify,
      },
    });
    toast.success(t('hiring.moved', { name: target.name, status: statusLabel(t, to) }));
    onDone?.();
    onClose();
  });
  const title =
    to === 'rejected' ? t('hiring.rejectTitle', { name: target.name }) : t('hiring.moveTitle', { name: target.name });
  return (
    <Modal
      title={title}
      onClose={form.busy ? () => undefined : onClose}
      size="small"
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={form.busy}>
            {t('common.cancel')}
          </Button>
          <Button
            type="submit"
            form={formId}
            variant={to === 'rejected' ? 'danger' : 'primary'}
            busy={form.busy}
            busyLabel={t('hiring.moving')}
          >
            {to === 'rejected' ? t('hiring.reject') : t('hiring.moveToStatus', { status: statusLabel(t, to) })}
          </Button>
        </>
      }
    >
      <form id={formId} className="form" onSubmit={onSubmit} noValidate>
        <ErrorBanner error={form.formError} />
        <TextAreaField
          label={t('field.statusReason')}
          name="reason"
          optional={!required}
          hint={t('field.statusReasonHint')}
          value={form.values.reason}
          onValueChange={(value) => form.setValue('reason', value)}
          onBlur={() => form.touch('reason')}
          error={form.errors.reason}
          data-autofocus
        />
        <CheckboxField
          label={t('field.notifyApplicant')}
          name="notify"
          checked={form.values.notify}
          onCheckedChange={(value) => form.setValue('notify', value)}
        />
      </form>
    </Modal>
  );
}

function checkHours(value: string): FieldCode | null {
  const v = value.trim().replace(',', '.');
  if (v === '') return null;
  const hours = Number(v);
  return Number.isFinite(hours) && hours > 0 && hours <= CONTRACTED_HOURS_MAX ? null : 'out_of_range';
}

/** Hire: position, contracted hours and start date; one transaction on the server. */
export function HireDialog({
  target,
  onClose,
  onDone,
}: {
  target: MoveTarget;
  onClose: () => void;
  onDone?: () => void;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const hire = useHire();
  const formId = useId();
  const form = useForm({
    initial: { position: target.position, contractedHours: '', startDate: todayInZone(target.timezone) },
    validate: (v) =>
      collect({
        position:
          v.position.trim() === '' ? 'required' : v.position.trim().length > POSITION_MAX_CHARS ? 'too_long' : null,
        contractedHours: checkHours(v.contractedHours),
        startDate: v.startDate.trim() === '' ? 'required' : checkOptionalDate(v.startDate),
      }),
  });
  const onSubmit = form.handleSubmit(async (v) => {
    const hours = v.contractedHours.trim().replace(',', '.');
    await hire.mutateAsync({
      id: target.id,
      body: {
        position: v.position.trim(),
        ...(hours ? { contractedHours: Number(hours) } : {}),
        startDate: v.startDate.trim(),
        expectedStatus: target.status,
      },
    });
    toast.success(t('hire.done', { name: target.name }));
    onDone?.();
    onClose();
  });
  return (
    <Modal
      title={t('hire.title', { name: target.name })}
      onClose={form.busy ? () => undefined : onClose}
      size="small"
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={form.busy}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" form={formId} busy={form.busy} busyLabel={t('hire.submitting')}>
            {t('hire.submit')}
          </Button>
        </>
      }
    >
      <form id={formId} className="form" onSubmit={onSubmit} noValidate>
        <p className="muted">{t('hire.intro')}</p>
        <ErrorBanner error={form.formError} />
        <TextField
          label={t('field.position')}
          name="position"
          autoComplete="off"
          value={form.values.position}
          onValueChange={(value) => form.setValue('position', value)}
          onBlur={() => form.touch('position')}
          error={form.errors.position}
          data-autofocus
        />
        <div className="form__row form__row--start">
          <TextField
            label={t('field.contractedHours')}
            name="contractedHours"
            type="number"
            inputMode="decimal"
            min={1}
            max={CONTRACTED_HOURS_MAX}
            step="0.5"
            optional
            hint={t('field.contractedHoursHint')}
            value={form.values.contractedHours}
            onValueChange={(value) => form.setValue('contractedHours', value)}
            onBlur={() => form.touch('contractedHours')}
            error={form.errors.contractedHours}
          />
          <TextField
            label={t('field.startDate')}
            name="startDate"
            type="date"
            value={form.values.startDate}
            onValueChange={(value) => form.setValue('startDate', value)}
            onBlur={() => form.touch('startDate')}
            error={form.errors.startDate}
          />
        </div>
      </form>
    </Modal>
  );
}

/**
 * `move(target, to)` for the board and the application page. Returns the dialogs to render and the id of the
 * application being moved (for a busy button).
 */
export function useMoveApplication(): {
  move: (target: MoveTarget, to: ApplicationStatus) => void;
  movingId: string | null;
  dialogs: ReactNode;
} {
  const { t } = useI18n();
  const toast = useToast();
  const change = useChangeStatus();
  const message = useHiringError();
  const [movingId, setMovingId] = useState<string | null>(null);
  const [reasonFor, setReasonFor] = useState<{ target: MoveTarget; to: ApplicationStatus } | null>(null);
  const [hiring, setHiring] = useState<MoveTarget | null>(null);

  const changeNow = async (target: MoveTarget, to: ApplicationStatus) => {
    setMovingId(target.id);
    try {
      await change.mutateAsync({ id: target.id, body: { to, expectedStatus: target.status } });
      toast.success(t('hiring.moved', { name: target.name, status: statusLabel(t, to) }));
    } catch (error) {
      const stale = isApiError(error) && error.status === 409;
      toast.error(
        t(stale ? 'hiring.moveFailedRefreshed' : 'hiring.moveFailed', { name: target.name, reason: message(error) }),
      );
    } finally {
      setMovingId(null);
    }
  };

  const move = (target: MoveTarget, to: ApplicationStatus) => {
    if (to === target.status) return;
    if (to === 'hired') setHiring(target);
    else if (to === 'rejected') setReasonFor({ target, to });
    else void changeNow(target, to);
  };

  const dialogs = (
    <>
      {reasonFor ? (
        <ReasonDialog target={reasonFor.target} to={reasonFor.to} onClose={() => setReasonFor(null)} />
      ) : null}
      {hiring ? <HireDialog target={hiring} onClose={() => setHiring(null)} /> : null}
    </>
  );

  return { move, movingId, dialogs };
}
