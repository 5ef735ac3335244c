import { Link } from 'react-router';
import { useTitle } from '../components/Layout';
import { useI18n } from '../i18n/I18nProvider';

export function ForbiddenPage() {
  const { t } = useI18n();
  useTitle(t('forbidden.title'));
  return (
    <section className="page page--narrow status-page" aria-labelledby="forbidden-title">
      <p className="status-page__code" aria-hidden="true">
        403
      </p>
      <h1 id="forbidden-title">{t('forbidden.title')}</h1>
      <p>{t('forbidden.text')}</p>
      <Link className="button button--secondary" to="/">
        {t('forbidden.home')}
      </Link>
    </section>
  );
}

export function NotFoundPage() {
  const { t } = useI18n();
  useTitle(t('notFound.title'));
  return (
    <section className="page page--narrow status-page" aria-labelledby="notfound-title">
      <p className="status-page__code" aria-hidden="true">
        404
      </p>
      <h1 id="notfound-title">{t('notFound.title')}</h1>
      <p>{t('notFound.text')}</p>
      <Link className="button button--secondary" to="/">
        {t('notFound.home')}
      </Link>
    </section>
  );
}
