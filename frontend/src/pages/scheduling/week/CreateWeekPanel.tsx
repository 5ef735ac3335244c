// A week that does not exist yet: a manager creates it empty, from one of the location's templates, or as a
// copy of another week (optionally with who works which shift, each checked by the rule engine); the people a
// copy could not place are listed afterwards with the reasons.
import { useId, useState, type FormEvent } from 'react';
import { isApiError } from '../../../api/client';
import { useTemplates } from '../../../api/crew';
import { useCreateWeek } from '../../../api/schedule';
import type { CreatedWeek, CreateWeekRequest, WeekGrid, WeekSource, WeekSummary } from '../../../api/schedulingTypes';
import { Alert, Button } from '../../../components/feedback';
import { useI18n } from '../../../i18n/I18nProvider';
import { crewFieldMessage } from '../../crew/crewText';
import { Field } from '../../crew/ui';
import { compareWeeks } from '../isoWeek';
import { ReasonList } from './ReasonList';
import { isCode, shiftLabel, weekErrorMessage, weekRangeText, weekTitle } from './weekText';

export function CreateWeekPanel({
  locationId,
  isoWeek,
  weeks,
  onCreated,
}: {
  locationId: string;
  isoWeek: string;
  /** Existing weeks of the location around this one (copy sources). */
  weeks: readonly WeekSummary[];
  onCreated: (created: CreatedWeek) => void;
}) {
  const i18n = useI18n();
  const { t, tp, locale } = i18n;
  const titleId = useId();
  const templates = useTemplates(locationId);
  const create = useCreateWeek();
  const sources = [...weeks].filter((w) => w.week.isoWeek !== isoWeek).sort((a, b) => compareWeeks(b.week.isoWeek, a.week.isoWeek));
  const before = sources.find((w) => compareWeeks(w.week.isoWeek, isoWeek) < 0) ?? sources[0];
  const [source, setSource] = useState<WeekSource>('empty');
  const [templateId, setTemplateId] = useState('');
  const [copyFrom, setCopyFrom] = useState('');
  const [withAssignments, setWithAssignments] = useState(false);
  const [missing, setMissing] = useState<'templateId' | 'copyFrom' | null>(null);
  const templateList = templates.data ?? [];
  const chosenTemplate = templateId || templateList[0]?.id || '';
  const chosenCopy = copyFrom || before?.week.isoWeek || '';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (source === 'template' && !chosenTemplate) return setMissing('templateId');
    if (source === 'copy' && !chosenCopy) return setMissing('copyFrom');
    setMissing(null);
    const body: CreateWeekRequest =
      source === 'template'
        ? { isoWeek, source, templateId: chosenTemplate, withAssignments: false }
        : source === 'copy'
          ? { isoWeek, source, copyFrom: chosenCopy, withAssignments }
          : { isoWeek, source, withAssignments: false };
    create.mutate({ locationId, body }, { onSuccess: onCreated });
  };

  const fields = isApiError(create.error) ? create.error.fields : {};
  const fieldError = (name: 'templateId' | 'copyFrom') => {
    const code = missing === name ? 'required' : fields[name];
    return code ? crewFieldMessage(i18n, code, name) : undefined;
  };
  const banner =
    create.error && !(isCode(create.error, 'validation_failed') && (fields.templateId || fields.copyFrom))
      ? weekErrorMessage(i18n, create.error)
      : null;
  const option = (value: WeekSource, label: string, hint: string, disabled = false) => (
    <div className="check-list__item create-week__option">
      <input
        id={`${titleId}-${value}`}
        type="radio"
        name={`${titleId}-source`}
        className="checkbox"
        value={value}
        checked={source === value}
        disabled={disabled}
        onChange={() => setSource(value)}
        aria-describedby={`${titleId}-${value}-hint`}
      />
      <div className="create-week__option-text">
        <label htmlFor={`${titleId}-${value}`}>{label}</label>
        <p id={`${titleId}-${value}-hint`} className="field__hint">
          {hint}
        </p>
      </div>
    </div>
  );

  return (
    <form className="card create-week" data-testid="create-week" aria-labelledby={titleId} onSubmit={submit} noValidate>
      <h2 id={titleId}>{t('week.create.title', { week: weekTitle(t, isoWeek) })}</h2>
      <p className="muted">{t('week.create.intro', { range: weekRangeText(locale, isoWeek) })}</p>
      {banner ? <Alert kind="error">{banner}</Alert> : null}
      <fieldset className="field fieldset">
        <legend className="field__label">{t('week.create.source')}</legend>
        <div className="create-week__options">
          {option('empty', t('week.create.empty'), t('week.create.emptyHint'))}
          {option(
            'template',
            t('week.create.template'),
            templates.isPending ? t('common.loading') : templateList.length === 0 ? t('week.create.noTemplates') : t('week.create.templateHint'),
            templateList.length === 0,
          )}
          {option('copy', t('week.create.copy'), sources.length === 0 ? t('week.create.noWeeks') : t('week.create.copyHint'), sources.length === 0)}
        </div>
      </fieldset>
      {source === 'template' ? (
        <Field label={t('week.create.templateLabel')} error={fieldError('templateId')}>
          {(props) => (
            <select {...props} className="input" value={chosenTemplate} onChange={(e) => setTemplateId(e.target.value)}>
              {templateList.map((tpl) => (
                <option key={tpl.id} value={tpl.id}>
                  {tpl.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : null}
      {source === 'copy' ? (
        <>
          <Field label={t('week.create.copyLabel')} error={fieldError('copyFrom')}>
            {(props) => (
              <select {...props} className="input" value={chosenCopy} onChange={(e) => setCopyFrom(e.target.value)}>
                {sources.map((w) => (
                  <option key={w.week.id} value={w.week.isoWeek}>
                    {t('week.nav.option', {
                      week: weekTitle(t, w.week.isoWeek),
                      range: weekRangeText(locale, w.week.isoWeek),
                      status: t(`week.status.${w.week.status}`),
                    })}
                    {' · '}
                    {tp('templates.summary.shifts', w.shifts)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <div className="check-list__item">
            <input
              id={`${titleId}-with`}
              type="checkbox"
              className="checkbox"
              checked={withAssignments}
              onChange={(e) => setWithAssignments(e.target.checked)}
            />
            <label htmlFor={`${titleId}-with`}>{t('week.create.withAssignments')}</label>
          </div>
        </>
      ) : null}
      <div className="button-row">
        <Button type="submit" busy={create.isPending} busyLabel={t('week.create.creating')}>
          {t('week.create.submit')}
        </Button>
      </div>
    </form>
  );
}

/** What a creation did: shifts made, assignments copied, and each person a copy could not place with why. */
export function CreatedSummary({ created, grid, onDismiss }: { created: CreatedWeek; grid: WeekGrid; onDismiss: () => void }) {
  const i18n = useI18n();
  const { t, tp } = i18n;
  const shift = (id: string) => grid.shifts.find((s) => s.id === id);
  return (
    <div className="created-summary">
      <Alert kind={created.notCopied.length > 0 ? 'info' : 'success'} title={t('week.created.title', { week: weekTitle(t, created.week.isoWeek) })}>
        <p>
          {tp('templates.summary.shifts', created.shifts)}
          {created.assignmentsCopied > 0 || created.notCopied.length > 0
            ? ` · ${tp('week.created.copied', created.assignmentsCopied)}`
            : ''}
        </p>
        {created.notCopied.length > 0 ? (
          <>
            <p className="alert__title">{tp('week.created.notCopied', created.notCopied.length)}</p>
            <ul className="not-copied">
              {created.notCopied.map((n, i) => {
                const s = shift(n.shiftId);
                return (
                  <li key={`${n.person.id}-${n.shiftId}-${i}`} data-testid="not-copied" data-user-id={n.person.id}>
                    <strong>{n.person.name}</strong>
                    {s ? ` · ${shiftLabel(i18n, s, grid.positions)}` : ''}
                    <ReasonList reasons={n.reasons} timeZone={grid.location.timezone} />
                  </li>
                );
              })}
            </ul>
          </>
        ) : null}
        <Button variant="secondary" size="small" onClick={onDismiss}>
          {t('common.dismiss')}
        </Button>
      </Alert>
    </div>
  );
}
