// A small form-state hook: values, client-side validation with server field codes, server errors mapped back
// onto fields, and a busy flag for the submit button.
import { useCallback, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';

export type FormValue = string | boolean | string[];
export type FormValues = Record<string, FormValue>;
export type FieldErrorMap<V> = Partial<Record<keyof V & string, string>>;

/** Top-level conflict codes that really are about one field. */
const CODE_TO_FIELD: Record<string, { field: string; code: string }> = {
  username_taken: { field: 'username', code: 'taken' },
  email_taken: { field: 'email', code: 'taken' },
};

export interface UseFormOptions<V extends FormValues> {
  initial: V;
  validate?: (values: V) => FieldErrorMap<V>;
  /** Server field names that differ from the form's (e.g. `privacyConsent.accepted` → `privacyConsent`). */
  fieldAliases?: Record<string, keyof V & string>;
}

export interface FormApi<V extends FormValues> {
  values: V;
  setValue: <K extends keyof V & string>(name: K, value: V[K]) => void;
  /** Field error codes currently shown (client checks after submit or blur; server codes after a failed submit). */
  errors: FieldErrorMap<V>;
  /** Server error that is not (only) about one field, for a banner. */
  formError: unknown;
  /** Server field errors whose field is not on this form. */
  unmatchedFieldCodes: string[];
  busy: boolean;
  touch: (name: keyof V & string) => void;
  handleSubmit: (submit: (values: V) => Promise<void>) => (event?: FormEvent) => void;
  applyServerError: (error: unknown) => void;
  reset: (values?: V) => void;
}

export function useForm<V extends FormValues>(options: UseFormOptions<V>): FormApi<V> {
  const { validate, fieldAliases } = options;
  const [values, setValues] = useState<V>(options.initial);
  const [touched, setTouched] = useState<Partial<Record<keyof V & string, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<FieldErrorMap<V>>({});
  const [unmatchedFieldCodes, setUnmatched] = useState<string[]>([]);
  const [formError, setFormError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const busyRef = useRef(false);
  const initialRef = useRef(options.initial);

  const clientErrors: FieldErrorMap<V> = validate ? validate(values) : {};
  const errors: FieldErrorMap<V> = {};
  for (const name of Object.keys(values) as (keyof V & string)[]) {
    const client = submitted || touched[name] ? clientErrors[name] : undefined;
    const shown = client ?? serverErrors[name];
    if (shown) errors[name] = shown;
  }

  const setValue = useCallback(<K extends keyof V & string>(name: K, value: V[K]) => {
    setValues((prev) => ({ ...prev, [name]: value }));
    setServerErrors((prev) => {
      if (!(name in prev)) return prev;
      const next = { ...prev };
      delete next[name];
      return next;
    });
  }, []);

  const touch = useCallback((name: keyof V & string) => {
    setTouched((prev) => (prev[name] ? prev : { ...prev, [name]: true }));
  }, []);

  const applyServerError = useCallback(
    (error: unknown) => {
      setFormError(error);
      if (!(error instanceof ApiError)) return;
      const mapped: FieldErrorMap<V> = {};
      const unmatched: string[] = [];
      const place = (serverField: string, code: string) => {
        const alias = fieldAliases?.[serverField];
        const base = serverField.split(/[.[]/)[0] ?? serverField;
        const name = alias ?? (base in initialRef.current ? (base as keyof V & string) : undefined);
        if (name) mapped[name] = code;
        else unmatched.push(code);
      };
      for (const [field, code] of Object.entries(error.fields)) place(field, code);
      const conflict = CODE_TO_FIELD[error.code];
      if (conflict) place(conflict.field, conflict.code);
      setServerErrors(mapped);
      setUnmatched(unmatched);
    },
    [fieldAliases],
  );

  const handleSubmit = useCallback(
    (submit: (values: V) => Promise<void>) => (event?: FormEvent) => {
      event?.preventDefault();
      if (busyRef.current) return;
      setSubmitted(true);
      const problems = validate ? validate(values) : {};
      if (Object.keys(problems).length > 0) {
        setFormError(null);
        // Take keyboard and screen-reader users to the first field that needs attention.
        const formElement = event?.currentTarget instanceof HTMLFormElement ? event.currentTarget : null;
        window.setTimeout(() => formElement?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(), 0);
        return;
      }
      busyRef.current = true;
      setBusy(true);
      setFormError(null);
      setServerErrors({});
      setUnmatched([]);
      submit(values)
        .catch((error: unknown) => applyServerError(error))
        .finally(() => {
          busyRef.current = false;
          setBusy(false);
        });
    },
    [applyServerError, validate, values],
  );

  const reset = useCallback((next?: V) => {
    setValues(next ?? initialRef.current);
    setTouched({});
    setSubmitted(false);
    setServerErrors({});
    setUnmatched([]);
    setFormError(null);
  }, []);

  return {
    values,
    setValue,
    errors,
    formError,
    unmatchedFieldCodes,
    busy,
    touch,
    handleSubmit,
    applyServerError,
    reset,
  };
}
