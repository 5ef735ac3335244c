// /staff/people/:id — one person as staff see them: profile (as much as the server shows) and documents, with
// review buttons for reviewers, and internal notes for staff who write them. Reached from the user list, the
// document queues and the application page.
import { Link, useParams } from 'react-router';
import { isApiError } from '../../api/client';
import { hasPermission } from '../../api/permissions';
import { useMe, useProfile } from '../../api/queries';
import { Alert, LoadError, Loading } from '../../components/feedback';
import { useTitle } from '../../components/Layout';
import { useI18n } from '../../i18n/I18nProvider';
import { NotesPanel } from '../hiring/NotesPanel';
import { DocumentsPanel } from './DocumentsPanel';
import { ProfilePanel } from './ProfilePanel';
import { RetentionPanel } from './RetentionPanel';

/** The address of a person's page (for links from the user list and the queues). */
export function personPath(personId: string): string {
  return `/staff/people/${encodeURIComponent(personId)}`;
}

export function PersonPage() {
  const { t } = useI18n();
  const { id = '' } = useParams();
  const me = useMe().data;
  const profile = useProfile(id);
  useTitle(profile.data?.displayName ?? t('person.title'));
  if (!me) return null;

  const isSelf = me.id === id;
  const reviewer = me.permissions.includes('documents.review');
  // Documents are for the person and for managers and administrators (who hold `documents.review`); floor
  // managers see the phone number only. Nobody reviews their own documents.
  const seesDocuments = isSelf || reviewer;
  const notFound = isApiError(profile.error) && profile.error.status === 404;

  return (
    <div className="page">
      <p className="back-link">
        <Link to="/staff">
          <span aria-hidden="true">← </span>
          {t('person.back')}
        </Link>
      </p>
      {profile.isPending ? (
        <Loading />
      ) : notFound ? (
        <Alert kind="error" title={t('notFound.title')}>
          <p>{t('person.notFound')}</p>
        </Alert>
      ) : profile.isError ? (
        <LoadError error={profile.error} onRetry={() => void profile.refetch()} />
      ) : (
        <>
          <header className="page__header">
            <h1>{profile.data.displayName}</h1>
            <p className="muted">{t(`role.${profile.data.role}`)}</p>
          </header>
          <ProfilePanel personId={id} phoneOnly={!isSelf && me.role === 'floor_manager'} />
          {seesDocuments ? <DocumentsPanel personId={id} canManage canReview={reviewer && !isSelf} /> : null}
          {/* Internal notes about the person (never about oneself: author ≠ subject). */}
          {hasPermission(me, 'notes.write') && !isSelf ? <NotesPanel subjectId={id} canAdd /> : null}
          {/* When a rejected applicant's data will be erased, and the hold that stops it. */}
          {hasPermission(me, 'retention.hold') && !isSelf ? (
            <RetentionPanel personId={id} personName={profile.data.displayName} />
          ) : null}
        </>
      )}
    </div>
  );
}
