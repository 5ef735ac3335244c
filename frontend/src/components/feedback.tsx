// Buttons with a busy state, alert banners and page-level loading/error states.
import type { ButtonHTMLAttributes, ReactNode } from 'react';
import { useI18n } from '../i18n/I18nProvider';

interface BusyButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  busy?: boolean;
  busyLabel?: ReactNode;
  variant?: 'primary' | 'secondary' | 'danger' | 'ghost';
  size?: 'normal' | 'small';
}

export function Button({
  busy = false,
  busyLabel,
  variant = 'primary',
  size = 'normal',
  children,
  disabled,
  className,
  type = 'button',
  ...rest
}: BusyButtonProps) {
  const classes = ['button', `button--${variant}`, size === 'small' ? 'button--small' : '', className ?? '']
    .filter(Boolean)
    .join(' ');
  return (
    <button type={type} className={classes} disabled={disabled || busy} aria-busy={busy || undefined} {...rest}>
      {busy ? <span className="spinner" aria-hidden="true" /> : null}
      <span>{busy && busyLabel ? busyLabel : children}</span>
    </button>
  );
}

export function Alert({
  kind = 'error',
  children,
  title,
}: {
  kind?: 'error' | 'info' | 'success';
  children: ReactNode;
  title?: ReactNode;
}) {
  return (
    <div className={`alert alert--${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {title ? <p className="alert__title">{title}</p> : null}
      <div>{children}</div>
    </div>
  );
}

/** The banner for a failed submit: the translated top-level error plus field codes that have no field here. */
export function FormError({ error, unmatched = [] }: { error: unknown; unmatched?: string[] }) {
  const { errorMessage, fieldErrorMessage } = useI18n();
  if (!error) return null;
  return (
    <Alert kind="error">
      <p>{errorMessage(error)}</p>
      {unmatched.length > 0 ? (
        <ul className="alert__list">
          {[...new Set(unmatched)].map((code) => (
            <li key={code}>{fieldErrorMessage(code)}</li>
          ))}
        </ul>
      ) : null}
    </Alert>
  );
}

export function Loading({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <div className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      <span>{label ?? t('common.loading')}</span>
    </div>
  );
}

export function LoadError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t, errorMessage } = useI18n();
  return (
    <Alert kind="error">
      <p>{errorMessage(error)}</p>
      {onRetry ? (
        <Button variant="secondary" size="small" onClick={onRetry}>
          {t('app.retry')}
        </Button>
      ) : null}
    </Alert>
  );
}
