// /cash/approvals — counts awaiting a decision at the chosen venue (managers, administrators): each with its
// figures, the difference highlighted when beyond the tolerance, the receipt, and Approve / Dispute (a dispute
// needs a reason). Decisions are final; the server answers 409 when someone else decided first.
//
// Stable selectors: [data-testid="cash-approvals"], [data-testid="cash-approval"] (data-count-id),
// [data-testid="cash-approve"], [data-testid="cash-dispute"], [data-testid="cash-dispute-reason"].
import { useId, useState } from 'react';
import { cashEndpoints, useCashCounts, useDecideCount } from '../../api/cash';
import type { CashCount } from '../../api/cashTypes';
import { Button, FormError, LoadError, Loading } from '../../components/feedback';
import { useToast } from '../../components/toast';
import { useI18n } from '../../i18n/I18nProvider';
import { CashFrame, type CashVenue } from './CashFrame';
import { formatEuro } from './cashMoney';
import { Difference } from './Difference';

export function CashApprovalsPage() {
  const { t } = useI18n();
  return <CashFrame title={t('cash.approvals.title')}>{(venue) => <Approvals venue={venue} />}</CashFrame>;
}

function Approvals({ venue }: { venue: CashVenue }) {
  const { t } = useI18n();
  const counts = useCashCounts(venue.id, 'submitted');
  if (counts.isPending) return <Loading />;
  if (counts.isError) return <LoadError error={counts.error} onRetry={() => void counts.refetch()} />;
  const waiting = counts.data.items.filter((c) => c.canDecide);
  return (
    <div data-testid="cash-approvals">
      {waiting.length === 0 ? <p className="card">{t('cash.approvals.none')}</p> : null}
      <ul className="cash-cards">
        {waiting.map((count) => (
          <ApprovalCard key={count.id} count={count} />
        ))}
      </ul>
    </div>
  );
}

export function CountFigures({ count }: { count: CashCount }) {
  const { t, locale } = useI18n();
  return (
    <dl className="cash-figures">
      <div>
        <dt>{t('cash.total')}</dt>
        <dd>{formatEuro(count.countedCents, locale)}</dd>
      </div>
      <div>
        <dt>{t('cash.expected')}</dt>
        <dd>{formatEuro(count.expectedCents, locale)}</dd>
      </div>
      <div>
        <dt>{t('cash.discrepancy')}</dt>
        <dd>
          <Difference cents={count.discrepancyCents} tolerance={count.toleranceCents} testId="cash-approval-discrepancy" />
        </dd>
      </div>
      {count.cashTakingsCents != null ? (
        <div>
          <dt>{t('cash.cashTakings')}</dt>
          <dd>{formatEuro(count.cashTakingsCents, locale)}</dd>
        </div>
      ) : null}
      {count.cardTotalCents != null ? (
        <div>
          <dt>{t('cash.cardTotal')}</dt>
          <dd>{formatEuro(count.cardTotalCents, locale)}</dd>
        </div>
      ) : null}
    </dl>
  );
}

function ApprovalCard({ count }: { count: CashCount }) {
  const { t, formatDate, formatDateTime } = useI18n();
  const toast = useToast();
  const decide = useDecideCount();
  const [disputing, setDisputing] = useState(false);
  const [reason, setReason] = useState('');
  const reasonId = useId();
  const approve = () =>
    decide.mutate({ id: count.id, decision: 'approve' }, { onSuccess: () => toast.success(t('cash.approved')) });
  const dispute = () =>
    decide.mutate(
      { id: count.id, decision: 'dispute', reason },
      { onSuccess: () => toast.success(t('cash.disputed')) },
    );
  return (
    <li
      className={count.overTolerance ? 'card cash-card cash-card--flagged' : 'card cash-card'}
      data-testid="cash-approval"
      data-count-id={count.id}
    >
      <header className="cash-card__head">
        <strong>
          {t(`cash.type.${count.type}`)} · {formatDate(count.businessDate)}
        </strong>
        <span className="muted">
          {t('cash.countedBy', { name: count.countedBy.name ?? t('cash.someone') })} · {formatDateTime(count.countedAt)}
        </span>
      </header>
      <CountFigures count={count} />
      {count.note ? <p className="cash-card__note">{count.note}</p> : null}
      {count.receipt ? (
        <a href={cashEndpoints.receiptUrl(count.id)} className="cash-card__receipt" target="_blank" rel="noreferrer">
          {t('cash.receipt.view')}
        </a>
      ) : null}
      {decide.error ? <FormError error={decide.error} /> : null}
      {disputing ? (
        <div className="field">
          <label className="field__label" htmlFor={reasonId}>
            {t('cash.dispute.reason')}
          </label>
          <textarea
            id={reasonId}
            className="input"
            rows={2}
            value={reason}
            maxLength={500}
            onChange={(e) => setReason(e.target.value)}
            data-testid="cash-dispute-reason"
          />
        </div>
      ) : null}
      <div className="button-row">
        {disputing ? (
          <Button variant="danger" busy={decide.isPending} disabled={reason.trim() === ''} onClick={dispute} data-testid="cash-dispute-confirm">
            {t('cash.dispute.confirm')}
          </Button>
        ) : (
          <>
            <Button busy={decide.isPending} onClick={approve} data-testid="cash-approve">
              {t('cash.approve')}
            </Button>
            <Button variant="secondary" onClick={() => setDisputing(true)} data-testid="cash-dispute">
              {t('cash.dispute')}
            </Button>
          </>
        )}
      </div>
    </li>
  );
}
