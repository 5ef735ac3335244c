// Adding or changing one shift of the week: its day (one of the week's seven), position, local start and end
// (an end at or before the start is the next day: "+1 day"), unpaid break, slots, required competencies and a
// note. The template editor's checks run first; the server's field codes land on their fields; a started
// shift of a published week asks a manager for a reason; `expectedVersion` guards against someone else's edit.
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { isApiError } from '../../../api/client';
import { useAddShift, useUpdateShift } from '../../../api/schedule';
import type { GridShift, Requirement, ShiftRequest, WeekGrid } from '../../../api/schedulingTypes';
import { Alert, Button } from '../../../components/feedback';
import { Modal } from '../../../components/Modal';
import { useToast } from '../../../components/toast';
import { useI18n } from '../../../i18n/I18nProvider';
import { crewFieldMessage } from '../../crew/crewText';
import { RequirementsEditor } from '../../crew/RequirementsEditor';
import { Field } from '../../crew/ui';
import { checkShift, endsNextDay, SLOTS_MAX } from '../templateModel';
import { checkReason } from './ReasonDialog';
import { dayLabel, isCode, positionName, shiftLabel, weekErrorMessage } from './weekText';

export type ShiftTarget = { mode: 'create'; date: string; positionId: string } | { mode: 'edit'; shift: GridShift };

const FIELDS = ['date', 'positionId', 'start', 'end', 'breakMinutes', 'slots', 'requirements', 'note'] as const;
type FormField = (typeof FIELDS)[number];
type Errors = Partial<Record<FormField, string>>;

interface Form {
  date: string;
  positionId: string;
  start: string;
  end: string;
  breakMinutes: string;
  slots: string;
  requirements: Requirement[];
  note: string;
}

function initial(target: ShiftTarget): Form {
  if (target.mode === 'create') {
    return {
      date: target.date,
      positionId: target.positionId,
      start: '17:00',
      end: '23:00',
      breakMinutes: '0',
      slots: '1',
      requirements: [],
      note: '',
    };
  }
  const s = target.shift;
  return {
    date: s.date,
    positionId: s.positionId,
    start: s.localStart,
    end: s.localEnd,
    breakMinutes: String(s.breakMinutes),
    slots: String(s.slots),
    requirements: s.requirements.map((r) => ({ ...r })),
    note: s.note ?? '',
  };
}

/** The template editor's checks (the same server codes), plus the day inside the week. */
function check(form: Form, grid: WeekGrid, competencyIds: string[]): Errors {
  const day = grid.days.find((d) => d.date === form.date);
  const found = checkShift({ key: 'shift', weekday: day?.weekday ?? 1, ...form }, grid.positions, competencyIds);
  const errors: Errors = {};
  for (const field of FIELDS) {
    const code = field === 'date' ? undefined : found[field];
    if (code) errors[field] = code;
  }
  if (!day) errors.date = 'outside_week';
  return errors;
}

/** The server's field codes for the fields of this form (`requirements[0].minLevel` counts as requirements). */
function fromServer(fields: Record<string, string>): Errors {
  const errors: Errors = {};
  for (const [name, code] of Object.entries(fields)) {
    const field = FIELDS.find((f) => name === f || name.startsWith(`${f}[`) || name.startsWith(`${f}.`));
    if (field && !errors[field]) errors[field] = code;
  }
  return errors;
}

export function ShiftDialog({
  grid,
  target,
  canManage,
  onDelete,
  onClose,
}: {
  grid: WeekGrid;
  target: ShiftTarget;
  canManage: boolean;
  onDelete: (shift: GridShift) => void;
  onClose: () => void;
}) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const toast = useToast();
  const formId = useId();
  const root = useRef<HTMLFormElement>(null);
  const add = useAddShift();
  const update = useUpdateShift();
  const mutation = target.mode === 'edit' ? update : add;
  const [form, setForm] = useState<Form>(() => initial(target));
  const [submitted, setSubmitted] = useState(false);
  const [server, setServer] = useState<Errors>({});
  const [needsReason, setNeedsReason] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonCode, setReasonCode] = useState<string | null>(null);
  const [focusError, setFocusError] = useState(false);
  const competencyIds = useMemo(() => grid.competencies.filter((c) => !c.archived).map((c) => c.id), [grid.competencies]);
  const local = submitted ? check(form, grid, competencyIds) : {};
  const personName = (id: string) => grid.people.find((p) => p.person.id === id)?.person.name;

  useEffect(() => {
    if (!focusError) return;
    root.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
    setFocusError(false);
  }, [focusError]);

  const error = (field: FormField): string | undefined => {
    const code = local[field] ?? server[field];
    return code ? crewFieldMessage(i18n, code, field) : undefined;
  };
  const change = (patch: Partial<Form>) => {
    setForm((f) => ({ ...f, ...patch }));
    setServer((prev) => {
      const next = { ...prev };
      for (const key of Object.keys(patch)) delete next[key as FormField];
      return next;
    });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    const found = check(form, grid, competencyIds);
    const reasonProblem = needsReason ? checkReason(reason) : null;
    setReasonCode(reasonProblem);
    if (Object.keys(found).length > 0 || reasonProblem) {
      setFocusError(true);
      return;
    }
    const note = form.note.trim();
    const body: ShiftRequest = {
      date: form.date,
      positionId: form.positionId,
      start: form.start,
      end: form.end,
      breakMinutes: form.breakMinutes.trim() === '' ? 0 : Number(form.breakMinutes),
      slots: Number(form.slots),
      requirements: form.requirements,
      note: note === '' ? null : note,
      expectedVersion: grid.week.version,
      ...(needsReason ? { reason: reason.trim() } : {}),
    };
    try {
      if (target.mode === 'edit') await update.mutateAsync({ shiftId: target.shift.id, body });
      else await add.mutateAsync({ weekId: grid.week.id, body });
      toast.success(target.mode === 'edit' ? t('week.shiftDialog.saved') : t('week.shiftDialog.added'));
      onClose();
    } catch (e) {
      if (isCode(e, 'shift_in_past') && canManage && !needsReason) {
        setNeedsReason(true);
      } else if (isApiError(e)) {
        setServer(fromServer(e.fields));
        setFocusError(true);
      }
    }
  };

  const fieldCount = Object.keys(server).length;
  // A started shift: a manager gets the reason field below, anyone else the explanation.
  const banner = !mutation.error
    ? null
    : isCode(mutation.error, 'shift_in_past')
      ? canManage
        ? null
        : t('week.past.managerOnly')
      : isCode(mutation.error, 'validation_failed') && fieldCount > 0
        ? null
        : weekErrorMessage(i18n, mutation.error, personName);
  const options = grid.positions.filter((p) => !p.archived || p.id === form.positionId);
  const title =
    target.mode === 'edit'
      ? t('week.shiftDialog.editTitle', { shift: shiftLabel(i18n, target.shift, grid.positions) })
      : t('week.shiftDialog.addTitle', { day: dayLabel(locale, form.date, 'long') });

  return (
    <Modal
      title={title}
      onClose={mutation.isPending ? () => undefined : onClose}
      footer={
        <>
          {target.mode === 'edit' ? (
            <Button variant="ghost" className="shift-dialog__delete" onClick={() => onDelete(target.shift)} disabled={mutation.isPending}>
              {t('week.shiftDialog.delete')}
            </Button>
          ) : null}
          <Button variant="secondary" onClick={onClose} disabled={mutation.isPending}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" form={formId} busy={mutation.isPending} busyLabel={t('common.saving')}>
            {target.mode === 'edit' ? t('week.shiftDialog.save') : t('week.shiftDialog.add')}
          </Button>
        </>
      }
    >
      <form ref={root} id={formId} className="form shift-form" onSubmit={(e) => void submit(e)} noValidate>
        {banner ? <Alert kind="error">{banner}</Alert> : null}
        {target.mode === 'edit' && target.shift.assignments.length > 0 ? (
          <p className="muted small">{t('week.shiftDialog.peopleMove')}</p>
        ) : null}
        <div className="shift-form__grid">
          <Field label={t('week.shiftDialog.day')} error={error('date')}>
            {(props) => (
              <select {...props} className="input" value={form.date} onChange={(e) => change({ date: e.target.value })} data-autofocus>
                {grid.days.map((d) => (
                  <option key={d.date} value={d.date}>
                    {dayLabel(locale, d.date, 'long')}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('field.position')} error={error('positionId')}>
            {(props) => (
              <select {...props} className="input" value={form.positionId} onChange={(e) => change({ positionId: e.target.value })}>
                {form.positionId === '' ? <option value="">{t('templates.field.choosePosition')}</option> : null}
                {options.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.archived ? `${p.name} (${t('crew.archived')})` : p.name}
                  </option>
                ))}
                {form.positionId && !options.some((p) => p.id === form.positionId) ? (
                  <option value={form.positionId}>{positionName(t, grid.positions, form.positionId)}</option>
                ) : null}
              </select>
            )}
          </Field>
          <Field label={t('templates.field.start')} error={error('start')}>
            {(props) => <input {...props} className="input" type="time" value={form.start} onChange={(e) => change({ start: e.target.value })} />}
          </Field>
          <Field
            label={t('templates.field.end')}
            error={error('end')}
            hint={endsNextDay(form.start, form.end) ? <span className="next-day">{t('week.shift.nextDay')}</span> : t('week.shiftDialog.endHint')}
          >
            {(props) => <input {...props} className="input" type="time" value={form.end} onChange={(e) => change({ end: e.target.value })} />}
          </Field>
          <Field label={t('templates.field.break')} error={error('breakMinutes')}>
            {(props) => (
              <input
                {...props}
                className="input"
                type="number"
                inputMode="numeric"
                min={0}
                step={5}
                value={form.breakMinutes}
                onChange={(e) => change({ breakMinutes: e.target.value })}
              />
            )}
          </Field>
          <Field label={t('templates.field.slots')} error={error('slots')}>
            {(props) => (
              <input
                {...props}
                className="input"
                type="number"
                inputMode="numeric"
                min={1}
                max={SLOTS_MAX}
                value={form.slots}
                onChange={(e) => change({ slots: e.target.value })}
              />
            )}
          </Field>
        </div>
        <RequirementsEditor
          legend={t('templates.field.requirements')}
          value={form.requirements}
          onChange={(requirements) => change({ requirements })}
          competencies={grid.competencies}
          error={error('requirements')}
        />
        <Field label={t('templates.field.note')} optional error={error('note')}>
          {(props) => (
            <textarea {...props} className="input input--textarea" rows={2} value={form.note} onChange={(e) => change({ note: e.target.value })} />
          )}
        </Field>
        {needsReason ? (
          <>
            <Alert kind="info">{t('week.past.intro')}</Alert>
            <Field
              label={t('week.past.reason')}
              hint={t('week.reasonHint')}
              error={reasonCode ? crewFieldMessage(i18n, reasonCode, 'reason') : undefined}
            >
              {(props) => (
                <textarea
                  {...props}
                  className="input input--textarea"
                  rows={2}
                  value={reason}
                  onChange={(e) => {
                    setReason(e.target.value);
                    setReasonCode(null);
                  }}
                />
              )}
            </Field>
          </>
        ) : null}
      </form>
    </Modal>
  );
}
