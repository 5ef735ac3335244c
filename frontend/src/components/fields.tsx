// Labelled form controls with error text wired up for assistive technology.
import { useId, useState, type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes } from 'react';
import { useI18n } from '../i18n/I18nProvider';

interface FieldShellProps {
  id: string;
  label: ReactNode;
  hint?: ReactNode | undefined;
  error?: string | undefined;
  optional?: boolean | undefined;
  children: (describedBy: string | undefined) => ReactNode;
}

function FieldShell({ id, label, hint, error, optional, children }: FieldShellProps) {
  const { t, fieldErrorMessage } = useI18n();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={error ? 'field field--invalid' : 'field'}>
      <label className="field__label" htmlFor={id}>
        {label}
        {optional ? <span className="field__optional"> ({t('common.optional')})</span> : null}
      </label>
      {children(describedBy)}
      {hint ? (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field__error" id={errorId}>
          {fieldErrorMessage(error)}
        </p>
      ) : null}
    </div>
  );
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'id'>;

export interface TextFieldProps extends InputProps {
  label: ReactNode;
  value: string;
  onValueChange: (value: string) => void;
  error?: string | undefined;
  hint?: ReactNode | undefined;
  optional?: boolean;
}

export function TextField({ label, value, onValueChange, error, hint, optional, ...input }: TextFieldProps) {
  const id = useId();
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} optional={optional}>
      {(describedBy) => (
        <input
          id={id}
          className="input"
          value={value}
          onChange={(e) => onValueChange(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          {...input}
        />
      )}
    </FieldShell>
  );
}

export function PasswordField(props: Omit<TextFieldProps, 'type'>) {
  const { t } = useI18n();
  const [visible, setVisible] = useState(false);
  const { label, value, onValueChange, error, hint, optional, ...input } = props;
  const id = useId();
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} optional={optional}>
      {(describedBy) => (
        <div className="password-input">
          <input
            id={id}
            className="input"
            type={visible ? 'text' : 'password'}
            value={value}
            onChange={(e) => onValueChange(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={describedBy}
            autoCapitalize="none"
            autoCorrect="off"
            spellCheck={false}
            {...input}
          />
          <button
            type="button"
            className="password-input__toggle"
            onClick={() => setVisible((v) => !v)}
            aria-pressed={visible}
            aria-controls={id}
            aria-label={visible ? t('common.hidePassword') : t('common.showPassword')}
          >
            {visible ? t('common.hide') : t('common.show')}
          </button>
        </div>
      )}
    </FieldShell>
  );
}

type TextAreaProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'value' | 'onChange' | 'id'>;

export interface TextAreaFieldProps extends TextAreaProps {
  label: ReactNode;
  value: string;
  onValueChange: (value: string) => void;
  error?: string | undefined;
  hint?: ReactNode | undefined;
  optional?: boolean;
}

export function TextAreaField({ label, value, onValueChange, error, hint, optional, rows = 3, ...input }: TextAreaFieldProps) {
  const id = useId();
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} optional={optional}>
      {(describedBy) => (
        <textarea
          id={id}
          className="input input--textarea"
          rows={rows}
          value={value}
          onChange={(e) => onValueChange(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          {...input}
        />
      )}
    </FieldShell>
  );
}

export interface SelectFieldProps {
  label: ReactNode;
  value: string;
  onValueChange: (value: string) => void;
  options: { value: string; label: string }[];
  error?: string | undefined;
  hint?: ReactNode | undefined;
  name?: string;
  disabled?: boolean;
}

export function SelectField({ label, value, onValueChange, options, error, hint, name, disabled }: SelectFieldProps) {
  const id = useId();
  return (
    <FieldShell id={id} label={label} hint={hint} error={error}>
      {(describedBy) => (
        <select
          id={id}
          name={name}
          className="input"
          value={value}
          disabled={disabled}
          onChange={(e) => onValueChange(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </FieldShell>
  );
}

export interface FileFieldProps {
  label: ReactNode;
  onFileChange: (file: File | null) => void;
  accept?: string;
  error?: string | undefined;
  hint?: ReactNode | undefined;
  name?: string;
  disabled?: boolean;
}

/** A single-file picker. Uncontrolled (browsers do not let scripts set a file input): remount it with a new
 * `key` to clear it. */
export function FileField({ label, onFileChange, accept, error, hint, name, disabled }: FileFieldProps) {
  const id = useId();
  return (
    <FieldShell id={id} label={label} hint={hint} error={error}>
      {(describedBy) => (
        <input
          id={id}
          name={name}
          type="file"
          className="input input--file"
          accept={accept}
          disabled={disabled}
          onChange={(e) => onFileChange(e.target.files?.[0] ?? null)}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
        />
      )}
    </FieldShell>
  );
}

export interface CheckboxFieldProps {
  label: ReactNode;
  checked: boolean;
  onCheckedChange: (checked: boolean) => void;
  error?: string | undefined;
  name?: string;
}

export function CheckboxField({ label, checked, onCheckedChange, error, name }: CheckboxFieldProps) {
  const id = useId();
  const { fieldErrorMessage } = useI18n();
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className={error ? 'field field--check field--invalid' : 'field field--check'}>
      <input
        id={id}
        name={name}
        type="checkbox"
        className="checkbox"
        checked={checked}
        onChange={(e) => onCheckedChange(e.target.checked)}
        aria-invalid={error ? true : undefined}
        aria-describedby={errorId}
      />
      <label htmlFor={id} className="field__check-label">
        {label}
      </label>
      {error ? (
        <p className="field__error" id={errorId}>
          {fieldErrorMessage(error)}
        </p>
      ) : null}
    </div>
  );
}

export interface CheckboxGroupProps {
  legend: ReactNode;
  options: { value: string; label: ReactNode }[];
  selected: string[];
  onSelectedChange: (selected: string[]) => void;
  error?: string | undefined;
  hint?: ReactNode | undefined;
  empty?: ReactNode;
}

export function CheckboxGroup({ legend, options, selected, onSelectedChange, error, hint, empty }: CheckboxGroupProps) {
  const id = useId();
  const { fieldErrorMessage } = useI18n();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const toggle = (value: string, on: boolean) =>
    onSelectedChange(on ? [...selected.filter((v) => v !== value), value] : selected.filter((v) => v !== value));
  return (
    <fieldset
      className={error ? 'field fieldset field--invalid' : 'field fieldset'}
      aria-describedby={[errorId, hintId].filter(Boolean).join(' ') || undefined}
    >
      <legend className="field__label">{legend}</legend>
      {options.length === 0 && empty ? <p className="field__hint">{empty}</p> : null}
      <div className="check-list">
        {options.map((o) => {
          const optionId = `${id}-${o.value}`;
          return (
            <div className="check-list__item" key={o.value}>
              <input
                id={optionId}
                type="checkbox"
                className="checkbox"
                checked={selected.includes(o.value)}
                onChange={(e) => toggle(o.value, e.target.checked)}
              />
              <label htmlFor={optionId}>{o.label}</label>
            </div>
          );
        })}
      </div>
      {hint ? (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field__error" id={errorId}>
          {fieldErrorMessage(error)}
        </p>
      ) : null}
    </fieldset>
  );
}
