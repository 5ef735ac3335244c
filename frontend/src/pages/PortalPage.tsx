import { useSearchParams } from 'react-router';
import { useMe } from '../api/queries';
import { usePublicSettings } from '../api/settings';
import { useTitle } from '../components/Layout';
import { useI18n } from '../i18n/I18nProvider';
import { ChangePasswordForm } from './ChangePasswordForm';
import { AccountDataSection } from './hiring/AccountDataSection';
import { ApplyForm } from './hiring/ApplyForm';
import { MyApplications } from './hiring/MyApplications';
import { MyProfileSection } from './people/MyProfileSection';

/**
 * The applicant's home: applying (`?apply=<code>` opens the form for that venue, as after registering through a
 * QR link; `?apply` alone asks for the venue's code), their applications, profile and documents, and their data.
 */
export function PortalPage() {
  const { t } = useI18n();
  useTitle(t('portal.title'));
  const me = useMe().data;
  const [params, setParams] = useSearchParams();
  if (!me) return null;
  const applying = params.has('apply');
  const code = params.get('apply')?.trim() || null;
  const closeApply = () =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        next.delete('apply');
        return next;
      },
      { replace: true },
    );
  const openApply = () => setParams({ apply: '' }, { replace: true });

  return (
    <div className="page">
      <header className="page__header">
        <h1>{t('portal.greeting', { name: me.firstName || me.displayName })}</h1>
      </header>
      {applying ? (
        <section className="card" aria-labelledby="apply-title">
          <h2 id="apply-title">{t('apply.title')}</h2>
          <p className="muted">{t('apply.intro')}</p>
          <ApplyForm key={code ?? ''} code={code} titleId="apply-title" onDone={closeApply} onCancel={closeApply} />
        </section>
      ) : null}
      <MyApplications onApply={openApply} applying={applying} />
      <RetentionNote />
      <MyProfileSection me={me} />
      <AccountDataSection me={me} />
      <ChangePasswordForm />
    </div>
  );
}

/** How long closed applications are kept (the server's retention setting); nothing when they are not erased. */
function RetentionNote() {
  const { tp } = useI18n();
  const days = usePublicSettings().data?.retentionDays ?? 0;
  if (days <= 0) return null;
  return (
    <p className="muted small" data-testid="retention-note">
      {tp('portal.retention', days)}
    </p>
  );
}
