// Pieces shared by the open shifts, my requests (the swap screen), the offer/swap dialog and the managers' inbox
// section: a shift as a small block, two shifts side by side, the status badge, who decided, and the dialog that
// asks before taking a shift.
import type { ReactNode } from 'react';
import type { RequestShift, RequestStatus, ShiftRequestItem } from '../../api/shiftRequestTypes';
import { Alert, Button } from '../../components/feedback';
import { Modal } from '../../components/Modal';
import { endsNextDay, shiftWhen, statusName, useRequestText } from './requestText';

/** "+1 day" next to a time that ends after midnight. */
export function NextDayMark() {
  const { tp } = useRequestText();
  return (
    <span className="self-card__later" title={tp('mySchedule.endsLaterHint', 1)}>
      <span aria-hidden="true">{tp('mySchedule.endsLater', 1)}</span>
      <span className="visually-hidden">{tp('mySchedule.endsLaterHint', 1)}</span>
    </span>
  );
}

/** One shift: an optional caption ("You give", a person's name), the day and time, the position and venue. */
export function ShiftBlock({
  shift,
  caption,
  venue,
  testId,
}: {
  shift: RequestShift;
  caption?: ReactNode;
  venue?: string;
  testId?: string;
}) {
  const { locale } = useRequestText();
  return (
    <div className="req-shift" data-testid={testId} data-shift-id={shift.shiftId}>
      {caption ? <p className="req-shift__caption">{caption}</p> : null}
      <p className="req-shift__time">
        <span>{shiftWhen(locale, shift)}</span>
        {endsNextDay(shift) ? <NextDayMark /> : null}
      </p>
      <p className="req-shift__what">{venue ? `${shift.positionName} · ${venue}` : shift.positionName}</p>
    </div>
  );
}

/** Two shifts side by side (stacked on narrow phones) with the swap sign between them. */
export function ShiftPair({ left, right }: { left: ReactNode; right: ReactNode }) {
  const { rt } = useRequestText();
  return (
    <div className="req-pair">
      {left}
      <span className="req-pair__sign" aria-hidden="true">
        ⇄
      </span>
      <span className="visually-hidden">{rt('sr.swapSign')}</span>
      {right}
    </div>
  );
}

export function RequestStatusBadge({ status }: { status: RequestStatus }) {
  const text = useRequestText();
  return (
    <span className={`badge badge--req-${status}`} data-testid="request-status">
      {statusName(text, status)}
    </span>
  );
}

/** "Approved by Eva Mulder, Dec 3, 2026, 10:00" and the reason, for a request that was decided or answered. */
export function DecisionLine({ request }: { request: ShiftRequestItem }) {
  const { rt, formatDateTime } = useRequestText();
  const time = formatDateTime(request.decidedAt);
  const name = request.decidedBy?.name ?? null;
  let text: string | null = null;
  if (request.decidedAt) {
    switch (request.status) {
      case 'approved':
        text = name ? rt('sr.decided.approvedBy', { name, time }) : rt('sr.decided.approved', { time });
        break;
      case 'denied':
        text = name ? rt('sr.decided.deniedBy', { name, time }) : rt('sr.decided.denied', { time });
        break;
      case 'declined':
        text = rt('sr.decided.declined', { time });
        break;
      case 'withdrawn':
        text = rt('sr.decided.withdrawn', { time });
        break;
      default:
        break;
    }
  }
  return (
    <>
      {text ? <p className="small req-decision">{text}</p> : null}
      {request.reason ? <p className="small self-card__reason">{rt('sr.reason', { reason: request.reason })}</p> : null}
    </>
  );
}

/**
 * "Take this shift?" before claiming an open place or taking a colleague's offered shift: both end with the shift
 * in my week (at once, or after a manager's approval), so they ask first.
 */
export function TakeShiftDialog({
  shift,
  venue,
  offeredBy,
  needsApproval,
  busy,
  error,
  onConfirm,
  onCancel,
}: {
  shift: RequestShift;
  venue: string;
  /** The colleague whose offer this is, or null for an open place. */
  offeredBy: string | null;
  /** Null when not known here (the answer says whether a manager approves first). */
  needsApproval: boolean | null;
  busy: boolean;
  error?: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { rt, t } = useRequestText();
  return (
    <Modal
      title={offeredBy ? rt('sr.take.titleOffer', { name: offeredBy }) : rt('sr.take.titleClaim')}
      onClose={busy ? () => undefined : onCancel}
      role="alertdialog"
      size="small"
      footer={
        <>
          <Button variant="secondary" onClick={onCancel} disabled={busy}>
            {t('common.cancel')}
          </Button>
          <Button onClick={onConfirm} busy={busy} data-autofocus data-testid="take-confirm">
            {offeredBy ? rt('sr.take.confirmOffer') : rt('sr.take.confirmClaim')}
          </Button>
        </>
      }
    >
      <div className="self-form" data-testid="take-dialog">
        <ShiftBlock shift={shift} venue={venue} />
        <p className="small">
          {needsApproval === null
            ? rt('sr.take.maybeApproval')
            : needsApproval
              ? rt('sr.take.needsApproval')
              : rt('sr.take.direct')}
        </p>
        {error ? <Alert kind="error">{error}</Alert> : null}
      </div>
    </Modal>
  );
}
