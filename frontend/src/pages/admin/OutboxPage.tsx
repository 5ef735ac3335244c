import { useOutbox } from '../../api/queries';
import { Button, LoadError, Loading } from '../../components/feedback';
import { useTitle } from '../../components/Layout';
import { useI18n } from '../../i18n/I18nProvider';

export function OutboxPage() {
  const { t, formatDateTime } = useI18n();
  useTitle(t('outbox.title'));
  const outbox = useOutbox();
  const mails = outbox.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <div className="page page--wide">
      <header className="page__header">
        <h1>{t('outbox.title')}</h1>
        <p className="muted">{t('outbox.intro')}</p>
      </header>
      {outbox.isPending ? (
        <Loading />
      ) : outbox.isError ? (
        <LoadError error={outbox.error} onRetry={() => void outbox.refetch()} />
      ) : mails.length === 0 ? (
        <p className="card empty-state__lead">{t('outbox.empty')}</p>
      ) : (
        <>
          <ul className="mail-list">
            {mails.map((mail) => (
              <li key={mail.id} className="card mail">
                <div className="mail__head">
                  <h2 className="mail__subject">{mail.subject}</h2>
                  <span className={`badge badge--mail-${mail.status}`}>{t(`outbox.status.${mail.status}`)}</span>
                </div>
                <dl className="mail__meta">
                  <div>
                    <dt>{t('outbox.to')}</dt>
                    <dd className="break">{mail.to}</dd>
                  </div>
                  <div>
                    <dt>{t('outbox.created')}</dt>
                    <dd>
                      <time dateTime={mail.createdAt}>{formatDateTime(mail.createdAt)}</time>
                    </dd>
                  </div>
                  <div>
                    <dt>{t('outbox.sent')}</dt>
                    <dd>
                      {mail.sentAt ? (
                        <time dateTime={mail.sentAt}>{formatDateTime(mail.sentAt)}</time>
                      ) : (
                        t('outbox.notSent')
                      )}
                    </dd>
                  </div>
                </dl>
                <details className="mail__body">
                  <summary>{t('outbox.showBody')}</summary>
                  <pre>{mail.body}</pre>
                </details>
              </li>
            ))}
          </ul>
          {outbox.hasNextPage ? (
            <div className="load-more">
              <Button
                variant="secondary"
                busy={outbox.isFetchingNextPage}
                busyLabel={t('common.loading')}
                onClick={() => void outbox.fetchNextPage()}
              >
                {t('common.loadMore')}
              </Button>
            </div>
          ) : null}
        </>
      )}
    </div>
  );
}
