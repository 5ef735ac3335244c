// The reminder of must-read articles I have not confirmed yet: on the crew home (/me/shifts) and on top of the
// knowledge base. Shows nothing when there is nothing to read (and for people who are not asked to confirm).
//
// Stable selectors: [data-testid="must-read-banner"] with [data-testid="must-read-item"] (data-article-id).
import { Link } from 'react-router';
import { useMyMustRead } from '../../api/knowledge';
import { useI18n } from '../../i18n/I18nProvider';
import './knowledge.css';

export function MustReadBanner() {
  const { t, tp } = useI18n();
  const open = useMyMustRead();
  const items = open.data ?? [];
  if (items.length === 0) return null;
  return (
    <section className="kb-banner" role="status" data-testid="must-read-banner" aria-live="polite">
      <p className="kb-banner__title">{tp('kb.banner.title', items.length)}</p>
      <p className="kb-banner__text">{t('kb.banner.text')}</p>
      <ul className="kb-banner__list">
        {items.map((article) => (
          <li key={article.id}>
            <Link
              className="kb-banner__link"
              to={`/knowledge/${article.id}`}
              data-testid="must-read-item"
              data-article-id={article.id}
              aria-label={t('kb.banner.open', { title: article.title })}
            >
              {article.title}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
