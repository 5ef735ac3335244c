// The latest counts below the counting form: crew members see their own submissions (the server shows them
// nothing else), staff the venue's; each with its difference and whether it was approved or disputed.
//
// Stable selectors: [data-testid="cash-recent"] with [data-testid="cash-recent-count"] rows.
import { useCashCounts } from '../../api/cash';
import { useI18n } from '../../i18n/I18nProvider';
import { formatEuro } from './cashMoney';
import { Difference } from './Difference';

const SHOWN = 5;

export function RecentCounts({ venueId }: { venueId: string }) {
  const { t, locale, formatDate } = useI18n();
  const counts = useCashCounts(venueId, '');
  const items = (counts.data?.items ?? []).slice(0, SHOWN);
  if (items.length === 0) return null;
  return (
    <section className="card cash-recent" data-testid="cash-recent" aria-labelledby="cash-recent-title">
      <h2 id="cash-recent-title">{t('cash.recent.title')}</h2>
      <ul className="cash-recent__list">
        {items.map((count) => (
          <li key={count.id} className="cash-recent__item" data-testid="cash-recent-count" data-state={count.state}>
            <span>
              <strong>{t(`cash.type.${count.type}`)}</strong> · {formatDate(count.businessDate)}
            </span>
            <span>
              {formatEuro(count.countedCents, locale)} · <Difference cents={count.discrepancyCents} tolerance={count.toleranceCents} />
            </span>
            <span className={count.state === 'disputed' ? 'cash-state cash-state--disputed' : 'cash-state'}>
              {t(`cash.state.${count.state}`)}
              {count.decisionReason ? `: ${count.decisionReason}` : ''}
              {count.effective ? '' : ` · ${t('cash.recent.corrected')}`}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
