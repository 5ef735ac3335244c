// /knowledge/:id — one article, phone first: title, badges, the sanitized body (the server allows formatting,
// links and images from /api/knowledge/images only), and for must-read articles the confirm button (or when I
// confirmed). Editors also get edit, publish / back to draft, history and delete; managers see who has read it.
//
// Stable selectors: [data-testid="kb-body"], [data-testid="kb-confirm"] the button, [data-testid="kb-confirmed"]
// the thank-you line, [data-testid="kb-publish"], [data-testid="kb-edit"].
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useConfirmRead, useDeleteArticle, useKnowledgeArticle, usePublish, useUnpublish } from '../../api/knowledge';
import { isApiError } from '../../api/client';
import { Alert, Button, LoadError, Loading } from '../../components/feedback';
import { useTitle } from '../../components/Layout';
import { Modal } from '../../components/Modal';
import { useToast } from '../../components/toast';
import { useI18n } from '../../i18n/I18nProvider';
import { Badges } from './KnowledgePage';
import { ReadStatusPanel } from './ReadStatusPanel';
import type { KnowledgeArticle } from '../../api/knowledgeTypes';
import './knowledge.css';

export function ArticlePage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const article = useKnowledgeArticle(id);
  useTitle(article.data?.article.title ?? t('kb.title'));
  return (
    <div className="page kb-page kb-article" data-testid="kb-article-page">
      <p>
        <Link to="/knowledge">← {t('kb.back')}</Link>
      </p>
      {article.isPending ? (
        <Loading />
      ) : article.isError ? (
        isApiError(article.error) && article.error.status === 404 ? (
          <Alert>{t('kb.notFound')}</Alert>
        ) : (
          <LoadError error={article.error} onRetry={() => void article.refetch()} />
        )
      ) : (
        <ArticleView data={article.data} />
      )}
    </div>
  );
}

function ArticleView({ data }: { data: KnowledgeArticle }) {
  const { t, formatDate } = useI18n();
  const summary = data.article;
  return (
    <article>
      <header className="kb-article__header">
        <h1>{summary.title}</h1>
        <Badges article={summary} />
        <p className="muted kb-list__meta">
          {summary.updatedBy?.name
            ? t('kb.updatedBy', { date: formatDate(summary.updatedAt), name: summary.updatedBy.name })
            : t('kb.updated', { date: formatDate(summary.updatedAt) })}
        </p>
      </header>
      {data.canEdit ? <EditorActions data={data} /> : null}
      {/* Sanitized on the server (domain::richtext::sanitize_article) before it was stored. */}
      <div className="kb-body" data-testid="kb-body" dangerouslySetInnerHTML={{ __html: data.bodyHtml }} />
      {summary.mustRead && summary.state === 'published' ? <Confirmation data={data} /> : null}
      {data.canViewReadStatus && summary.mustRead && summary.state === 'published' ? (
        <ReadStatusPanel articleId={summary.id} />
      ) : null}
    </article>
  );
}

function Confirmation({ data }: { data: KnowledgeArticle }) {
  const { t, formatDateTime, errorMessage } = useI18n();
  const confirm = useConfirmRead(data.article.id);
  const toast = useToast();
  if (!data.needsMyConfirmation) {
    return data.myConfirmation ? (
      <p className="kb-confirmed" data-testid="kb-confirmed">
        {t('kb.confirm.done', {
          version: data.myConfirmation.version,
          date: formatDateTime(data.myConfirmation.confirmedAt),
        })}
      </p>
    ) : null;
  }
  const changed = isApiError(confirm.error) && confirm.error.code === 'version_conflict';
  return (
    <div className="kb-confirm card">
      <p>{t('kb.confirm.ask')}</p>
      {confirm.error ? <Alert>{changed ? t('kb.confirm.changed') : errorMessage(confirm.error)}</Alert> : null}
      <Button
        className="button--block"
        busy={confirm.isPending}
        busyLabel={t('kb.confirm.busy')}
        onClick={() => confirm.mutate(data.article.version, { onSuccess: () => toast.success(t('kb.confirm.toast')) })}
        data-testid="kb-confirm"
      >
        {t('kb.confirm.button')}
      </Button>
    </div>
  );
}

function EditorActions({ data }: { data: KnowledgeArticle }) {
  const { t, errorMessage } = useI18n();
  const id = data.article.id;
  const publish = usePublish(id);
  const unpublish = useUnpublish(id);
  const remove = useDeleteArticle(id);
  const toast = useToast();
  const navigate = useNavigate();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const failed = (error: unknown) => toast.error(t('kb.failed', { reason: errorMessage(error) }));
  return (
    <div className="button-row kb-actions">
      <Link className="button button--secondary button--small" to={`/knowledge/${id}/edit`} data-testid="kb-edit">
        {t('kb.edit')}
      </Link>
      {data.article.state === 'draft' ? (
        <Button
          size="small"
          busy={publish.isPending}
          busyLabel={t('kb.publishing')}
          onClick={() => publish.mutate(false, { onSuccess: () => toast.success(t('kb.published')), onError: failed })}
          data-testid="kb-publish"
        >
          {t('kb.publish')}
        </Button>
      ) : (
        <Button
          size="small"
          variant="secondary"
          busy={unpublish.isPending}
          onClick={() => unpublish.mutate(undefined, { onSuccess: () => toast.success(t('kb.unpublished')), onError: failed })}
        >
          {t('kb.unpublish')}
        </Button>
      )}
      <Link className="button button--ghost button--small" to={`/knowledge/${id}/history`}>
        {t('kb.versions')}
      </Link>
      <Button size="small" variant="danger" onClick={() => setConfirmDelete(true)}>
        {t('kb.delete')}
      </Button>
      {confirmDelete ? (
        <Modal title={t('kb.deleteTitle')} onClose={() => setConfirmDelete(false)}>
          <p>{t('kb.deleteConfirm', { title: data.article.title })}</p>
          <div className="button-row">
            <Button variant="secondary" onClick={() => setConfirmDelete(false)}>
              {t('common.cancel')}
            </Button>
            <Button
              variant="danger"
              busy={remove.isPending}
              onClick={() =>
                remove.mutate(undefined, {
                  onSuccess: () => {
                    toast.success(t('kb.deleted'));
                    void navigate('/knowledge');
                  },
                  onError: failed,
                })
              }
            >
              {t('kb.delete')}
            </Button>
          </div>
        </Modal>
      ) : null}
    </div>
  );
}
