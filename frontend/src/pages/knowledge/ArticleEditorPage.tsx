// /knowledge/new and /knowledge/:id/edit — writing an article (knowledge.edit): title, venue (new articles;
// administrators may choose "all venues"), category, must-read, the TipTap editor (its own lazy chunk), and for
// a published must-read article "ask everybody to confirm again". Every save is a version; a stale save answers
// 409 `version_conflict` and the editor keeps the text so nothing is lost.
//
// Stable selectors: [data-testid="kb-title"], [data-testid="kb-location"], [data-testid="kb-must-read"],
// [data-testid="kb-reconfirm"], [data-testid="kb-save"].
import { lazy, Suspense, useId, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { isApiError } from '../../api/client';
import { knowledgeEndpoints, useKnowledgeArticle, useKnowledgeCategories, useSaveArticle } from '../../api/knowledge';
import type { KnowledgeArticle } from '../../api/knowledgeTypes';
import { useMe } from '../../api/queries';
import { Alert, Button, FormError, LoadError, Loading } from '../../components/feedback';
import { useTitle } from '../../components/Layout';
import { useToast } from '../../components/toast';
import { useI18n } from '../../i18n/I18nProvider';
import './knowledge.css';

const RichEditor = lazy(async () => ({ default: (await import('./RichEditor')).RichEditor }));

export function ArticleEditorPage() {
  const { id } = useParams();
  const { t } = useI18n();
  useTitle(id ? t('kb.editor.editTitle') : t('kb.editor.newTitle'));
  if (!id) return <Editor existing={null} />;
  return <ExistingEditor id={id} />;
}

function ExistingEditor({ id }: { id: string }) {
  const article = useKnowledgeArticle(id);
  if (article.isPending) return <Loading />;
  if (article.isError) return <LoadError error={article.error} onRetry={() => void article.refetch()} />;
  // A new key per loaded version: reloading after a conflict starts from the newest text.
  return <Editor key={article.data.article.version} existing={article.data} />;
}

function Editor({ existing }: { existing: KnowledgeArticle | null }) {
  const { t, fieldErrorMessage, errorMessage } = useI18n();
  const me = useMe().data ?? null;
  const categories = useKnowledgeCategories();
  const save = useSaveArticle();
  const toast = useToast();
  const navigate = useNavigate();
  const ids = { title: useId(), body: useId(), category: useId(), location: useId() };
  const summary = existing?.article;
  const [title, setTitle] = useState(summary?.title ?? '');
  const [bodyHtml, setBodyHtml] = useState(existing?.bodyHtml ?? '');
  const [categoryId, setCategoryId] = useState(summary?.categoryId ?? '');
  const [mustRead, setMustRead] = useState(summary?.mustRead ?? false);
  const [reconfirm, setReconfirm] = useState(false);
  const isAdmin = me?.role === 'administrator';
  const [locationId, setLocationId] = useState<string>(
    summary ? (summary.locationId ?? '') : (me?.locations[0]?.id ?? ''),
  );
  const location = summary ? (summary.locationId ?? null) : locationId || null;
  const fields = isApiError(save.error) ? save.error.fields : {};
  const conflict = isApiError(save.error) && save.error.code === 'version_conflict';
  const choosable = (categories.data ?? []).filter((c) => !c.locationId || c.locationId === location);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(
      {
        id: summary?.id ?? null,
        body: {
          expectedVersion: summary?.version ?? 0,
          title,
          bodyHtml,
          categoryId: categoryId || null,
          mustRead,
          requireReconfirmation: reconfirm,
          locationId: location,
        },
      },
      {
        onSuccess: (saved) => {
          toast.success(t('kb.editor.saved', { version: saved.article.version }));
          void navigate(`/knowledge/${saved.article.id}`);
        },
      },
    );
  };

  const fieldError = (name: string) =>
    fields[name] ? <p className="field__error">{fieldErrorMessage(fields[name])}</p> : null;

  return (
    <form className="page kb-page kb-edit" onSubmit={onSubmit} data-testid="kb-editor-page" noValidate>
      <p>
        <Link to={summary ? `/knowledge/${summary.id}` : '/knowledge'}>← {summary?.title ?? t('kb.back')}</Link>
      </p>
      <h1>{summary ? t('kb.editor.editTitle') : t('kb.editor.newTitle')}</h1>
      {conflict ? (
        <Alert>
          <p>{t('kb.editor.conflict', { version: fields.currentVersion ?? '?' })}</p>
          <Link to={`/knowledge/${summary?.id ?? ''}/edit`} reloadDocument>
            {t('kb.editor.reload')}
          </Link>
        </Alert>
      ) : (
        <FormError error={save.error} unmatched={Object.keys(fields).filter((f) => !['title', 'bodyHtml', 'categoryId', 'locationId'].includes(f))} />
      )}
      <div className="field">
        <label className="field__label" htmlFor={ids.title}>
          {t('kb.editor.title')}
        </label>
        <input id={ids.title} className="input" value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} data-testid="kb-title" />
        {fieldError('title')}
      </div>
      {summary ? null : (
        <div className="field">
          <label className="field__label" htmlFor={ids.location}>
            {t('kb.editor.location')}
          </label>
          <select id={ids.location} className="input" value={locationId} onChange={(e) => setLocationId(e.target.value)} data-testid="kb-location">
            {isAdmin ? <option value="">{t('kb.editor.groupWide')}</option> : null}
            {(me?.locations ?? []).map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
          {fieldError('locationId')}
        </div>
      )}
      <div className="field">
        <label className="field__label" htmlFor={ids.category}>
          {t('kb.editor.category')}
        </label>
        <select id={ids.category} className="input" value={categoryId} onChange={(e) => setCategoryId(e.target.value)}>
          <option value="">{t('kb.editor.noCategory')}</option>
          {choosable.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
        {fieldError('categoryId')}
      </div>
      <div className="field">
        <p className="field__label" id={ids.body}>
          {t('kb.editor.body')}
        </p>
        <Suspense fallback={<Loading label={t('kb.editor.loadingEditor')} />}>
          <RichEditor
            initialHtml={existing?.bodyHtml ?? ''}
            onChange={setBodyHtml}
            labelledBy={ids.body}
            uploadImage={async (file, onProgress) =>
              (await knowledgeEndpoints.uploadImage(file, location, onProgress)).url
            }
            onError={(error) => toast.error(t('kb.failed', { reason: errorMessage(error) }))}
          />
        </Suspense>
        {fieldError('bodyHtml')}
      </div>
      <label className="field field--check">
        <input type="checkbox" checked={mustRead} onChange={(e) => setMustRead(e.target.checked)} data-testid="kb-must-read" />{' '}
        {t('kb.editor.mustRead')}
      </label>
      {summary?.state === 'published' && mustRead ? (
        <label className="field field--check">
          <input type="checkbox" checked={reconfirm} onChange={(e) => setReconfirm(e.target.checked)} data-testid="kb-reconfirm" />{' '}
          {t('kb.editor.reconfirm')}
          <span className="field__hint">{t('kb.editor.reconfirmHint')}</span>
        </label>
      ) : null}
      <div className="button-row">
        <Button type="submit" busy={save.isPending} busyLabel={t('kb.editor.saving')} data-testid="kb-save">
          {t('kb.editor.save')}
        </Button>
      </div>
    </form>
  );
}
