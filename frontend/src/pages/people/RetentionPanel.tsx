// The retention status of a person (`retention.hold`): when the automatic erasure of a rejected or withdrawn
// applicant will happen, or the hold that stops it (since when, by whom, why), with "Put on hold" (a reason of
// 1–300 characters) and "Remove hold". A person out of the caller's sight (403/404) shows nothing.
//
// Stable selectors: [data-testid="retention"] with data-state = erases | hold | none.
import { useId, useState } from 'react';
import { isApiError } from '../../api/client';
import { useRetention, useSetRetentionHold } from '../../api/retention';
import { HOLD_REASON_MAX } from '../../api/retentionTypes';
import { Alert, Button, LoadError, Loading } from '../../components/feedback';
import { TextAreaField } from '../../components/fields';
import { ConfirmDialog, Modal } from '../../components/Modal';
import { useToast } from '../../components/toast';
import { useI18n } from '../../i18n/I18nProvider';

export function RetentionPanel({ personId, personName }: { personId: string; personName: string }) {
  const { t, formatDate, formatDateTime, errorMessage } = useI18n();
  const toast = useToast();
  const status = useRetention(personId);
  const change = useSetRetentionHold(personId);
  const headingId = useId();
  const [dialog, setDialog] = useState<'hold' | 'release' | null>(null);
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);

  if (status.isError && isApiError(status.error) && (status.error.status === 404 || status.error.status === 403)) return null;

  const trimmed = reason.trim();
  const reasonProblem = trimmed === '' ? 'required' : trimmed.length > HOLD_REASON_MAX ? 'too_long' : null;
  const serverReasonProblem = isApiError(change.error) ? change.error.fields.reason : undefined;
  const open = (which: 'hold' | 'release') => {
    change.reset();
    setReason('');
    setTried(false);
    setDialog(which);
  };
  const hold = () => {
    setTried(true);
    if (reasonProblem) return;
    change.mutate(trimmed, {
      onSuccess: () => {
        setDialog(null);
        toast.success(t('retention.held', { name: personName }));
      },
    });
  };
  const release = () =>
    change.mutate(null, {
      onSuccess: () => {
        setDialog(null);
        toast.success(t('retention.released', { name: personName }));
      },
    });

  const data = status.data;
  const state = data ? (data.hold ? 'hold' : data.erasesAfter ? 'erases' : 'none') : undefined;
  return (
    <section className="card" aria-labelledby={headingId} data-testid="retention" data-state={state}>
      <h2 id={headingId}>{t('retention.title')}</h2>
      {status.isPending ? (
        <Loading />
      ) : !data ? (
        <LoadError error={status.error} onRetry={() => void status.refetch()} />
      ) : data.hold ? (
        <>
          <p className="retention-status">
            {t('retention.onHold', {
              date: formatDateTime(data.hold.since),
              name: data.hold.by.name ?? t('retention.unknownPerson'),
            })}
          </p>
          <p className="break">
            <strong>{t('retention.reasonLabel')}:</strong> {data.hold.reason}
          </p>
          <Button variant="secondary" size="small" onClick={() => open('release')}>
            {t('retention.release')}
          </Button>
        </>
      ) : (
        <>
          <p className="retention-status">
            {data.erasesAfter ? t('retention.erasesAfter', { date: formatDate(data.erasesAfter) }) : t('retention.noRule')}
          </p>
          <Button variant="secondary" size="small" onClick={() => open('hold')}>
            {t('retention.hold')}
          </Button>
        </>
      )}
      {dialog === 'hold' ? (
        <Modal
          title={t('retention.holdTitle', { name: personName })}
          onClose={change.isPending ? () => undefined : () => setDialog(null)}
          footer={
            <>
              <Button variant="secondary" onClick={() => setDialog(null)} disabled={change.isPending}>
                {t('common.cancel')}
              </Button>
              <Button onClick={hold} busy={change.isPending} busyLabel={t('retention.holding')}>
                {t('retention.holdConfirm')}
              </Button>
            </>
          }
        >
          <div data-testid="hold-dialog">
            <p>{t('retention.holdExplain')}</p>
            {change.error && !serverReasonProblem ? <Alert kind="error">{errorMessage(change.error)}</Alert> : null}
            <TextAreaField
              label={t('retention.reasonLabel')}
              value={reason}
              onValueChange={setReason}
              hint={t('retention.holdReasonHint')}
              maxLength={HOLD_REASON_MAX}
              error={(tried ? (reasonProblem ?? undefined) : undefined) ?? serverReasonProblem}
              data-autofocus
            />
          </div>
        </Modal>
      ) : null}
      {dialog === 'release' ? (
        <ConfirmDialog
          title={t('retention.releaseTitle', { name: personName })}
          message={t('retention.releaseExplain')}
          confirmLabel={t('retention.release')}
          busy={change.isPending}
          error={change.error ? errorMessage(change.error) : undefined}
          onConfirm={release}
          onCancel={() => setDialog(null)}
        />
      ) : null}
    </section>
  );
}
