// A person's documents: the list (kind, review state, size, dates, download), delete with confirmation,
// approve / reject-with-reason for reviewers, and the upload form. What the buttons offer only shapes the UI:
// the server checks every action again.
import { useId, useState } from 'react';
import { endpoints } from '../../api/endpoints';
import { useDeleteDocument, useDocuments, useReviewDocument } from '../../api/queries';
import type { DocumentInfo } from '../../api/types';
import { Button, FormError, LoadError, Loading } from '../../components/feedback';
import { TextField } from '../../components/fields';
import { ConfirmDialog, Modal } from '../../components/Modal';
import { useToast } from '../../components/toast';
import { useForm } from '../../forms/useForm';
import { useI18n } from '../../i18n/I18nProvider';
import { checkReviewReason, collect } from '../../validation/rules';
import { DocumentUploadForm } from './DocumentUploadForm';
import { formatLabel, isExpired, kindLabel } from './documentText';

export interface DocumentsPanelProps {
  personId: string;
  /** Upload and delete: the person themselves, and managers and administrators who may see the person. */
  canManage: boolean;
  /** Approve and reject: holders of `documents.review`, never for their own documents. */
  canReview: boolean;
  title?: string;
  intro?: string;
  headingLevel?: 2 | 3;
}

export function DocumentsPanel({
  personId,
  canManage,
  canReview,
  title,
  intro,
  headingLevel = 2,
}: DocumentsPanelProps) {
  const { t, errorMessage, formatDate } = useI18n();
  const toast = useToast();
  const titleId = useId();
  const documents = useDocuments(personId);
  const remove = useDeleteDocument();
  const review = useReviewDocument();
  const [deleting, setDeleting] = useState<DocumentInfo | null>(null);
  const [rejecting, setRejecting] = useState<DocumentInfo | null>(null);
  const [approving, setApproving] = useState<string | null>(null);
  const Heading = headingLevel === 2 ? 'h2' : 'h3';

  const approve = async (document: DocumentInfo) => {
    setApproving(document.id);
    try {
      await review.mutateAsync({ document, body: { decision: 'approved' } });
      toast.success(t('documents.approved'));
    } catch (error) {
      toast.error(t('documents.failed', { reason: errorMessage(error) }));
    } finally {
      setApproving(null);
    }
  };

  const confirmDelete = async (document: DocumentInfo) => {
    try {
      await remove.mutateAsync(document);
      toast.success(t('documents.deleted'));
    } catch (error) {
      toast.error(t('documents.failed', { reason: errorMessage(error) }));
    } finally {
      setDeleting(null);
    }
  };

  return (
    <section className="card documents" aria-labelledby={titleId}>
      <Heading id={titleId}>{title ?? t('documents.title')}</Heading>
      {intro ? <p className="muted">{intro}</p> : null}
      {documents.isPending ? (
        <Loading />
      ) : documents.isError ? (
        <LoadError error={documents.error} onRetry={() => void documents.refetch()} />
      ) : documents.data.length === 0 ? (
        <p className="muted documents__empty">{t('documents.empty')}</p>
      ) : (
        <ul className="doc-list" aria-label={t('documents.list')}>
          {documents.data.map((document) => (
            <DocumentItem
              key={document.id}
              document={document}
              canManage={canManage}
              canReview={canReview}
              approving={approving === document.id}
              onApprove={() => void approve(document)}
              onReject={() => setRejecting(document)}
              onDelete={() => setDeleting(document)}
            />
          ))}
        </ul>
      )}
      {canManage ? <DocumentUploadForm personId={personId} headingLevel={headingLevel === 2 ? 3 : 4} /> : null}

      {deleting ? (
        <ConfirmDialog
          title={t('documents.deleteTitle')}
          message={t('documents.deleteConfirm', {
            kind: kindLabel(t, deleting.kind),
            date: formatDate(deleting.uploadedAt),
          })}
          confirmLabel={t('documents.delete')}
          danger
          busy={remove.isPending}
          onCancel={() => setDeleting(null)}
          onConfirm={() => void confirmDelete(deleting)}
        />
      ) : null}
      {rejecting ? <RejectDialog document={rejecting} onClose={() => setRejecting(null)} /> : null}
    </section>
  );
}

function DocumentItem({
  document,
  canManage,
  canReview,
  approving,
  onApprove,
  onReject,
  onDelete,
}: {
  document: DocumentInfo;
  canManage: boolean;
  canReview: boolean;
  approving: boolean;
  onApprove: () => void;
  onReject: () => void;
  onDelete: () => void;
}) {
  const { t, formatDate, formatDateTime, formatFileSize } = useI18n();
  const nameId = useId();
  const state = document.reviewState;
  return (
    <li className="doc" data-kind={document.kind} data-state={state}>
      <div className="doc__head">
        <strong className="doc__title" id={nameId}>
          {kindLabel(t, document.kind)}
        </strong>
        <span className={`badge badge--review-${state}`}>{t(`documents.state.${state}`)}</span>
        {isExpired(document) ? <span className="badge badge--expired">{t('documents.expired')}</span> : null}
      </div>
      <dl className="doc__meta">
        <div>
          <dt>{t('documents.uploaded')}</dt>
          <dd>{formatDateTime(document.uploadedAt)}</dd>
        </div>
        <div>
          <dt>{t('documents.size')}</dt>
          <dd>
            {formatFileSize(document.sizeBytes)} · {formatLabel(document.contentType)}
          </dd>
        </div>
        <div>
          <dt>{t('documents.expires')}</dt>
          <dd>{document.expiresOn ? formatDate(document.expiresOn) : t('documents.noExpiry')}</dd>
        </div>
        {state !== 'pending' && document.reviewedAt ? (
          <div>
            <dt>{t('documents.reviewed')}</dt>
            <dd>{formatDateTime(document.reviewedAt)}</dd>
          </div>
        ) : null}
        {document.reviewReason ? (
          <div className="doc__reason">
            <dt>{t('documents.reason')}</dt>
            <dd>{document.reviewReason}</dd>
          </div>
        ) : null}
      </dl>
      <div className="button-row doc__actions">
        <a
          className="button button--secondary button--small"
          href={endpoints.documentContentUrl(document.id)}
          download
          aria-describedby={nameId}
        >
          {t('documents.download')}
        </a>
        {canReview && state !== 'approved' ? (
          <Button size="small" busy={approving} onClick={onApprove} aria-describedby={nameId}>
            {t('documents.approve')}
          </Button>
        ) : null}
        {canReview && state !== 'rejected' ? (
          <Button variant="secondary" size="small" disabled={approving} onClick={onReject} aria-describedby={nameId}>
            {t('documents.reject')}
          </Button>
        ) : null}
        {canManage ? (
          <Button variant="danger" size="small" onClick={onDelete} aria-describedby={nameId}>
            {t('documents.delete')}
          </Button>
        ) : null}
      </div>
    </li>
  );
}

function RejectDialog({ document, onClose }: { document: DocumentInfo; onClose: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const review = useReviewDocument();
  const formId = useId();
  const form = useForm({
    initial: { reason: '' },
    validate: (v) => collect({ reason: checkReviewReason(v.reason) }),
  });
  const onSubmit = form.handleSubmit(async (v) => {
    await review.mutateAsync({ document, body: { decision: 'rejected', reason: v.reason.trim() } });
    toast.success(t('documents.rejected'));
    onClose();
  });
  return (
    <Modal
      title={t('documents.rejectTitle', { kind: kindLabel(t, document.kind) })}
      onClose={form.busy ? () => undefined : onClose}
      size="small"
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={form.busy}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" form={formId} variant="danger" busy={form.busy}>
            {t('documents.reject')}
          </Button>
        </>
      }
    >
      <form id={formId} className="form" onSubmit={onSubmit} noValidate>
        <FormError error={form.formError} unmatched={form.unmatchedFieldCodes} />
        <TextField
          label={t('field.reviewReason')}
          name="reason"
          autoComplete="off"
          hint={t('field.reviewReasonHint')}
          value={form.values.reason}
          onValueChange={(value) => form.setValue('reason', value)}
          onBlur={() => form.touch('reason')}
          error={form.errors.reason}
          data-autofocus
        />
      </form>
    </Modal>
  );
}
