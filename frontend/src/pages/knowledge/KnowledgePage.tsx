// /knowledge — the knowledge base (knowledge.read): my must-read reminder, a search box (Dutch and English,
// web-search syntax; results with highlighted plain-text snippets), and every article I may read grouped by
// category. Managers also see drafts, add categories and start new articles. Phone first: one column.
//
// Stable selectors: [data-testid="kb-search"] the search input, [data-testid="kb-result"] a search result,
// [data-testid="kb-category"] (data-category-id) a group, [data-testid="kb-article"] (data-article-id) a row.
import { useId, useMemo, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useCreateCategory, useKnowledgeArticles, useKnowledgeCategories, useKnowledgeSearch } from '../../api/knowledge';
import {
  SEARCH_MAX_CHARS,
  snippetParts,
  type KnowledgeArticleSummary,
  type KnowledgeCategory,
} from '../../api/knowledgeTypes';
import { hasPermission } from '../../api/permissions';
import { useMe } from '../../api/queries';
import { Button, FormError, LoadError, Loading } from '../../components/feedback';
import { useTitle } from '../../components/Layout';
import { useToast } from '../../components/toast';
import { useI18n } from '../../i18n/I18nProvider';
import { MustReadBanner } from './MustReadBanner';
import './knowledge.css';

export function KnowledgePage() {
  const { t } = useI18n();
  useTitle(t('kb.title'));
  const me = useMe().data ?? null;
  const canEdit = hasPermission(me, 'knowledge.edit');
  const [typed, setTyped] = useState('');
  const [query, setQuery] = useState('');
  const searchId = useId();
  const tooLong = typed.trim().length > SEARCH_MAX_CHARS;

  const onSearch = (event: FormEvent) => {
    event.preventDefault();
    if (!tooLong) setQuery(typed.trim());
  };

  return (
    <div className="page kb-page" data-testid="knowledge">
      <header className="page__header page__header--actions">
        <div>
          <h1>{t('kb.title')}</h1>
          <p className="muted">{t('kb.intro')}</p>
        </div>
        {canEdit ? (
          <Link className="button button--primary" to="/knowledge/new" data-testid="kb-new">
            {t('kb.new')}
          </Link>
        ) : null}
      </header>
      <MustReadBanner />
      <form className="kb-search" role="search" onSubmit={onSearch}>
        <label className="field__label" htmlFor={searchId}>
          {t('kb.search')}
        </label>
        <div className="kb-search__row">
          <input
            id={searchId}
            className="input"
            type="search"
            value={typed}
            placeholder={t('kb.searchPlaceholder')}
            aria-describedby={`${searchId}-hint`}
            aria-invalid={tooLong || undefined}
            onChange={(event) => {
              setTyped(event.target.value);
              if (event.target.value.trim() === '') setQuery('');
            }}
            data-testid="kb-search"
          />
          <Button type="submit" disabled={tooLong}>
            {t('kb.search')}
          </Button>
        </div>
        <p className={tooLong ? 'field__error' : 'field__hint'} id={`${searchId}-hint`}>
          {tooLong ? t('kb.searchTooLong', { max: SEARCH_MAX_CHARS }) : t('kb.searchHint')}
        </p>
      </form>
      {query ? <SearchResults query={query} /> : <ArticlesByCategory canEdit={canEdit} />}
    </div>
  );
}

function SearchResults({ query }: { query: string }) {
  const { t, tp } = useI18n();
  const search = useKnowledgeSearch(query);
  if (search.isPending) return <Loading />;
  if (search.isError) return <LoadError error={search.error} onRetry={() => void search.refetch()} />;
  const items = search.data.items;
  return (
    <section className="section" aria-live="polite">
      <p className="muted">{items.length === 0 ? t('kb.searchNone', { query }) : tp('kb.results', items.length)}</p>
      <ul className="kb-list">
        {items.map((hit) => (
          <li key={hit.article.id} className="kb-list__item" data-testid="kb-result">
            <Link to={`/knowledge/${hit.article.id}`} className="kb-list__title">
              {hit.article.title}
            </Link>
            <Badges article={hit.article} />
            <p className="kb-snippet">
              {snippetParts(hit.snippet).map((part, index) =>
                part.hit ? <mark key={index}>{part.text}</mark> : <span key={index}>{part.text}</span>,
              )}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function Badges({ article }: { article: KnowledgeArticleSummary }) {
  const { t } = useI18n();
  return (
    <span className="kb-badges">
      {article.state === 'draft' ? <span className="kb-badge kb-badge--draft">{t('kb.draft')}</span> : null}
      {article.mustRead ? <span className="kb-badge kb-badge--must">{t('kb.mustRead')}</span> : null}
      {article.locationId ? null : <span className="kb-badge">{t('kb.groupWide')}</span>}
    </span>
  );
}

function ArticlesByCategory({ canEdit }: { canEdit: boolean }) {
  const { t, formatDate } = useI18n();
  const articles = useKnowledgeArticles();
  const categories = useKnowledgeCategories();
  const groups = useMemo(
    () => group(articles.data?.items ?? [], categories.data ?? []),
    [articles.data, categories.data],
  );
  if (articles.isPending || categories.isPending) return <Loading />;
  if (articles.isError) return <LoadError error={articles.error} onRetry={() => void articles.refetch()} />;
  if (categories.isError) return <LoadError error={categories.error} onRetry={() => void categories.refetch()} />;
  return (
    <>
      {groups.length === 0 ? <p className="card empty-state">{t('kb.empty')}</p> : null}
      {groups.map(({ category, items }) => (
        <section
          key={category?.id ?? 'none'}
          className="section kb-group"
          data-testid="kb-category"
          data-category-id={category?.id ?? ''}
        >
          <h2>{category?.name ?? t('kb.uncategorized')}</h2>
          <ul className="kb-list">
            {items.map((article) => (
              <li key={article.id} className="kb-list__item" data-testid="kb-article" data-article-id={article.id}>
                <Link to={`/knowledge/${article.id}`} className="kb-list__title">
                  {article.title}
                </Link>
                <Badges article={article} />
                <span className="muted kb-list__meta">{t('kb.updated', { date: formatDate(article.updatedAt) })}</span>
              </li>
            ))}
          </ul>
        </section>
      ))}
      {canEdit ? <NewCategory /> : null}
    </>
  );
}

/** Articles under their categories (in the categories' order), those without one last. */
function group(articles: KnowledgeArticleSummary[], categories: KnowledgeCategory[]) {
  const groups: { category: KnowledgeCategory | null; items: KnowledgeArticleSummary[] }[] = [];
  for (const category of categories) {
    const items = articles.filter((a) => a.categoryId === category.id);
    if (items.length > 0) groups.push({ category, items });
  }
  const known = new Set(categories.map((c) => c.id));
  const rest = articles.filter((a) => !a.categoryId || !known.has(a.categoryId));
  if (rest.length > 0) groups.push({ category: null, items: rest });
  return groups;
}

function NewCategory() {
  const { t } = useI18n();
  const me = useMe().data ?? null;
  const create = useCreateCategory();
  const toast = useToast();
  const [name, setName] = useState('');
  const id = useId();
  const location = me?.locations[0]?.id ?? null;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { locationId: location, name },
      {
        onSuccess: (category) => {
          toast.success(t('kb.categoryAdded', { name: category.name }));
          setName('');
        },
      },
    );
  };
  return (
    <details className="section kb-new-category">
      <summary>{t('kb.newCategory')}</summary>
      <form onSubmit={onSubmit} className="kb-search__row">
        <label className="visually-hidden" htmlFor={id}>
          {t('kb.categoryName')}
        </label>
        <input id={id} className="input" value={name} onChange={(e) => setName(e.target.value)} placeholder={t('kb.categoryName')} />
        <Button type="submit" busy={create.isPending} disabled={!name.trim()}>
          {t('kb.addCategory')}
        </Button>
      </form>
      <FormError error={create.error} />
    </details>
  );
}
