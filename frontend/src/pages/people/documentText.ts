// Texts about documents shared by the panel, the upload form and the staff queues.
import { isApiError } from '../../api/client';
import type { DocumentInfo, DocumentKind } from '../../api/types';
import type { Translator } from '../../i18n/core';
import type { MessageKey } from '../../i18n/en';

// A map rather than `documents.kind.${kind}`: a key ending in `.other` would read as a plural form.
const KIND_LABELS: Record<DocumentKind, MessageKey> = {
  resume: 'documents.kind.resume',
  id_card: 'documents.kind.id_card',
  passport: 'documents.kind.passport',
  work_permit: 'documents.kind.work_permit',
  reference: 'documents.kind.reference',
  contract: 'documents.kind.contract',
  other: 'documents.kind.otherDocument',
};

/** The translated name of a document kind ("CV", "Passport", …). */
export function kindLabel(t: Translator['t'], kind: DocumentKind): string {
  return t(KIND_LABELS[kind]);
}

/** Upload failures with a message of their own; everything else uses the general error texts. */
const UPLOAD_ERRORS: Record<string, MessageKey> = {
  too_large: 'documents.upload.error.too_large',
  unsupported_type: 'documents.upload.error.unsupported_type',
  store_unavailable: 'documents.upload.error.store_unavailable',
};

/**
 * The translated reason an upload failed: 413, 415 and 503 get upload-specific texts; 413 names the server's limit
 * when it is known (`maxBytes`, from the public settings).
 */
export function uploadErrorMessage(
  i18n: Pick<Translator, 't' | 'errorMessage' | 'formatFileSize'>,
  error: unknown,
  maxBytes: number | null = null,
): string {
  if (isApiError(error)) {
    if (error.code === 'too_large') {
      return maxBytes !== null
        ? i18n.t('documents.upload.error.too_large', { size: i18n.formatFileSize(maxBytes) })
        : i18n.t('documents.upload.error.too_largeAnySize');
    }
    const key = UPLOAD_ERRORS[error.code];
    if (key) return i18n.t(key);
  }
  return i18n.errorMessage(error);
}

/** "PDF", "JPEG", "PNG" from the type the server found in the file's first bytes. */
export function formatLabel(contentType: string): string {
  const [, subtype = contentType] = contentType.split('/');
  return subtype.toUpperCase();
}

/** Today as `YYYY-MM-DD` in the browser's time zone. */
export function today(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Expired when the last valid day is before today (ISO dates compare as strings). */
export function isExpired(document: Pick<DocumentInfo, 'expiresOn'>, now: Date = new Date()): boolean {
  return !!document.expiresOn && document.expiresOn < today(now);
}
