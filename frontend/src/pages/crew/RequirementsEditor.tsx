// Required competencies with a minimum level (1–5): a position's minimum levels and a template shift's needs.
// Each row is a competency and a level; a competency can be chosen once.
import { useId } from 'react';
import type { Competency, Requirement } from '../../api/schedulingTypes';
import { Button } from '../../components/feedback';
import { useI18n } from '../../i18n/I18nProvider';
import { MAX_LEVEL } from './ui';

export function RequirementsEditor({
  value,
  onChange,
  competencies,
  legend,
  error,
  context,
}: {
  value: Requirement[];
  onChange: (next: Requirement[]) => void;
  /** Every competency of the location; archived ones only show when already chosen. */
  competencies: Competency[];
  legend: string;
  /** Translated text. */
  error?: string | undefined;
  /** Names the rows for screen readers, e.g. "Monday 17:00 bartender". */
  context?: string;
}) {
  const { t } = useI18n();
  const id = useId();
  const errorId = error ? `${id}-error` : undefined;
  const used = value.map((r) => r.competencyId);
  const free = competencies.filter((c) => !c.archived && !used.includes(c.id));
  const name = (competencyId: string) => competencies.find((c) => c.id === competencyId)?.name ?? '';

  const set = (index: number, change: Partial<Requirement>) =>
    onChange(value.map((r, i) => (i === index ? { ...r, ...change } : r)));
  const remove = (index: number) => onChange(value.filter((_, i) => i !== index));
  const add = () => {
    const first = free[0];
    if (first) onChange([...value, { competencyId: first.id, minLevel: 1 }]);
  };

  return (
    <fieldset
      className={error ? 'fieldset requirements field--invalid' : 'fieldset requirements'}
      aria-describedby={errorId}
    >
      <legend className="field__label">{legend}</legend>
      {value.length === 0 ? <p className="field__hint">{t('crew.requirements.none')}</p> : null}
      {value.length > 0 ? (
        <ul className="requirements__list">
          {value.map((r, index) => {
            const options = competencies.filter(
              (c) => c.id === r.competencyId || (!c.archived && !used.includes(c.id)),
            );
            const rowName = name(r.competencyId);
            return (
              // Keyed by place, not by competency: changing a row's competency keeps its controls (and the focus).
              <li key={index} className="requirements__row">
                <label className="visually-hidden" htmlFor={`${id}-c-${index}`}>
                  {t('crew.requirements.competency', { n: index + 1 })}
                  {context ? ` (${context})` : ''}
                </label>
                <select
                  id={`${id}-c-${index}`}
                  className="input"
                  value={r.competencyId}
                  onChange={(e) => set(index, { competencyId: e.target.value })}
                >
                  {options.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.archived ? `${c.name} (${t('crew.archived')})` : c.name}
                    </option>
                  ))}
                </select>
                <label className="visually-hidden" htmlFor={`${id}-l-${index}`}>
                  {t('crew.requirements.minLevelOf', { name: rowName })}
                </label>
                <select
                  id={`${id}-l-${index}`}
                  className="input requirements__level"
                  value={String(r.minLevel)}
                  onChange={(e) => set(index, { minLevel: Number(e.target.value) })}
                >
                  {Array.from({ length: MAX_LEVEL }, (_, i) => i + 1).map((level) => (
                    <option key={level} value={level}>
                      {t('crew.requirements.atLeast', { level })}
                    </option>
                  ))}
                </select>
                <Button
                  variant="ghost"
                  size="small"
                  className="requirements__remove"
                  onClick={() => remove(index)}
                  aria-label={t('crew.requirements.remove', { name: rowName })}
                >
                  <span aria-hidden="true">×</span>
                </Button>
              </li>
            );
          })}
        </ul>
      ) : null}
      {competencies.filter((c) => !c.archived).length === 0 ? (
        <p className="field__hint">{t('crew.requirements.noCompetencies')}</p>
      ) : (
        <div>
          <Button variant="secondary" size="small" onClick={add} disabled={free.length === 0}>
            {t('crew.requirements.add')}
          </Button>
        </div>
      )}
      {error ? (
        <p className="field__error" id={errorId}>
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
