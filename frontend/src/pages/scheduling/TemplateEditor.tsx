// The week-template editor: the name and every shift grouped by weekday (Monday first); rows are added,
// edited, copied to other weekdays and removed locally, and "Save" replaces all the template's shifts at once.
// Checks run before sending with the server's own codes; the server's `shifts[i].field` errors land on the
// row that was sent as shift i. Rows stack on a phone. Leaving with unsaved changes (the back button, a link,
// the browser's back, closing the tab) asks first.
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { useBlocker } from 'react-router';
import { isApiError } from '../../api/client';
import { useSaveTemplate } from '../../api/crew';
import { WEEKDAYS, type Competency, type Position, type WeekTemplate } from '../../api/schedulingTypes';
import { Alert, Button } from '../../components/feedback';
import { ConfirmDialog, Modal } from '../../components/Modal';
import { useToast } from '../../components/toast';
import { useI18n } from '../../i18n/I18nProvider';
import { crewErrorMessage, crewFieldMessage, formatHours, minutesToHours, weekdayLabel } from '../crew/crewText';
import { RequirementsEditor } from '../crew/RequirementsEditor';
import { CheckList, Field } from '../crew/ui';
import {
  checkDraft,
  copyToWeekdays,
  endsNextDay,
  errorCount,
  fingerprint,
  fromServerFields,
  fromTemplate,
  newShift,
  NO_ERRORS,
  paidMinutes,
  SHIFT_FIELDS,
  toRequest,
  totalPaidMinutes,
  type Draft,
  type DraftErrors,
  type DraftShift,
  type ShiftField,
} from './templateModel';

export function TemplateEditor({
  template,
  positions,
  competencies,
  onBack,
}: {
  template: WeekTemplate;
  positions: Position[];
  competencies: Competency[];
  onBack: () => void;
}) {
  const i18n = useI18n();
  const { t, tp, locale } = i18n;
  const toast = useToast();
  const save = useSaveTemplate();
  const [draft, setDraft] = useState<Draft>(() => fromTemplate(template));
  const [saved, setSaved] = useState(() => fingerprint(fromTemplate(template)));
  const [submitted, setSubmitted] = useState(false);
  const [server, setServer] = useState<DraftErrors>(NO_ERRORS);
  const [copying, setCopying] = useState<DraftShift | null>(null);
  const [focus, setFocus] = useState<string | null>(null);
  const root = useRef<HTMLFormElement>(null);
  const nameId = useId();

  const competencyIds = useMemo(() => competencies.filter((c) => !c.archived).map((c) => c.id), [competencies]);
  const client = useMemo(
    () => (submitted ? checkDraft(draft, positions, competencyIds) : NO_ERRORS),
    [submitted, draft, positions, competencyIds],
  );
  const dirty = fingerprint(draft) !== saved;

  // Any navigation away from this template while it has unsaved changes waits for a confirmation.
  // Logging out has already ended the session when it navigates to /login: asking then would only strand the
  // person on an editor that can no longer save.
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      dirty &&
      nextLocation.pathname !== '/login' &&
      (currentLocation.pathname !== nextLocation.pathname || currentLocation.search !== nextLocation.search),
  );
  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [dirty]);

  // Moving focus after rows move or appear (a weekday change re-parents the row).
  useEffect(() => {
    if (!focus) return;
    root.current?.querySelector<HTMLElement>(focus)?.focus();
    setFocus(null);
  }, [focus, draft]);

  const rowError = (key: string, field: ShiftField): string | undefined => {
    const code = client.rows[key]?.[field] ?? server.rows[key]?.[field];
    return code ? crewFieldMessage(i18n, code, field) : undefined;
  };
  const nameCode = client.name ?? server.name;
  const shiftsCode = client.shifts ?? server.shifts;

  const clearServer = (key: string, field: ShiftField) =>
    setServer((prev) => {
      const row = prev.rows[key];
      if (!row?.[field]) return prev;
      const nextRow = { ...row };
      delete nextRow[field];
      return { ...prev, rows: { ...prev.rows, [key]: nextRow } };
    });

  const updateRow = (key: string, change: Partial<DraftShift>) => {
    setDraft((d) => ({ ...d, shifts: d.shifts.map((s) => (s.key === key ? { ...s, ...change } : s)) }));
    for (const field of Object.keys(change)) clearServer(key, field as ShiftField);
    if (change.weekday !== undefined) setFocus(`[data-row="${key}"] [data-field="weekday"]`);
  };

  const addRow = (weekday: number) => {
    const row = newShift(weekday, draft, positions);
    setDraft((d) => ({ ...d, shifts: [...d.shifts, row] }));
    setFocus(`[data-row="${row.key}"] [data-field="positionId"]`);
  };

  const removeRow = (row: DraftShift) => {
    setDraft((d) => ({ ...d, shifts: d.shifts.filter((s) => s.key !== row.key) }));
    setFocus(`[data-add-day="${row.weekday}"]`);
    toast.show('info', t('templates.row.removed', { day: weekdayLabel(t, row.weekday) }));
  };

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    setSubmitted(true);
    const found = checkDraft(draft, positions, competencyIds);
    if (errorCount(found) > 0) {
      setFocus('[aria-invalid="true"]');
      return;
    }
    const { body, keys } = toRequest(draft);
    try {
      const result = await save.mutateAsync({ id: template.id, body });
      const next = fromTemplate(result);
      setDraft(next);
      setSaved(fingerprint(next));
      setServer(NO_ERRORS);
      setSubmitted(false);
      toast.success(t('templates.saved', { name: result.name }));
    } catch (e) {
      if (isApiError(e) && Object.keys(e.fields).length > 0) {
        setServer(fromServerFields(e.fields, keys));
        setFocus('[aria-invalid="true"]');
      } else {
        // The last answer's field errors are stale now; the banner shows this failure.
        setServer(NO_ERRORS);
      }
    }
  };

  const clientCount = errorCount(client);
  const serverCount = errorCount(server);
  const banner = save.error && serverCount === 0 ? crewErrorMessage(i18n, save.error) : null;
  const totalMinutes = totalPaidMinutes(draft.shifts);
  const activePositions = positions.filter((p) => !p.archived);

  return (
    <form ref={root} className="template-editor crew-ui" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={nameId}>
      <div className="template-editor__top">
        <Button variant="ghost" onClick={onBack}>
          <span aria-hidden="true">← </span>
          {t('templates.back')}
        </Button>
      </div>
      <div className="card template-editor__head">
        <h2 id={nameId}>{t('templates.editTitle', { name: template.name })}</h2>
        <Field label={t('templates.name')} error={nameCode ? crewFieldMessage(i18n, nameCode, 'name') : undefined}>
          {(props) => (
            <input
              {...props}
              className="input"
              autoComplete="off"
              value={draft.name}
              onChange={(e) => {
                setDraft((d) => ({ ...d, name: e.target.value }));
                setServer((prev) => ({ ...prev, name: undefined }));
              }}
            />
          )}
        </Field>
        <p className="muted small" aria-live="polite">
          {tp('templates.summary.shifts', draft.shifts.length)} · {t('templates.summary.hours', { hours: formatHours(locale, minutesToHours(totalMinutes)) })}
        </p>
        {activePositions.length === 0 ? <Alert kind="info">{t('templates.noPositions')}</Alert> : null}
      </div>

      {shiftsCode ? <Alert kind="error">{crewFieldMessage(i18n, shiftsCode, 'shifts')}</Alert> : null}

      {WEEKDAYS.map((weekday) => (
        <DaySection
          key={weekday}
          weekday={weekday}
          rows={draft.shifts.filter((s) => s.weekday === weekday)}
          positions={positions}
          competencies={competencies}
          canAdd={activePositions.length > 0}
          rowError={rowError}
          onAdd={() => addRow(weekday)}
          onChange={updateRow}
          onRemove={removeRow}
          onCopy={setCopying}
        />
      ))}

      <div className="template-savebar" role="region" aria-label={t('templates.saveBar')}>
        <div className="template-savebar__state" aria-live="polite">
          {save.isPending ? (
            <span>{t('templates.saving')}</span>
          ) : submitted && clientCount > 0 ? (
            <span className="template-savebar__errors">{tp('templates.errors', clientCount)}</span>
          ) : serverCount > 0 ? (
            <span className="template-savebar__errors">{tp('templates.errors', serverCount)}</span>
          ) : dirty ? (
            <span>{t('templates.unsaved')}</span>
          ) : (
            <span className="muted">{t('templates.allSaved')}</span>
          )}
        </div>
        <Button type="submit" busy={save.isPending} busyLabel={t('templates.saving')}>
          {t('templates.save')}
        </Button>
      </div>
      {banner ? <Alert kind="error">{banner}</Alert> : null}
      {server.other.length > 0 ? (
        <Alert kind="error">
          <ul className="alert__list">
            {[...new Set(server.other)].map((code) => (
              <li key={code}>{crewFieldMessage(i18n, code)}</li>
            ))}
          </ul>
        </Alert>
      ) : null}

      {copying ? (
        <CopyDialog
          row={copying}
          onClose={() => setCopying(null)}
          onCopy={(weekdays) => {
            setDraft((d) => copyToWeekdays(d, copying.key, weekdays));
            toast.success(tp('templates.copy.done', weekdays.length));
            setCopying(null);
          }}
        />
      ) : null}
      {blocker.state === 'blocked' ? (
        <ConfirmDialog
          title={t('templates.leave.title')}
          message={t('templates.leave.message')}
          confirmLabel={t('templates.leave.confirm')}
          busy={false}
          danger
          onConfirm={() => blocker.proceed()}
          onCancel={() => blocker.reset()}
        />
      ) : null}
    </form>
  );
}

function DaySection({
  weekday,
  rows,
  positions,
  competencies,
  canAdd,
  rowError,
  onAdd,
  onChange,
  onRemove,
  onCopy,
}: {
  weekday: number;
  rows: DraftShift[];
  positions: Position[];
  competencies: Competency[];
  canAdd: boolean;
  rowError: (key: string, field: ShiftField) => string | undefined;
  onAdd: () => void;
  onChange: (key: string, change: Partial<DraftShift>) => void;
  onRemove: (row: DraftShift) => void;
  onCopy: (row: DraftShift) => void;
}) {
  const { t, tp, locale } = useI18n();
  const headingId = useId();
  const day = weekdayLabel(t, weekday);
  const minutes = totalPaidMinutes(rows);
  return (
    <section className="card template-day" aria-labelledby={headingId} data-weekday={weekday}>
      <div className="card__head">
        <h3 id={headingId}>{day}</h3>
        <span className="muted small">
          {rows.length === 0
            ? t('templates.day.none')
            : `${tp('templates.summary.shifts', rows.length)} · ${t('templates.summary.hours', { hours: formatHours(locale, minutesToHours(minutes)) })}`}
        </span>
      </div>
      {rows.length > 0 ? (
        <ol className="template-rows">
          {rows.map((row, index) => (
            <ShiftRow
              key={row.key}
              row={row}
              index={index}
              positions={positions}
              competencies={competencies}
              error={(field) => rowError(row.key, field)}
              onChange={(change) => onChange(row.key, change)}
              onRemove={() => onRemove(row)}
              onCopy={() => onCopy(row)}
            />
          ))}
        </ol>
      ) : null}
      <div>
        <Button variant="secondary" onClick={onAdd} disabled={!canAdd} data-add-day={weekday}>
          {t('templates.addShiftOn', { day })}
        </Button>
      </div>
    </section>
  );
}

function ShiftRow({
  row,
  index,
  positions,
  competencies,
  error,
  onChange,
  onRemove,
  onCopy,
}: {
  row: DraftShift;
  index: number;
  positions: Position[];
  competencies: Competency[];
  error: (field: ShiftField) => string | undefined;
  onChange: (change: Partial<DraftShift>) => void;
  onRemove: () => void;
  onCopy: () => void;
}) {
  const i18n = useI18n();
  const { t, tp, locale } = i18n;
  const day = weekdayLabel(t, row.weekday);
  const legend = t('templates.row.legend', { day, n: index + 1 });
  const paid = paidMinutes(row);
  const slots = Number(row.slots);
  const nextDay = endsNextDay(row.start, row.end);
  const positionName = positions.find((p) => p.id === row.positionId)?.name ?? '';
  const options = positions.filter((p) => !p.archived || p.id === row.positionId);
  const invalid = SHIFT_FIELDS.some((f) => error(f));

  return (
    <li className={invalid ? 'template-row has-errors' : 'template-row'} data-row={row.key}>
      <fieldset className="fieldset template-row__fields">
        <legend className="template-row__legend">
          <span>{legend}</span>
          <span className="muted small template-row__paid">
            {paid !== null
              ? t('templates.row.paid', { hours: formatHours(locale, minutesToHours(paid)) }) +
                (Number.isInteger(slots) && slots > 1 ? ` × ${tp('templates.row.slots', slots)}` : '')
              : ''}
          </span>
        </legend>
        <div className="template-row__grid">
          <Field label={t('templates.field.weekday')} error={error('weekday')} className="template-row__weekday">
            {(props) => (
              <select
                {...props}
                className="input"
                data-field="weekday"
                value={row.weekday}
                onChange={(e) => onChange({ weekday: Number(e.target.value) })}
              >
                {WEEKDAYS.map((w) => (
                  <option key={w} value={w}>
                    {weekdayLabel(t, w)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('field.position')} error={error('positionId')} className="template-row__position">
            {(props) => (
              <select
                {...props}
                className="input"
                data-field="positionId"
                value={row.positionId}
                onChange={(e) => onChange({ positionId: e.target.value })}
              >
                {row.positionId === '' ? <option value="">{t('templates.field.choosePosition')}</option> : null}
                {options.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.archived ? `${p.name} (${t('crew.archived')})` : p.name}
                  </option>
                ))}
                {row.positionId && !options.some((p) => p.id === row.positionId) ? (
                  <option value={row.positionId}>{t('templates.field.unknownPosition')}</option>
                ) : null}
              </select>
            )}
          </Field>
          <Field label={t('templates.field.start')} error={error('start')} className="template-row__time">
            {(props) => (
              <input
                {...props}
                className="input"
                type="time"
                data-field="start"
                value={row.start}
                onChange={(e) => onChange({ start: e.target.value })}
              />
            )}
          </Field>
          <Field
            label={t('templates.field.end')}
            error={error('end')}
            hint={nextDay ? <span className="next-day">{t('templates.field.nextDay')}</span> : undefined}
            className="template-row__time"
          >
            {(props) => (
              <input
                {...props}
                className="input"
                type="time"
                data-field="end"
                value={row.end}
                onChange={(e) => onChange({ end: e.target.value })}
              />
            )}
          </Field>
          <Field label={t('templates.field.break')} error={error('breakMinutes')} className="template-row__number">
            {(props) => (
              <input
                {...props}
                className="input"
                type="number"
                inputMode="numeric"
                min={0}
                step={5}
                data-field="breakMinutes"
                value={row.breakMinutes}
                onChange={(e) => onChange({ breakMinutes: e.target.value })}
              />
            )}
          </Field>
          <Field label={t('templates.field.slots')} error={error('slots')} className="template-row__number">
            {(props) => (
              <input
                {...props}
                className="input"
                type="number"
                inputMode="numeric"
                min={1}
                max={50}
                data-field="slots"
                value={row.slots}
                onChange={(e) => onChange({ slots: e.target.value })}
              />
            )}
          </Field>
        </div>
        <RequirementsEditor
          legend={t('templates.field.requirements')}
          value={row.requirements}
          onChange={(requirements) => onChange({ requirements })}
          competencies={competencies}
          error={error('requirements')}
          context={`${legend}${positionName ? `, ${positionName}` : ''}`}
        />
        <Field label={t('templates.field.note')} optional error={error('note')}>
          {(props) => (
            <input
              {...props}
              className="input"
              data-field="note"
              autoComplete="off"
              value={row.note}
              onChange={(e) => onChange({ note: e.target.value })}
            />
          )}
        </Field>
        <div className="button-row template-row__actions">
          <Button variant="secondary" onClick={onCopy} aria-label={t('templates.row.copyLabel', { row: legend })}>
            {t('templates.row.copy')}
          </Button>
          <Button variant="ghost" onClick={onRemove} aria-label={t('templates.row.removeLabel', { row: legend })}>
            {t('templates.row.remove')}
          </Button>
        </div>
      </fieldset>
    </li>
  );
}

function CopyDialog({
  row,
  onClose,
  onCopy,
}: {
  row: DraftShift;
  onClose: () => void;
  onCopy: (weekdays: number[]) => void;
}) {
  const { t } = useI18n();
  const [chosen, setChosen] = useState<string[]>([]);
  const [error, setError] = useState<string | undefined>(undefined);
  const formId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    // The dialog renders in a portal, but React still bubbles its submit to the editor's form.
    event.stopPropagation();
    if (chosen.length === 0) {
      setError(t('templates.copy.none'));
      return;
    }
    onCopy(chosen.map(Number).sort());
  };
  const others = WEEKDAYS.filter((w) => w !== row.weekday);
  return (
    <Modal
      title={t('templates.copy.title', { day: weekdayLabel(t, row.weekday), start: row.start, end: row.end })}
      onClose={onClose}
      size="small"
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" form={formId}>
            {t('templates.copy.submit')}
          </Button>
        </>
      }
    >
      <form id={formId} className="form crew-ui" onSubmit={submit} noValidate>
        <CheckList
          legend={t('templates.copy.to')}
          options={others.map((w) => ({ value: String(w), label: weekdayLabel(t, w) }))}
          selected={chosen}
          onChange={(next) => {
            setChosen(next);
            setError(undefined);
          }}
          error={error}
        />
        <div className="button-row">
          <Button variant="ghost" size="small" onClick={() => setChosen(others.filter((w) => w <= 5).map(String))}>
            {t('templates.copy.weekdays')}
          </Button>
          <Button variant="ghost" size="small" onClick={() => setChosen(others.map(String))}>
            {t('templates.copy.all')}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
