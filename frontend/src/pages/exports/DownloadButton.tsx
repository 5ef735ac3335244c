// A button that downloads one of the API's CSV exports: busy with the size received so far, a refusal shown as a
// message beside it (a plain link would save the server's JSON error as the file).
import { useId, useState } from 'react';
import { downloadFile } from '../../api/exports';
import { CSV_DELIMITERS, type CsvDelimiter } from '../../api/exportsTypes';
import { Alert, Button } from '../../components/feedback';
import { useToast } from '../../components/toast';
import { useI18n } from '../../i18n/I18nProvider';

export function DownloadButton({
  url,
  fallbackName,
  disabled = false,
  label,
  testId,
}: {
  /** The export's address with its query; `null` while the form is not complete. */
  url: string | null;
  fallbackName: string;
  disabled?: boolean;
  label?: string;
  testId?: string;
}) {
  const { t, errorMessage, formatFileSize } = useI18n();
  const toast = useToast();
  const [received, setReceived] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);

  const start = async () => {
    if (!url) return;
    setError(null);
    setReceived(0);
    try {
      const name = await downloadFile(url, fallbackName, setReceived);
      toast.success(t('exports.downloaded', { name }));
    } catch (failure) {
      setError(failure);
    } finally {
      setReceived(null);
    }
  };

  return (
    <div className="download">
      <Button
        data-testid={testId}
        data-url={url ?? undefined}
        onClick={() => void start()}
        disabled={disabled || !url}
        busy={received !== null}
        busyLabel={t('exports.downloading', { size: formatFileSize(received ?? 0) })}
      >
        {label ?? t('exports.download')}
      </Button>
      {error ? <Alert kind="error">{errorMessage(error)}</Alert> : null}
    </div>
  );
}

/** Comma or semicolon, with why one would want semicolons (Dutch Excel). */
export function DelimiterChoice({ value, onChange }: { value: CsvDelimiter; onChange: (value: CsvDelimiter) => void }) {
  const { t } = useI18n();
  const name = useId();
  const hintId = `${name}-hint`;
  return (
    <fieldset className="field fieldset" aria-describedby={hintId}>
      <legend className="field__label">{t('exports.delimiter')}</legend>
      <div className="check-list">
        {CSV_DELIMITERS.map((d) => (
          <div className="check-list__item" key={d}>
            <input
              type="radio"
              id={`${name}-${d}`}
              name={name}
              value={d}
              checked={value === d}
              onChange={() => onChange(d)}
            />
            <label htmlFor={`${name}-${d}`}>{t(`exports.delimiter.${d}`)}</label>
          </div>
        ))}
      </div>
      <p className="field__hint" id={hintId}>
        {t('exports.delimiter.hint')}
      </p>
    </fieldset>
  );
}

