// Dialogs that need a reason: an override of the rules, a change to a shift of a published week that has
// already started (the server answers 409 `shift_in_past`; a manager sends it again with a reason), and the
// confirmation of a removal that turns into such a question when needed.
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { Alert, Button } from '../../../components/feedback';
import { ConfirmDialog, Modal } from '../../../components/Modal';
import { useI18n } from '../../../i18n/I18nProvider';
import { crewFieldMessage } from '../../crew/crewText';
import { Field } from '../../crew/ui';
import { isCode } from './weekText';

/** The longest reason the server keeps. */
export const REASON_MAX = 500;

export function checkReason(text: string): 'required' | 'too_long' | null {
  const value = text.trim();
  if (value === '') return 'required';
  return [...value].length > REASON_MAX ? 'too_long' : null;
}

export function ReasonDialog({
  title,
  label,
  hint,
  confirmLabel,
  busy,
  error,
  fieldError,
  danger,
  children,
  onSubmit,
  onCancel,
}: {
  title: ReactNode;
  label: string;
  hint?: string;
  confirmLabel: string;
  busy: boolean;
  /** Translated banner text. */
  error?: string | null;
  /** Translated error of the reason from the server. */
  fieldError?: string | undefined;
  danger?: boolean;
  children?: ReactNode;
  onSubmit: (reason: string) => void;
  onCancel: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const formId = useId();
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const code = checkReason(text);
    if (code) {
      setProblem(crewFieldMessage(i18n, code, 'reason'));
      return;
    }
    onSubmit(text.trim());
  };

  return (
    <Modal
      title={title}
      onClose={busy ? () => undefined : onCancel}
      size="small"
      footer={
        <>
          <Button variant="secondary" onClick={onCancel} disabled={busy}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" form={formId} variant={danger ? 'danger' : 'primary'} busy={busy} busyLabel={t('common.saving')}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      <form id={formId} className="form week-reason-form" onSubmit={submit} noValidate>
        {children}
        {error ? <Alert kind="error">{error}</Alert> : null}
        <Field label={label} hint={hint ?? t('week.reasonHint')} error={problem ?? fieldError}>
          {(props) => (
            <textarea
              {...props}
              className="input input--textarea"
              rows={3}
              data-autofocus
              value={text}
              onChange={(e) => {
                setText(e.target.value);
                setProblem(undefined);
              }}
            />
          )}
        </Field>
      </form>
    </Modal>
  );
}

/**
 * "Are you sure?" for a removal. When the server answers that the shift has started, a manager is asked for a
 * reason and the removal is sent again with it; anyone else is told that only a manager can.
 */
export function ConfirmChange({
  title,
  message,
  confirmLabel,
  canGiveReason,
  askReasonFirst = false,
  run,
  errorText,
  onDone,
  onCancel,
}: {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  canGiveReason: boolean;
  /** The server already said the shift has started: go straight to the reason. */
  askReasonFirst?: boolean;
  run: (reason?: string) => Promise<unknown>;
  errorText: (error: unknown) => string;
  onDone: () => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [needsReason, setNeedsReason] = useState(askReasonFirst);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const go = async (reason?: string) => {
    setBusy(true);
    setError(null);
    try {
      await run(reason);
      onDone();
    } catch (e) {
      if (isCode(e, 'shift_in_past') && canGiveReason && !reason) setNeedsReason(true);
      else setError(e);
    } finally {
      setBusy(false);
    }
  };
  const banner = error
    ? isCode(error, 'shift_in_past') && !canGiveReason
      ? t('week.past.managerOnly')
      : errorText(error)
    : null;

  if (needsReason) {
    return (
      <ReasonDialog
        title={t('week.past.title')}
        label={t('week.past.reason')}
        confirmLabel={confirmLabel}
        busy={busy}
        error={banner}
        danger
        onSubmit={(reason) => void go(reason)}
        onCancel={onCancel}
      >
        <p>{t('week.past.intro')}</p>
        <p className="muted">{message}</p>
      </ReasonDialog>
    );
  }
  return (
    <ConfirmDialog
      title={title}
      message={message}
      confirmLabel={confirmLabel}
      busy={busy}
      busyLabel={t('common.saving')}
      danger
      error={banner}
      onConfirm={() => void go()}
      onCancel={onCancel}
    />
  );
}
