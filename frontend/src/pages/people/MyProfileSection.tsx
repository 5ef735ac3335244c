// "My profile & documents" on the applicant portal and the staff home: one's own details and documents.
import type { Me } from '../../api/types';
import { useI18n } from '../../i18n/I18nProvider';
import { DocumentsPanel } from './DocumentsPanel';
import { ProfilePanel } from './ProfilePanel';

export function MyProfileSection({ me }: { me: Me }) {
  const { t } = useI18n();
  return (
    <section className="section" id="my-profile" aria-labelledby="my-profile-title">
      <header className="section__header">
        <h2 id="my-profile-title">{t('me.title')}</h2>
        <p className="muted">{t('me.intro')}</p>
      </header>
      <ProfilePanel personId={me.id} title={t('profile.titleMine')} headingLevel={3} />
      <DocumentsPanel
        personId={me.id}
        title={t('documents.titleMine')}
        intro={t('documents.intro')}
        headingLevel={3}
        canManage
        canReview={false}
      />
    </section>
  );
}
