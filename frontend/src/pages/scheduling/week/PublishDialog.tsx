// Publishing a week: who will get a mail with their own old → new shifts (the server's preview), then publish
// as of the version on screen. When someone changed the week in between, the server refuses (409
// `week_changed`): the grid and the preview reload and the manager looks again. A week with shifts in a locked
// hours period (their hours were exported) is refused with 409 `period_locked` until the manager gives a reason:
// the dialog then asks for one and publishes again with it.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { refreshSchedule, usePublish, usePublishPreview } from '../../../api/schedule';
import type { WeekGrid } from '../../../api/schedulingTypes';
import { Alert, Button, LoadError, Loading } from '../../../components/feedback';
import { TextAreaField } from '../../../components/fields';
import { Modal } from '../../../components/Modal';
import { useToast } from '../../../components/toast';
import { useI18n } from '../../../i18n/I18nProvider';
import { isCode, weekErrorMessage, weekTitle } from './weekText';

export function PublishDialog({ grid, onClose }: { grid: WeekGrid; onClose: () => void }) {
  const i18n = useI18n();
  const { t, tp } = i18n;
  const toast = useToast();
  const preview = usePublishPreview(grid.week.id);
  const publish = usePublish();
  const notify = preview.data?.notify ?? [];
  const week = weekTitle(t, grid.week.isoWeek);
  // The preview may be newer than the grid on screen: the grid has been asked to reload (see the mutation).
  const behind = preview.data !== undefined && preview.data.week.version !== grid.week.version;
  const client = useQueryClient();
  const asked = useRef<string | null>(null);
  useEffect(() => {
    if (!behind || !preview.data) return;
    const pair = `${grid.week.version}/${preview.data.week.version}`;
    if (asked.current === pair) return;
    asked.current = pair;
    void refreshSchedule(client);
  }, [behind, client, grid.week.version, preview.data]);

  // Set once the server answered `period_locked`: from then on publishing sends the reason typed here.
  const [lockedReason, setLockedReason] = useState<string | null>(null);
  const [reasonTried, setReasonTried] = useState(false);
  useEffect(() => {
    if (isCode(publish.error, 'period_locked') && lockedReason === null) setLockedReason('');
  }, [publish.error, lockedReason]);
  const reason = lockedReason?.trim() ?? '';
  const reasonMissing = lockedReason !== null && reason === '';

  const confirm = () => {
    if (lockedReason !== null) {
      setReasonTried(true);
      if (reasonMissing) return;
    }
    publish.mutate(
      {
        weekId: grid.week.id,
        body: lockedReason !== null ? { expectedVersion: grid.week.version, reason } : { expectedVersion: grid.week.version },
      },
      {
        onSuccess: (result) => {
          toast.success(tp('week.publish.done', result.notified, { week }));
          onClose();
        },
      },
    );
  };

  return (
    <Modal
      title={grid.week.status === 'published' ? t('week.publish.titleChanges', { week }) : t('week.publish.title', { week })}
      onClose={publish.isPending ? () => undefined : onClose}
    >
      <div data-testid="publish-dialog" className="publish-dialog">
        {lockedReason !== null ? (
          <div className="publish-dialog__locked" data-testid="publish-locked">
            <Alert kind="info" title={t('publish.locked.title')}>
              <p>{t('publish.locked.explain')}</p>
            </Alert>
            <TextAreaField
              label={t('publish.locked.reason')}
              value={lockedReason}
              onValueChange={setLockedReason}
              maxLength={500}
              error={reasonTried && reasonMissing ? 'required' : undefined}
              data-autofocus
            />
          </div>
        ) : null}
        {publish.error && !isCode(publish.error, 'period_locked') ? (
          <Alert kind="error">
            {isCode(publish.error, 'week_changed') ? t('week.publish.changed') : weekErrorMessage(i18n, publish.error)}
          </Alert>
        ) : null}
        {behind ? <Alert kind="info">{t('week.publish.behind')}</Alert> : null}
        <p>{grid.week.status === 'published' ? t('week.publish.introChanges') : t('week.publish.intro')}</p>
        {preview.isPending ? (
          <Loading />
        ) : preview.isError ? (
          <LoadError error={preview.error} onRetry={() => void preview.refetch()} />
        ) : notify.length === 0 ? (
          <p className="muted">{t('week.publish.nobody')}</p>
        ) : (
          <>
            <p className="alert__title">{tp('week.publish.notify', notify.length)}</p>
            <ul className="notify-list">
              {notify.map((n) => (
                <li key={n.person.id} className="notify-person" data-testid="notify-person" data-user-id={n.person.id}>
                  <span className="notify-person__name">{n.person.name}</span>
                  <ul className="notify-person__changes">
                    {n.changes.map((change, i) => (
                      <li key={i}>{change}</li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          </>
        )}
        {/* Inside the dialog's test id (the browser test confirms within it), laid out as the dialog's footer. */}
        <div className="button-row publish-dialog__actions">
          <Button variant="secondary" onClick={onClose} disabled={publish.isPending}>
            {t('common.cancel')}
          </Button>
          <Button
            data-testid="confirm-publish"
            onClick={confirm}
            busy={publish.isPending}
            busyLabel={t('week.publish.publishing')}
            disabled={preview.isPending || preview.isError || behind}
          >
            {lockedReason !== null ? t('publish.locked.confirm') : t('week.publish.confirm')}
          </Button>
        </div>
      </div>
    </Modal>
  );
}
