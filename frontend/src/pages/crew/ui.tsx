// Small building blocks of the crew and template screens: a labelled field that shows an already translated
// error (the scheduling codes have their own wording), a check list, level dots, the status badge and the
// location picker that remembers the venue.
import { useEffect, useId, useMemo, type ReactElement, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import type { Location } from '../../api/types';
import type { CrewStatus } from '../../api/schedulingTypes';
import { useLocations } from '../../api/queries';
import { useI18n } from '../../i18n/I18nProvider';
import { crewStatusLabel } from './crewText';
import { readRemembered, remember, VENUE_STORAGE_KEY } from '../../components/remembered';

export const MAX_LEVEL = 5;

/** A label, a control and its hint and error. `children` receives the id and `aria-describedby` to set. */
export function Field({
  label,
  hint,
  error,
  optional,
  className,
  children,
}: {
  label: ReactNode;
  hint?: ReactNode;
  /** Translated text. */
  error?: string | undefined;
  optional?: boolean;
  className?: string;
  children: (props: { id: string; 'aria-describedby': string | undefined; 'aria-invalid': true | undefined }) => ReactElement;
}) {
  const { t } = useI18n();
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={['field', error ? 'field--invalid' : '', className ?? ''].filter(Boolean).join(' ')}>
      <label className="field__label" htmlFor={id}>
        {label}
        {optional ? <span className="field__optional"> ({t('common.optional')})</span> : null}
      </label>
      {children({ id, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined })}
      {hint ? (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field__error" id={errorId}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** Checkboxes in a fieldset, with a translated error. */
export function CheckList({
  legend,
  options,
  selected,
  onChange,
  error,
  empty,
  hint,
}: {
  legend: ReactNode;
  options: { value: string; label: ReactNode }[];
  selected: readonly string[];
  onChange: (selected: string[]) => void;
  error?: string | undefined;
  empty?: ReactNode;
  hint?: ReactNode;
}) {
  const id = useId();
  const errorId = error ? `${id}-error` : undefined;
  const hintId = hint ? `${id}-hint` : undefined;
  const toggle = (value: string, on: boolean) =>
    onChange(on ? [...selected.filter((v) => v !== value), value] : selected.filter((v) => v !== value));
  return (
    <fieldset
      className={error ? 'field fieldset field--invalid' : 'field fieldset'}
      aria-describedby={[errorId, hintId].filter(Boolean).join(' ') || undefined}
    >
      <legend className="field__label">{legend}</legend>
      {options.length === 0 && empty ? <p className="field__hint">{empty}</p> : null}
      {options.length > 0 ? (
        <div className="check-list">
          {options.map((o) => (
            <div className="check-list__item" key={o.value}>
              <input
                id={`${id}-${o.value}`}
                type="checkbox"
                className="checkbox"
                checked={selected.includes(o.value)}
                onChange={(e) => toggle(o.value, e.target.checked)}
              />
              <label htmlFor={`${id}-${o.value}`}>{o.label}</label>
            </div>
          ))}
        </div>
      ) : null}
      {hint ? (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field__error" id={errorId}>
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/** A level 0–5 as five dots, with the number for screen readers (or hidden from them when `decorative`). */
export function LevelDots({ level, label, decorative = false }: { level: number; label?: string; decorative?: boolean }) {
  const { t } = useI18n();
  const text = label ?? t('crew.level.of', { level, max: MAX_LEVEL });
  const dots = Array.from({ length: MAX_LEVEL }, (_, i) => (
    <span key={i} className={i < level ? 'level-dots__dot is-on' : 'level-dots__dot'} aria-hidden="true" />
  ));
  if (decorative) {
    return (
      <span className="level-dots" data-level={level} aria-hidden="true">
        {dots}
      </span>
    );
  }
  return (
    <span className="level-dots" data-level={level} role="img" aria-label={text} title={text}>
      {dots}
    </span>
  );
}

export function CrewStatusBadge({ status }: { status: CrewStatus }) {
  const { t } = useI18n();
  return <span className={`badge badge--crew-${status}`}>{crewStatusLabel(t, status)}</span>;
}

const LOCATION_STORAGE_KEY = VENUE_STORAGE_KEY;



/**
 * The venue a crew screen shows: `?location=` in the address, else the one chosen last time (remembered in
 * this browser), else the first of the caller's active locations.
 */
export function useChosenLocation() {
  const locations = useLocations();
  const [params, setParams] = useSearchParams();
  const fromUrl = params.get('location') ?? '';
  const list = useMemo(() => locations.data ?? [], [locations.data]);
  const usable = useMemo(() => {
    const active = list.filter((l) => l.active);
    return active.length > 0 ? active : list;
  }, [list]);
  const stored = readRemembered(LOCATION_STORAGE_KEY);
  const chosen =
    (fromUrl && list.some((l) => l.id === fromUrl) && fromUrl) ||
    (stored && usable.some((l) => l.id === stored) && stored) ||
    usable[0]?.id ||
    '';
  const location: Location | undefined = list.find((l) => l.id === chosen);

  useEffect(() => {
    if (chosen) remember(LOCATION_STORAGE_KEY, chosen);
  }, [chosen]);

  const choose = (id: string) => {
    remember(LOCATION_STORAGE_KEY, id);
    setParams(
      (prev) => {
        const next = new URLSearchParams();
        // Another location's tab stays; its filters and selection do not.
        const tab = prev.get('tab');
        if (tab) next.set('tab', tab);
        next.set('location', id);
        return next;
      },
      { replace: true },
    );
  };
  return { locations, list, locationId: chosen, location, choose };
}

/** A venue chooser, shown only when there is more than one venue to choose from. */
export function LocationPicker({
  list,
  value,
  onChange,
  className = 'location-picker',
}: {
  list: ReadonlyArray<Pick<Location, 'id' | 'name'> & { active?: boolean }>;
  value: string;
  onChange: (id: string) => void;
  className?: string;
}) {
  const { t } = useI18n();
  const id = useId();
  if (list.length <= 1) return null;
  return (
    <div className={`field ${className}`}>
      <label className="field__label" htmlFor={id}>
        {t('field.location')}
      </label>
      <select id={id} className="input" value={value} onChange={(e) => onChange(e.target.value)}>
        {list.map((l) => (
          <option key={l.id} value={l.id}>
            {l.active === false ? `${l.name} (${t('locations.archived')})` : l.name}
          </option>
        ))}
      </select>
    </div>
  );
}
