// The manager's view of a must-read article (knowledge.confirmations): how many of the audience confirmed,
// who has not yet (names first — that is what a manager acts on), and who did. Refreshes every 15 s.
//
// Stable selectors: [data-testid="kb-read-status"], [data-testid="kb-pending"] and [data-testid="kb-confirmed-readers"]
// lists whose items carry data-user-id; [data-testid="kb-read-summary"] the count line.
import { useReadStatus } from '../../api/knowledge';
import type { KnowledgeReader } from '../../api/knowledgeTypes';
import { LoadError, Loading } from '../../components/feedback';
import { useI18n } from '../../i18n/I18nProvider';

export function ReadStatusPanel({ articleId }: { articleId: string }) {
  const { t } = useI18n();
  const status = useReadStatus(articleId, true);
  return (
    <section className="section card kb-read-status" data-testid="kb-read-status">
      <h2>{t('kb.readStatus.title')}</h2>
      {status.isPending ? (
        <Loading />
      ) : status.isError ? (
        <LoadError error={status.error} onRetry={() => void status.refetch()} />
      ) : (
        <>
          <p className="kb-read-status__summary" data-testid="kb-read-summary">
            {t('kb.readStatus.summary', {
              confirmed: status.data.confirmedCount,
              total: status.data.confirmedCount + status.data.pendingCount,
            })}
          </p>
          <h3>{t('kb.readStatus.pending')}</h3>
          {status.data.pending.length === 0 ? (
            <p className="muted">{t('kb.readStatus.nobodyPending')}</p>
          ) : (
            <Readers readers={status.data.pending} testId="kb-pending" />
          )}
          <h3>{t('kb.readStatus.confirmed')}</h3>
          {status.data.confirmed.length === 0 ? (
            <p className="muted">{t('kb.readStatus.none')}</p>
          ) : (
            <Readers readers={status.data.confirmed} testId="kb-confirmed-readers" />
          )}
        </>
      )}
    </section>
  );
}

function Readers({ readers, testId }: { readers: KnowledgeReader[]; testId: string }) {
  const { t, formatDateTime } = useI18n();
  return (
    <ul className="kb-readers" data-testid={testId}>
      {readers.map((reader) => (
        <li key={reader.id} data-user-id={reader.id}>
          <span>{reader.name}</span>
          {reader.confirmation ? (
            <span className="muted">
              {' '}
              {testId === 'kb-pending'
                ? t('kb.readStatus.olderVersion', { version: reader.confirmation.version })
                : t('kb.readStatus.at', { date: formatDateTime(reader.confirmation.confirmedAt) })}
            </span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
