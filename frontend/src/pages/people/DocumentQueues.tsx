// The staff home's document queues for reviewers: what awaits review (oldest first) and what expires soon
// (soonest first). Each row leads to the person's page.
import { useId, useState } from 'react';
import { Link } from 'react-router';
import { EXPIRING_WITHIN_DAYS, useExpiringDocuments, useReviewQueue } from '../../api/queries';
import type { QueuedDocument } from '../../api/types';
import { Button, LoadError, Loading } from '../../components/feedback';
import { useI18n } from '../../i18n/I18nProvider';
import { isExpired, kindLabel } from './documentText';
import { personPath } from './PersonPage';

/** Rows shown before "Show all": the queues can hold hundreds of documents. */
const FIRST_ROWS = 10;

export function DocumentQueues() {
  const { t, formatDate } = useI18n();
  const review = useReviewQueue();
  const expiring = useExpiringDocuments(EXPIRING_WITHIN_DAYS);
  const days = EXPIRING_WITHIN_DAYS;
  return (
    <div className="grid grid--2">
      <QueueCard
        id="review-queue"
        title={t('queue.review.title')}
        empty={t('queue.review.empty')}
        query={review}
        detail={(item) => t('queue.uploadedOn', { date: formatDate(item.document.uploadedAt) })}
      />
      <QueueCard
        id="expiring-documents"
        title={t('queue.expiring.title', { days })}
        empty={t('queue.expiring.empty', { days })}
        query={expiring}
        detail={(item) => t('queue.expiresOn', { date: formatDate(item.document.expiresOn) })}
      />
    </div>
  );
}

interface QueueQuery {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  data: QueuedDocument[] | undefined;
  refetch: () => unknown;
}

function QueueCard({
  id,
  title,
  empty,
  query,
  detail,
}: {
  id: string;
  title: string;
  empty: string;
  query: QueueQuery;
  detail: (item: QueuedDocument) => string;
}) {
  const { t } = useI18n();
  const titleId = useId();
  const [showAll, setShowAll] = useState(false);
  const items = query.data ?? [];
  const shown = showAll ? items : items.slice(0, FIRST_ROWS);
  return (
    <section className="card queue" id={id} aria-labelledby={titleId}>
      <h2 id={titleId}>
        {title}
        {query.data && items.length > 0 ? <span className="badge badge--count">{items.length}</span> : null}
      </h2>
      {query.isPending ? (
        <Loading />
      ) : query.isError ? (
        <LoadError error={query.error} onRetry={() => void query.refetch()} />
      ) : items.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <>
          <ul className="queue-list">
            {shown.map((item) => (
              <li key={item.document.id}>
                <Link
                  to={personPath(item.document.ownerId)}
                  className="queue-list__link"
                  data-owner={item.document.ownerId}
                >
                  <span className="queue-list__name">{item.ownerName}</span>
                  <span className="queue-list__detail">
                    {kindLabel(t, item.document.kind)} · {detail(item)}
                    {isExpired(item.document) ? (
                      <span className="badge badge--expired">{t('documents.expired')}</span>
                    ) : null}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
          {items.length > FIRST_ROWS ? (
            <div className="load-more">
              <Button variant="secondary" size="small" onClick={() => setShowAll((v) => !v)}>
                {showAll ? t('queue.showFewer') : t('queue.showAll', { count: items.length })}
              </Button>
            </div>
          ) : null}
        </>
      )}
    </section>
  );
}
