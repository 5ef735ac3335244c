// Pieces of a time-off request shared by the crew's own list and the managers' inbox: the status badge and who
// decided when, with the reason.
import type { TimeOff, TimeOffStatus } from '../../api/selfServiceTypes';
import { useI18n } from '../../i18n/I18nProvider';
import { statusLabel } from './selfText';

export function StatusBadge({ status }: { status: TimeOffStatus }) {
  const { t } = useI18n();
  return <span className={`badge badge--timeoff-${status}`}>{statusLabel(t, status)}</span>;
}

/** "Approved by Eva Mulder, 3 Dec 2026, 10:00" and the reason, for a decided request. */
export function DecisionText({ request }: { request: TimeOff }) {
  const { t, formatDateTime } = useI18n();
  const time = formatDateTime(request.decidedAt);
  const name = request.decidedBy?.name;
  let text: string | null = null;
  if (request.status === 'approved' || request.status === 'denied') {
    text = name ? t(`timeOff.decided.${request.status}`, { name, time }) : t(`timeOff.decidedAt.${request.status}`, { time });
  } else if (request.status === 'cancelled' && request.decidedAt) {
    text = t('timeOff.decided.cancelled', { time });
  }
  return (
    <>
      {text ? <p className="small self-card__decision">{text}</p> : null}
      {request.reason ? <p className="small self-card__reason">{t('timeOff.reason', { reason: request.reason })}</p> : null}
    </>
  );
}
