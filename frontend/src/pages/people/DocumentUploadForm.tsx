// The upload form of the documents panel: kind, optional end date, one file, and a progress bar with a cancel
// button while the file travels (XMLHttpRequest, see api/upload.ts).
import { useEffect, useId, useRef, useState } from 'react';
import { useUploadDocument } from '../../api/queries';
import { usePublicSettings } from '../../api/settings';
import { DOCUMENT_KINDS, type DocumentKind } from '../../api/types';
import { isAbortError } from '../../api/upload';
import { Alert, Button } from '../../components/feedback';
import { FileField, SelectField, TextField } from '../../components/fields';
import { useToast } from '../../components/toast';
import { useForm } from '../../forms/useForm';
import { useI18n } from '../../i18n/I18nProvider';
import { checkDocumentFile, checkOptionalDate, collect, DOCUMENT_ACCEPT } from '../../validation/rules';
import { kindLabel, uploadErrorMessage } from './documentText';

export function DocumentUploadForm({ personId, headingLevel = 3 }: { personId: string; headingLevel?: 3 | 4 }) {
  const i18n = useI18n();
  const { t, formatPercent, fieldErrorMessage } = i18n;
  const toast = useToast();
  const upload = useUploadDocument();
  // The server's limit (one home: its public settings); unknown while they load, then the server alone decides.
  const maxBytes = usePublicSettings().data?.maxUploadBytes ?? null;
  const titleId = useId();
  const progressLabelId = useId();
  const [file, setFile] = useState<File | null>(null);
  // A new key clears the file input after an upload.
  const [fileKey, setFileKey] = useState(0);
  const [percent, setPercent] = useState<number | null>(null);
  const [cancelled, setCancelled] = useState(false);
  const controller = useRef<AbortController | null>(null);

  // Leaving the page stops an upload that is still on its way.
  useEffect(() => () => controller.current?.abort(), []);

  const form = useForm({
    // `file` holds the chosen file's name so the error shows under the picker; the File itself is state.
    initial: { kind: 'resume' as string, expiresOn: '', file: '' },
    validate: (v) =>
      collect({
        kind: (DOCUMENT_KINDS as readonly string[]).includes(v.kind) ? null : 'required',
        expiresOn: checkOptionalDate(v.expiresOn),
        file: checkDocumentFile(file, maxBytes),
      }),
  });

  const onSubmit = form.handleSubmit(async (v) => {
    if (!file) return;
    const abort = new AbortController();
    controller.current = abort;
    setCancelled(false);
    setPercent(0);
    try {
      const document = await upload.mutateAsync({
        personId,
        kind: v.kind as DocumentKind,
        expiresOn: v.expiresOn.trim(),
        file,
        onProgress: (progress) => setPercent(progress.percent),
        signal: abort.signal,
      });
      form.reset();
      setFile(null);
      setFileKey((k) => k + 1);
      toast.success(t('documents.upload.done', { kind: kindLabel(t, document.kind) }));
    } catch (error) {
      if (isAbortError(error)) {
        setCancelled(true);
        return;
      }
      throw error;
    } finally {
      controller.current = null;
      setPercent(null);
    }
  });

  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  const uploading = percent !== null;

  return (
    <form className="form upload-form" onSubmit={onSubmit} noValidate aria-labelledby={titleId}>
      <Heading id={titleId}>{t('documents.upload.title')}</Heading>
      {form.formError ? (
        <Alert kind="error">
          <p>{uploadErrorMessage(i18n, form.formError, maxBytes)}</p>
          {form.unmatchedFieldCodes.length > 0 ? (
            <ul className="alert__list">
              {[...new Set(form.unmatchedFieldCodes)].map((code) => (
                <li key={code}>{fieldErrorMessage(code)}</li>
              ))}
            </ul>
          ) : null}
        </Alert>
      ) : null}
      {cancelled ? <Alert kind="info">{t('documents.upload.cancelled')}</Alert> : null}
      <div className="form__row form__row--start">
        <SelectField
          label={t('field.documentKind')}
          name="kind"
          value={form.values.kind}
          disabled={uploading}
          onValueChange={(value) => form.setValue('kind', value)}
          options={DOCUMENT_KINDS.map((kind) => ({ value: kind, label: kindLabel(t, kind) }))}
          error={form.errors.kind}
        />
        <TextField
          label={t('field.expiresOn')}
          type="date"
          name="expiresOn"
          optional
          disabled={uploading}
          hint={t('field.expiresOnHint')}
          value={form.values.expiresOn}
          onValueChange={(value) => form.setValue('expiresOn', value)}
          onBlur={() => form.touch('expiresOn')}
          error={form.errors.expiresOn}
        />
      </div>
      <FileField
        key={fileKey}
        label={t('field.file')}
        name="file"
        accept={DOCUMENT_ACCEPT}
        disabled={uploading}
        hint={maxBytes !== null ? t('field.fileHint', { size: i18n.formatFileSize(maxBytes) }) : t('field.fileHintAnySize')}
        onFileChange={(chosen) => {
          setFile(chosen);
          setCancelled(false);
          form.setValue('file', chosen?.name ?? '');
          form.touch('file');
        }}
        error={form.errors.file}
      />
      {uploading ? (
        <div className="upload-progress">
          <p className="upload-progress__label" id={progressLabelId}>
            {percent < 100
              ? t('documents.upload.progress', { percent: formatPercent(percent) })
              : t('documents.upload.processing')}
          </p>
          <progress className="progress" max={100} value={percent} aria-labelledby={progressLabelId} />
          <Button variant="secondary" size="small" onClick={() => controller.current?.abort()}>
            {t('documents.upload.cancel')}
          </Button>
        </div>
      ) : null}
      <div>
        <Button type="submit" busy={form.busy} busyLabel={t('documents.upload.submitting')}>
          {t('documents.upload.submit')}
        </Button>
      </div>
    </form>
  );
}
