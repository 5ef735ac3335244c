import { useMe } from '../api/queries';
import { useTitle } from '../components/Layout';
import { useI18n } from '../i18n/I18nProvider';
import { ChangePasswordForm } from './ChangePasswordForm';
import { MyProfileSection } from './people/MyProfileSection';

/** The applicant's home. Applications arrive with the hiring feature. */
export function PortalPage() {
  const { t } = useI18n();
  useTitle(t('portal.title'));
  const me = useMe().data;
  if (!me) return null;
  return (
    <div className="page">
      <header className="page__header">
        <h1>{t('portal.greeting', { name: me.firstName || me.displayName })}</h1>
      </header>
      <section className="card empty-state" aria-labelledby="applications-title">
        <h2 id="applications-title">{t('portal.title')}</h2>
        <p className="empty-state__lead">{t('portal.empty')}</p>
        <p className="muted">{t('portal.emptyDetail')}</p>
      </section>
      <MyProfileSection me={me} />
      <ChangePasswordForm />
    </div>
  );
}
