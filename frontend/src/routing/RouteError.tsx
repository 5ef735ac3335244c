import { useRouteError } from 'react-router';
import { useI18n } from '../i18n/I18nProvider';

/** Shown when rendering a page throws: a plain message and a way back, never a blank screen. */
export function RouteError() {
  const { t } = useI18n();
  const error = useRouteError();
  if (import.meta.env.DEV) console.error(error);
  return (
    <main className="main">
      <section className="page page--narrow status-page">
        <h1>{t('error.unknown')}</h1>
        <p>
          <a className="button button--secondary" href="/">
            {t('notFound.home')}
          </a>
        </p>
      </section>
    </main>
  );
}
