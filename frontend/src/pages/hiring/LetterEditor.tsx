// The applicant's motivation letter with autosave: every change waits `delayMs` for the next keystroke, then one
// PUT sends the whole letter. Leaving the field or the page saves at once. Closed applications show the letter
// read-only.
import { useCallback, useEffect, useRef, useState } from 'react';
import { isApiError } from '../../api/client';
import { isOpenStatus, useLetter, useSaveLetter } from '../../api/hiring';
import { RICH_TEXT_MAX_CHARS, type ApplicationSummary } from '../../api/hiringTypes';
import { Button, LoadError, Loading } from '../../components/feedback';
import { RichTextEditor, SanitizedHtml } from '../../components/RichTextEditor';
import { useI18n } from '../../i18n/I18nProvider';

export const AUTOSAVE_DELAY_MS = 1500;

type SaveState = 'idle' | 'pending' | 'saving' | 'saved' | 'error' | 'tooLong' | 'empty';

export function LetterEditor({
  application,
  delayMs = AUTOSAVE_DELAY_MS,
}: {
  application: Pick<ApplicationSummary, 'id' | 'status'>;
  delayMs?: number;
}) {
  const { t, locale, formatDateTime, errorMessage } = useI18n();
  const letter = useLetter(application.id);
  const save = useSaveLetter();
  const editable = isOpenStatus(application.status);
  const [state, setState] = useState<SaveState>('idle');
  const [failure, setFailure] = useState<unknown>(null);
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const pending = useRef<string | null>(null);
  const timer = useRef<number | null>(null);
  const inFlight = useRef(false);
  const saveRef = useRef(save.mutateAsync);
  saveRef.current = save.mutateAsync;
  const applicationId = application.id;

  const flush = useCallback(async () => {
    if (timer.current !== null) {
      window.clearTimeout(timer.current);
      timer.current = null;
    }
    const html = pending.current;
    if (html === null || inFlight.current) return;
    pending.current = null;
    inFlight.current = true;
    setState('saving');
    try {
      const saved = await saveRef.current({ applicationId, html });
      setSavedAt(saved.updatedAt ?? null);
      setFailure(null);
      setState(pending.current === null ? 'saved' : 'pending');
    } catch (error) {
      // Keep the text for the next attempt unless something newer is waiting already.
      if (pending.current === null) pending.current = html;
      setFailure(error);
      setState(isApiError(error) && error.code === 'too_large' ? 'tooLong' : 'error');
    } finally {
      inFlight.current = false;
    }
    // Typed while saving: send that too, after the usual pause.
    if (pending.current !== null && timer.current === null) {
      timer.current = window.setTimeout(() => void flush(), delayMs);
    }
  }, [applicationId, delayMs]);

  // Leaving the page sends what has not been saved yet.
  useEffect(
    () => () => {
      if (timer.current !== null) window.clearTimeout(timer.current);
      const html = pending.current;
      if (html !== null) void saveRef.current({ applicationId, html }).catch(() => undefined);
    },
    [applicationId],
  );

  const stopTimer = () => {
    if (timer.current !== null) window.clearTimeout(timer.current);
    timer.current = null;
  };

  const onChange = (html: string) => {
    if (html === '') {
      // The server refuses an empty letter (422); the last saved text stays until there is new text.
      stopTimer();
      pending.current = null;
      setState('empty');
      return;
    }
    if (html.length > RICH_TEXT_MAX_CHARS) {
      // Not sent: the server would refuse it (413). The text stays in the editor to be shortened.
      stopTimer();
      pending.current = null;
      setState('tooLong');
      return;
    }
    pending.current = html;
    setState('pending');
    if (timer.current !== null) window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => void flush(), delayMs);
  };

  if (letter.isPending) return <Loading />;
  if (letter.isError) return <LoadError error={letter.error} onRetry={() => void letter.refetch()} />;

  if (!editable) {
    return letter.data.html.trim() === '' ? (
      <p className="muted">{t('letter.none')}</p>
    ) : (
      <SanitizedHtml html={letter.data.html} className="letter" />
    );
  }

  const lastSaved = savedAt ?? letter.data.updatedAt;
  let statusText = '';
  if (state === 'pending') statusText = t('letter.unsaved');
  else if (state === 'saving') statusText = t('letter.saving');
  else if (state === 'saved') statusText = t('letter.saved');
  else if (state === 'tooLong') statusText = t('letter.tooLong', { max: new Intl.NumberFormat(locale).format(RICH_TEXT_MAX_CHARS) });
  else if (state === 'empty') statusText = t('letter.emptyNotSaved');
  else if (state === 'error') statusText = t('letter.failed', { reason: errorMessage(failure) });
  else if (lastSaved) statusText = t('letter.lastSaved', { time: formatDateTime(lastSaved) });

  return (
    <div className="letter-editor">
      <RichTextEditor
        label={t('letter.label')}
        hint={t('letter.hint')}
        initialHtml={letter.data.html}
        onChange={onChange}
        onBlur={() => void flush()}
      />
      <div className="letter-editor__status">
        <p
          className={state === 'error' || state === 'tooLong' ? 'save-state save-state--error' : 'save-state'}
          role="status"
          aria-live="polite"
        >
          {state === 'saving' ? <span className="spinner" aria-hidden="true" /> : null}
          <span>{statusText}</span>
        </p>
        {state === 'error' ? (
          <Button variant="secondary" size="small" onClick={() => void flush()}>
            {t('app.retry')}
          </Button>
        ) : null}
      </div>
    </div>
  );
}
