// /me/availability — when I can work (self.service): the weekly pattern per weekday (Monday first) with
// available / unavailable / preferred windows, each the whole day or between two times (an end at or before the
// start runs into the next day), from a date on; the changes planned for later; and single days I cannot work.
// The server's `windows[i].field` errors land on the window that was sent as window i.
//
// Stable selectors: [data-testid="availability-day"] a weekday's row (data-weekday 1–7),
// [data-testid="availability-window"] a window in it (data-kind), [data-testid="planned-pattern"],
// [data-testid="unavailable-day"] (data-date).
import { useId, useMemo, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { isApiError } from '../../api/client';
import { useMe } from '../../api/queries';
import { WEEKDAYS } from '../../api/schedulingTypes';
import { useAddUnavailableDay, useAvailability, useRemoveUnavailableDay, useSetPattern } from '../../api/selfService';
import { AVAILABILITY_KINDS, type Availability, type AvailabilityKind, type AvailabilityPattern, type AvailabilityWindow } from '../../api/selfServiceTypes';
import { Alert, Button, LoadError, Loading } from '../../components/feedback';
import { useTitle } from '../../components/Layout';
import { useToast } from '../../components/toast';
import { useI18n } from '../../i18n/I18nProvider';
import { weekdayLabel } from '../crew/crewText';
import { Field } from '../crew/ui';
import { todayInZone } from '../hiring/zonedTime';
import {
  canAdd,
  checkWeek,
  fromPattern,
  fromServerFields,
  hasErrors,
  isNothingDeclared,
  newWindow,
  NO_ERRORS,
  patternDays,
  splitPatterns,
  toRequest,
  type DraftWeek,
  type DraftWindow,
  type PatternErrors,
} from './availabilityModel';
import { fieldMessage, homeZone, shortDay } from './selfText';
import './selfService.css';

export function AvailabilityPage() {
  const { t } = useI18n();
  useTitle(t('availability.title'));
  const me = useMe().data;
  const availability = useAvailability();
  const today = todayInZone(homeZone(me));

  return (
    <div className="page self-page" data-testid="availability">
      <header className="page__header">
        <p className="back-link">
          <Link to="/me/shifts">← {t('calendar.back')}</Link>
        </p>
        <h1>{t('availability.title')}</h1>
        <p className="muted">{t('availability.intro')}</p>
      </header>
      {availability.isPending ? (
        <Loading />
      ) : availability.isError ? (
        <LoadError error={availability.error} onRetry={() => void availability.refetch()} />
      ) : (
        <>
          <PatternEditor availability={availability.data} today={today} />
          <UnavailableDays days={availability.data.unavailableDays} today={today} />
        </>
      )}
    </div>
  );
}

interface EditorState {
  week: DraftWeek;
  effectiveFrom: string;
  /** The planned pattern being edited, or null for the current one. */
  editing: string | null;
}

function PatternEditor({ availability, today }: { availability: Availability; today: string }) {
  const i18n = useI18n();
  const { t, tp, locale } = i18n;
  const toast = useToast();
  const save = useSetPattern();
  const { current, planned } = useMemo(() => splitPatterns(availability, today), [availability, today]);
  const initial = (): EditorState => ({ week: fromPattern(current), effectiveFrom: today, editing: null });
  const [editor, setEditor] = useState<EditorState>(initial);
  const [submitted, setSubmitted] = useState(false);
  const [server, setServer] = useState<PatternErrors>(NO_ERRORS);
  const [failure, setFailure] = useState<unknown>(null);
  const titleId = useId();

  const client = submitted ? checkWeek(editor.effectiveFrom, today, editor.week) : NO_ERRORS;
  // A field the person changed since the failed save no longer shows the server's error.
  const errors: PatternErrors = {
    effectiveFrom: client.effectiveFrom ?? server.effectiveFrom,
    general: server.general,
    windows: { ...server.windows, ...client.windows },
  };
  const replaced = planned.filter((p) => p.effectiveFrom >= editor.effectiveFrom);

  const update = (weekday: number, windows: DraftWindow[], touched?: string) => {
    setEditor((prev) => ({ ...prev, week: { ...prev.week, [weekday]: windows } }));
    if (touched) {
      setServer((prev) => {
        if (!prev.windows[touched] && prev.general.length === 0) return prev;
        const next = { ...prev.windows };
        delete next[touched];
        return { ...prev, general: [], windows: next };
      });
    }
  };

  const load = (pattern: AvailabilityPattern | undefined, editing: string | null) => {
    setEditor({ week: fromPattern(pattern), effectiveFrom: editing ?? today, editing });
    setSubmitted(false);
    setServer(NO_ERRORS);
    setFailure(null);
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (hasErrors(checkWeek(editor.effectiveFrom, today, editor.week))) return;
    const { body, keys } = toRequest(editor.effectiveFrom, editor.week);
    setServer(NO_ERRORS);
    setFailure(null);
    save.mutate(body, {
      onSuccess: (saved) => {
        toast.success(t('availability.saved'));
        const next = splitPatterns(saved, today);
        setEditor({ week: fromPattern(next.current), effectiveFrom: today, editing: null });
        setSubmitted(false);
      },
      onError: (error) => {
        setFailure(error);
        if (isApiError(error)) setServer(fromServerFields(error.fields, keys));
      },
    });
  };

  return (
    <>
      <section className="card self-section" aria-labelledby={titleId}>
        <div className="self-section__head">
          <h2 id={titleId}>{t('availability.pattern.title')}</h2>
        </div>
        <p className="muted" data-testid="current-pattern">
          {!current || isNothingDeclared(current)
            ? t('availability.pattern.nothing')
            : t('availability.pattern.since', { date: shortDay(locale, current.effectiveFrom, true) })}
        </p>
        <p className="small">{t('availability.pattern.hint')}</p>
        {editor.editing ? (
          <Alert kind="info">
            <p>{t('availability.editing', { date: shortDay(locale, editor.editing, true) })}</p>
            <Button variant="secondary" size="small" onClick={() => load(current, null)}>
              {t('availability.editCurrent')}
            </Button>
          </Alert>
        ) : null}
        <form className="self-form" onSubmit={onSubmit} noValidate>
          <ol className="avail-days">
            {WEEKDAYS.map((weekday) => (
              <li key={weekday}>
                <DayRow
                  weekday={weekday}
                  windows={editor.week[weekday] ?? []}
                  errors={errors.windows}
                  onChange={(windows, touched) => update(weekday, windows, touched)}
                />
              </li>
            ))}
          </ol>
          <Field
            label={t('availability.effectiveFrom')}
            hint={t('availability.effectiveFromHint')}
            error={errors.effectiveFrom ? fieldMessage(i18n, errors.effectiveFrom, 'effectiveFrom') : undefined}
            className="self-form__date"
          >
            {(props) => (
              <input
                {...props}
                type="date"
                className="input"
                min={today}
                value={editor.effectiveFrom}
                onChange={(e) => {
                  const value = e.target.value;
                  setEditor((prev) => ({ ...prev, effectiveFrom: value }));
                  setServer((prev) => ({ ...prev, effectiveFrom: undefined }));
                }}
              />
            )}
          </Field>
          {replaced.length > 0 ? (
            <p className="field__hint field__hint--warning" data-testid="replaces">
              {tp('availability.replaces', replaced.length, {
                dates: replaced.map((p) => shortDay(locale, p.effectiveFrom, true)).join(', '),
              })}
            </p>
          ) : null}
          {failure ? (
            <Alert kind="error">
              <p>{i18n.errorMessage(failure)}</p>
              {errors.general.length > 0 ? (
                <ul className="alert__list">
                  {[...new Set(errors.general)].map((code) => (
                    <li key={code}>{fieldMessage(i18n, code, 'windows')}</li>
                  ))}
                </ul>
              ) : null}
            </Alert>
          ) : submitted && hasErrors(client) ? (
            <Alert kind="error">{t('common.fixErrors')}</Alert>
          ) : null}
          <div className="button-row">
            <Button type="submit" busy={save.isPending} busyLabel={t('common.saving')}>
              {t('availability.save')}
            </Button>
          </div>
        </form>
      </section>
      <PlannedPatterns planned={planned} onEdit={(p) => load(p, p.effectiveFrom)} />
    </>
  );
}

function DayRow({
  weekday,
  windows,
  errors,
  onChange,
}: {
  weekday: number;
  windows: DraftWindow[];
  errors: PatternErrors['windows'];
  onChange: (windows: DraftWindow[], touched?: string) => void;
}) {
  const { t, tp } = useI18n();
  const day = weekdayLabel(t, weekday);
  const change = (key: string, patch: Partial<DraftWindow>) =>
    onChange(
      windows.map((w) => (w.key === key ? { ...w, ...patch } : w)),
      key,
    );
  return (
    <fieldset className="avail-day" data-testid="availability-day" data-weekday={weekday}>
      <legend className="avail-day__name">{day}</legend>
      {windows.length === 0 ? <p className="muted small avail-day__free">{t('availability.day.free')}</p> : null}
      {windows.length > 0 ? (
        <ul className="avail-windows">
          {windows.map((w) => (
            <WindowRow
              key={w.key}
              window={w}
              day={day}
              errors={errors[w.key]}
              onChange={(patch) => change(w.key, patch)}
              onRemove={() => onChange(windows.filter((x) => x.key !== w.key))}
            />
          ))}
        </ul>
      ) : null}
      {canAdd(windows) ? (
        <Button
          variant="ghost"
          className="avail-day__add"
          onClick={() => onChange([...windows, newWindow(windows)])}
          aria-label={t('availability.addWindowLabel', { day })}
        >
          + {t('availability.addWindow')}
        </Button>
      ) : (
        <p className="muted small">{tp('availability.maxWindows', windows.length)}</p>
      )}
    </fieldset>
  );
}

function WindowRow({
  window: w,
  day,
  errors,
  onChange,
  onRemove,
}: {
  window: DraftWindow;
  day: string;
  errors: Partial<Record<'weekday' | 'kind' | 'start' | 'end', string>> | undefined;
  onChange: (patch: Partial<DraftWindow>) => void;
  onRemove: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const id = useId();
  const errorId = `${id}-error`;
  const messages = errors
    ? (['weekday', 'kind', 'start', 'end'] as const)
        .filter((f) => errors[f])
        .map((f) => fieldMessage(i18n, errors[f] ?? '', f))
    : [];
  const describedBy = messages.length > 0 ? errorId : undefined;
  const nextDay = !w.wholeDay && w.start !== '' && w.end !== '' && w.end < w.start;
  return (
    <li
      className={messages.length > 0 ? 'avail-window is-invalid' : 'avail-window'}
      data-testid="availability-window"
      data-kind={w.kind}
    >
      <div className="avail-window__kind field">
        <label className="field__label" htmlFor={`${id}-kind`}>
          {t('availability.kind')}
        </label>
        <select
          id={`${id}-kind`}
          className={`input avail-kind avail-kind--${w.kind}`}
          value={w.kind}
          aria-invalid={errors?.kind ? true : undefined}
          aria-describedby={describedBy}
          onChange={(e) => onChange({ kind: e.target.value as AvailabilityKind })}
        >
          {AVAILABILITY_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {t(`availability.kind.${kind}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="avail-window__whole">
        <input
          id={`${id}-whole`}
          type="checkbox"
          className="checkbox"
          checked={w.wholeDay}
          onChange={(e) =>
            onChange(
              e.target.checked
                ? { wholeDay: true }
                : { wholeDay: false, start: w.start || '09:00', end: w.end || '17:00' },
            )
          }
        />
        <label htmlFor={`${id}-whole`}>{t('availability.wholeDay')}</label>
      </div>
      {!w.wholeDay ? (
        <div className="avail-window__times">
          <div className="field">
            <label className="field__label" htmlFor={`${id}-start`}>
              {t('availability.start')}
            </label>
            <input
              id={`${id}-start`}
              type="time"
              className="input"
              value={w.start}
              aria-invalid={errors?.start ? true : undefined}
              aria-describedby={describedBy}
              onChange={(e) => onChange({ start: e.target.value })}
            />
          </div>
          <div className="field">
            <label className="field__label" htmlFor={`${id}-end`}>
              {t('availability.end')}
            </label>
            <input
              id={`${id}-end`}
              type="time"
              className="input"
              value={w.end}
              aria-invalid={errors?.end ? true : undefined}
              aria-describedby={describedBy}
              onChange={(e) => onChange({ end: e.target.value })}
            />
          </div>
        </div>
      ) : null}
      <Button
        variant="ghost"
        className="avail-window__remove"
        onClick={onRemove}
        aria-label={t('availability.removeWindowLabel', { day })}
      >
        {t('availability.removeWindow')}
      </Button>
      {nextDay ? <p className="muted small avail-window__note">{t('availability.nextDay')}</p> : null}
      {messages.length > 0 ? (
        <p className="field__error avail-window__error" id={errorId}>
          {messages.join(' ')}
        </p>
      ) : null}
    </li>
  );
}

/** "Unavailable all day" / "Available 10:00–16:00" */
function windowText(t: ReturnType<typeof useI18n>['t'], w: AvailabilityWindow): string {
  const kind = t(`availability.kind.${w.kind}`);
  return w.start && w.end ? `${kind} ${w.start}–${w.end}` : t('availability.summary.wholeDay', { kind });
}

function PlannedPatterns({
  planned,
  onEdit,
}: {
  planned: AvailabilityPattern[];
  onEdit: (pattern: AvailabilityPattern) => void;
}) {
  const { t, locale } = useI18n();
  const titleId = useId();
  if (planned.length === 0) return null;
  return (
    <section className="card self-section" aria-labelledby={titleId}>
      <h2 id={titleId}>{t('availability.planned.title')}</h2>
      <ul className="self-list">
        {planned.map((pattern) => {
          const date = shortDay(locale, pattern.effectiveFrom, true);
          const days = patternDays(pattern);
          return (
            <li key={pattern.effectiveFrom} className="self-list__item" data-testid="planned-pattern">
              <div className="self-list__main">
                <p className="self-list__title">{t('availability.planned.from', { date })}</p>
                {days.length === 0 ? (
                  <p className="small">{t('availability.pattern.everyDay')}</p>
                ) : (
                  <ul className="avail-summary small">
                    {days.map((d) => (
                      <li key={d.weekday}>
                        <strong>{weekdayLabel(t, d.weekday)}:</strong> {d.windows.map((w) => windowText(t, w)).join(', ')}
                      </li>
                    ))}
                  </ul>
                )}
              </div>
              <Button variant="secondary" onClick={() => onEdit(pattern)} aria-label={t('availability.planned.editLabel', { date })}>
                {t('availability.planned.edit')}
              </Button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function UnavailableDays({ days, today }: { days: string[]; today: string }) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const toast = useToast();
  const add = useAddUnavailableDay();
  const remove = useRemoveUnavailableDay();
  const [date, setDate] = useState('');
  const [error, setError] = useState<string | undefined>();
  const titleId = useId();
  const sorted = [...days].sort();

  const onAdd = (event: FormEvent) => {
    event.preventDefault();
    if (!date) {
      setError('required');
      return;
    }
    if (date < today) {
      setError('in_past');
      return;
    }
    setError(undefined);
    add.mutate(date, {
      onSuccess: () => {
        toast.success(t('availability.days.added', { date: shortDay(locale, date, true) }));
        setDate('');
      },
      onError: (e) => setError(isApiError(e) ? e.fields.date : undefined),
    });
  };

  return (
    <section className="card self-section" aria-labelledby={titleId}>
      <h2 id={titleId}>{t('availability.days.title')}</h2>
      <p className="muted">{t('availability.days.intro')}</p>
      {sorted.length === 0 ? (
        <p className="muted">{t('availability.days.none')}</p>
      ) : (
        <ul className="self-list">
          {sorted.map((day) => {
            const label = shortDay(locale, day, true);
            return (
              <li key={day} className="self-list__item" data-testid="unavailable-day" data-date={day}>
                <span className="self-list__title">{label}</span>
                {day >= today ? (
                  <Button
                    variant="ghost"
                    onClick={() => remove.mutate(day, { onError: (e) => toast.error(i18n.errorMessage(e)) })}
                    busy={remove.isPending && remove.variables === day}
                    aria-label={t('availability.days.removeLabel', { date: label })}
                  >
                    {t('availability.days.remove')}
                  </Button>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
      <form className="inline-form self-days-form" onSubmit={onAdd} noValidate>
        <Field label={t('availability.days.date')} error={error ? fieldMessage(i18n, error, 'date') : undefined}>
          {(props) => (
            <input
              {...props}
              type="date"
              className="input"
              min={today}
              value={date}
              onChange={(e) => {
                setDate(e.target.value);
                setError(undefined);
              }}
            />
          )}
        </Field>
        <Button type="submit" variant="secondary" busy={add.isPending}>
          {t('availability.days.add')}
        </Button>
      </form>
      {add.isError && !error ? <Alert kind="error">{i18n.errorMessage(add.error)}</Alert> : null}
    </section>
  );
}
