// /knowledge/:id/history — every saved version (who saved it, when), newest first; choosing one shows its text
// as it was. For the article's editors.
//
// Stable selectors: [data-testid="kb-version"] (data-version) rows, [data-testid="kb-version-body"].
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useKnowledgeArticle, useKnowledgeVersion, useKnowledgeVersions } from '../../api/knowledge';
import { Button, LoadError, Loading } from '../../components/feedback';
import { useTitle } from '../../components/Layout';
import { useI18n } from '../../i18n/I18nProvider';
import './knowledge.css';

export function VersionsPage() {
  const { id = '' } = useParams();
  const { t, formatDateTime } = useI18n();
  const article = useKnowledgeArticle(id);
  const versions = useKnowledgeVersions(id);
  const [chosen, setChosen] = useState<number | null>(null);
  const version = useKnowledgeVersion(id, chosen);
  const title = article.data?.article.title ?? '';
  useTitle(t('kb.history.title', { title }));
  return (
    <div className="page kb-page" data-testid="kb-history">
      <p>
        <Link to={`/knowledge/${id}`}>← {title || t('kb.back')}</Link>
      </p>
      <h1>{t('kb.history.title', { title })}</h1>
      {versions.isPending ? (
        <Loading />
      ) : versions.isError ? (
        <LoadError error={versions.error} onRetry={() => void versions.refetch()} />
      ) : (
        <ol className="kb-versions">
          {versions.data.map((v, index) => (
            <li key={v.version} data-testid="kb-version" data-version={v.version}>
              <strong>{t('kb.history.version', { version: v.version })}</strong>
              {index === 0 ? <span className="kb-badge">{t('kb.history.current')}</span> : null} {v.title}{' '}
              <span className="muted">
                {v.savedBy?.name
                  ? t('kb.history.savedBy', { date: formatDateTime(v.savedAt), name: v.savedBy.name })
                  : t('kb.history.savedAt', { date: formatDateTime(v.savedAt) })}
              </span>{' '}
              <Button size="small" variant="ghost" onClick={() => setChosen(v.version)} aria-pressed={chosen === v.version}>
                {t('kb.history.show')}
              </Button>
            </li>
          ))}
        </ol>
      )}
      {chosen === null ? (
        <p className="muted">{t('kb.history.pick')}</p>
      ) : version.isPending ? (
        <Loading />
      ) : version.isError ? (
        <LoadError error={version.error} />
      ) : (
        <section className="card section">
          <h2>
            {t('kb.history.version', { version: version.data.version })}: {version.data.title}
          </h2>
          {/* Sanitized on the server before it was stored. */}
          <div className="kb-body" data-testid="kb-version-body" dangerouslySetInnerHTML={{ __html: version.data.bodyHtml }} />
        </section>
      )}
    </div>
  );
}
