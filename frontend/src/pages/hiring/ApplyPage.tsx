// /apply/:code — where a QR poster or an application link leads. Visitors without an account go to the
// registration (which keeps the code and brings them back to the apply form); a logged-in applicant applies
// right here, with the venue fixed (source `qr`).
import { Link, Navigate, useNavigate, useParams } from 'react-router';
import { useMe } from '../../api/queries';
import { Alert, LoadError, Loading } from '../../components/feedback';
import { useTitle } from '../../components/Layout';
import { useI18n } from '../../i18n/I18nProvider';
import { homePathFor } from '../../routing/guards';
import { ApplyForm } from './ApplyForm';

export function applyPath(code: string): string {
  return `/apply/${encodeURIComponent(code)}`;
}

export function ApplyPage() {
  const { t } = useI18n();
  useTitle(t('apply.title'));
  const { code = '' } = useParams();
  const navigate = useNavigate();
  const me = useMe();

  if (me.isPending) return <Loading />;
  if (me.isError) return <LoadError error={me.error} onRetry={() => void me.refetch()} />;
  if (!me.data) return <Navigate to={`/register?code=${encodeURIComponent(code)}`} replace />;

  if (me.data.role !== 'applicant') {
    return (
      <div className="page page--narrow">
        <Alert kind="info" title={t('apply.title')}>
          <p>{t('apply.staffNotice')}</p>
          <Link to={homePathFor(me.data)}>{t('forbidden.home')}</Link>
        </Alert>
      </div>
    );
  }

  return (
    <div className="page page--narrow">
      <section className="card" aria-labelledby="apply-title">
        <h1 id="apply-title">{t('apply.title')}</h1>
        <p className="muted">{t('apply.intro')}</p>
        <ApplyForm code={code} titleId="apply-title" onDone={() => void navigate('/portal', { replace: true })} />
      </section>
    </div>
  );
}
