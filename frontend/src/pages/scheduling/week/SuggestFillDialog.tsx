// The options of "Suggest fill": other venues of the caller whose draft week of the same ISO week to fill in the
// same search (a venue without a draft is listed, disabled, with the reason), the time budget, and "Tune" for the
// venue's weights. While the server searches, the dialog shows how long it has been at it; "Stop waiting" gives
// up on the answer (nothing was saved by asking).
import { useQueries } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useSuggestFill } from '../../../api/autofill';
import { TIME_BUDGET_MAX_MS, TIME_BUDGET_MIN_MS } from '../../../api/autofillTypes';
import { isApiError } from '../../../api/client';
import { useLocations } from '../../../api/queries';
import { scheduleEndpoints, scheduleKeys } from '../../../api/schedule';
import type { WeekGrid, WeekSummary } from '../../../api/schedulingTypes';
import { Alert, Button } from '../../../components/feedback';
import { Modal } from '../../../components/Modal';
import { useI18n } from '../../../i18n/I18nProvider';
import { isMessageKey } from '../../../i18n/core';
import { Field } from '../../crew/ui';
import { SuggestFillSettings } from './SuggestFillSettings';
import type { FillState } from './SuggestFillState';
import { budgetMsOf, secondsText } from './SuggestFillText';
import { weekErrorMessage, weekTitle } from './weekText';

/** Whole seconds since `running` turned true (0 while it is false), ticking twice a second. */
export function useElapsedSeconds(running: boolean): number {
  const [seconds, setSeconds] = useState(0);
  useEffect(() => {
    if (!running) return undefined;
    const started = Date.now();
    setSeconds(0);
    const timer = window.setInterval(() => setSeconds(Math.floor((Date.now() - started) / 1000)), 500);
    return () => window.clearInterval(timer);
  }, [running]);
  return running ? seconds : 0;
}

type VenueState = { kind: 'draft'; summary: WeekSummary } | { kind: 'published' } | { kind: 'missing' } | { kind: 'checking' } | { kind: 'failed' };

export function SuggestFillDialog({ fill, grid, canManage }: { fill: FillState; grid: WeekGrid; canManage: boolean }) {
  const [view, setView] = useState<'options' | 'settings'>('options');
  const { t } = useI18n();
  const week = weekTitle(t, grid.week.isoWeek);
  const [busy, setBusy] = useState(false);
  // While the server searches, closing the dialog means "stop waiting" (the options form does it).
  const stopRef = useRef<() => void>(() => undefined);
  const close = () => (busy ? stopRef.current() : fill.closeDialog());
  return (
    <Modal
      title={view === 'options' ? t('autofill.dialog.title', { week }) : t('autofill.settings.title', { location: grid.location.name })}
      onClose={close}
    >
      {view === 'options' ? (
        <OptionsForm fill={fill} grid={grid} onTune={() => setView('settings')} onBusy={setBusy} stopRef={stopRef} />
      ) : (
        <SuggestFillSettings locationId={grid.location.id} canEdit={canManage} onDone={() => setView('options')} />
      )}
    </Modal>
  );
}

function OptionsForm({
  fill,
  grid,
  onTune,
  onBusy,
  stopRef,
}: {
  fill: FillState;
  grid: WeekGrid;
  onTune: () => void;
  onBusy: (busy: boolean) => void;
  stopRef: { current: () => void };
}) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const isoWeek = grid.week.isoWeek;
  const week = weekTitle(t, isoWeek);
  const suggest = useSuggestFill();
  const locations = useLocations();
  const others = (locations.data ?? []).filter((l) => l.active && l.id !== grid.location.id);
  const range = { from: isoWeek, to: isoWeek };
  const weeks = useQueries({
    queries: others.map((l) => ({
      queryKey: scheduleKeys.weeks(l.id, range),
      queryFn: ({ signal }: { signal: AbortSignal }) => scheduleEndpoints.weeks(l.id, range, signal),
    })),
  });
  const venues = others.map((location, i): { location: typeof location; state: VenueState } => {
    const answer = weeks[i];
    if (!answer || answer.isPending) return { location, state: { kind: 'checking' } };
    if (answer.isError) return { location, state: { kind: 'failed' } };
    const summary = answer.data.find((s) => s.week.isoWeek === isoWeek);
    if (!summary) return { location, state: { kind: 'missing' } };
    return { location, state: summary.week.status === 'draft' ? { kind: 'draft', summary } : { kind: 'published' } };
  });
  const drafts = new Set(venues.filter((v) => v.state.kind === 'draft').map((v) => v.location.id));

  const [chosen, setChosen] = useState<string[]>(fill.options.locationIds);
  const [budget, setBudget] = useState(fill.options.budgetSeconds);
  const [budgetError, setBudgetError] = useState<string | undefined>();
  const [venuesError, setVenuesError] = useState<string | undefined>();
  const budgetRef = useRef<HTMLInputElement>(null);
  const abortRef = useRef<AbortController | null>(null);
  const busy = suggest.isPending;
  const elapsed = useElapsedSeconds(busy);
  const budgetMs = budgetMsOf(fill.options.budgetSeconds);
  const headingId = useId();
  const venuesHintId = useId();

  useEffect(() => onBusy(busy), [busy, onBusy]);
  useEffect(() => () => abortRef.current?.abort(), []);
  const stop = () => {
    abortRef.current?.abort();
    abortRef.current = null;
    suggest.reset();
  };
  stopRef.current = stop;

  const budgetMessage = (code: string) =>
    code === 'out_of_range'
      ? t('autofill.fieldError.timeBudgetMs', {
          min: secondsText(locale, TIME_BUDGET_MIN_MS),
          max: secondsText(locale, TIME_BUDGET_MAX_MS),
        })
      : i18n.fieldErrorMessage(code);
  const venuesMessage = (code: string) => {
    const key = `autofill.fieldError.locationIds.${code}`;
    return isMessageKey(key) ? t(key) : t('autofill.fieldError.locationIds');
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const parsed = budgetMsOf(budget);
    if ('error' in parsed) {
      setBudgetError(budgetMessage(parsed.error));
      window.setTimeout(() => budgetRef.current?.focus(), 0);
      return;
    }
    setBudgetError(undefined);
    setVenuesError(undefined);
    const locationIds = chosen.filter((id) => drafts.has(id));
    fill.setOptions({ locationIds, budgetSeconds: budget });
    const controller = new AbortController();
    abortRef.current = controller;
    suggest.mutate(
      {
        weekId: grid.week.id,
        body: { ...(locationIds.length > 0 ? { locationIds } : {}), timeBudgetMs: parsed.ms },
        signal: controller.signal,
      },
      {
        onSuccess: (proposal) => {
          abortRef.current = null;
          fill.show(proposal);
          fill.closeDialog();
        },
        onError: (error) => {
          if (!isApiError(error)) return;
          if (error.fields.timeBudgetMs) setBudgetError(budgetMessage(error.fields.timeBudgetMs));
          if (error.fields.locationIds) setVenuesError(venuesMessage(error.fields.locationIds));
        },
      },
    );
  };

  const aborted = suggest.error instanceof DOMException && suggest.error.name === 'AbortError';
  const fieldErrorOnly = isApiError(suggest.error) && (suggest.error.fields.timeBudgetMs || suggest.error.fields.locationIds);
  const venueHint = (state: VenueState): string => {
    switch (state.kind) {
      case 'draft': {
        const open = Math.max(0, state.summary.slots - state.summary.filled);
        return t('autofill.venues.draft', { open, slots: state.summary.slots });
      }
      case 'published':
        return t('autofill.venues.published', { week });
      case 'missing':
        return t('autofill.venues.missing', { week });
      case 'checking':
        return t('autofill.venues.checking');
      case 'failed':
        return t('autofill.venues.failed');
    }
  };

  return (
    <form className="suggest-options" onSubmit={submit} noValidate aria-labelledby={headingId} data-testid="suggest-options">
      <p id={headingId}>{t('autofill.dialog.intro')}</p>
      <fieldset className="suggest-options__fields" disabled={busy}>
        {venues.length > 0 ? (
          <fieldset
            className={venuesError ? 'field fieldset field--invalid' : 'field fieldset'}
            aria-describedby={venuesHintId}
            data-testid="suggest-venues"
          >
            <legend className="field__label">{t('autofill.venues.legend')}</legend>
            <p className="field__hint" id={venuesHintId}>
              {t('autofill.venues.hint', { week })}
            </p>
            <ul className="suggest-venues">
              {venues.map(({ location, state }) => (
                <VenueOption
                  key={location.id}
                  id={location.id}
                  name={location.name}
                  hint={venueHint(state)}
                  enabled={state.kind === 'draft'}
                  checked={state.kind === 'draft' && chosen.includes(location.id)}
                  onChange={(on) => setChosen((list) => (on ? [...list.filter((id) => id !== location.id), location.id] : list.filter((id) => id !== location.id)))}
                />
              ))}
            </ul>
            {venuesError ? <p className="field__error">{venuesError}</p> : null}
          </fieldset>
        ) : null}
        <Field
          label={t('autofill.budget.label')}
          hint={t('autofill.budget.hint', { min: secondsText(locale, TIME_BUDGET_MIN_MS), max: secondsText(locale, TIME_BUDGET_MAX_MS) })}
          error={budgetError}
          className="suggest-options__budget"
        >
          {(props) => (
            <input
              {...props}
              ref={budgetRef}
              className="input"
              name="timeBudgetSeconds"
              inputMode="decimal"
              autoComplete="off"
              value={budget}
              onChange={(e) => {
                setBudget(e.target.value);
                setBudgetError(undefined);
              }}
            />
          )}
        </Field>
      </fieldset>

      {busy ? (
        <div className="suggest-busy" data-testid="suggest-busy">
          <p className="suggest-busy__status" role="status">
            <span className="spinner" aria-hidden="true" /> {t('autofill.busy.title')}
          </p>
          <p className="suggest-busy__elapsed" data-testid="suggest-elapsed">
            {t('autofill.busy.elapsed', {
              seconds: elapsed,
              budget: 'ms' in budgetMs ? secondsText(locale, budgetMs.ms) : fill.options.budgetSeconds,
            })}
          </p>
          {'ms' in budgetMs ? (
            <progress
              className="suggest-busy__bar"
              max={budgetMs.ms}
              value={Math.min(elapsed * 1000, budgetMs.ms)}
              aria-label={t('autofill.busy.progress')}
            />
          ) : null}
        </div>
      ) : null}
      {suggest.error && !aborted && !fieldErrorOnly ? (
        <Alert kind="error">{weekErrorMessage(i18n, suggest.error)}</Alert>
      ) : null}

      <div className="button-row suggest-options__actions">
        <Button variant="ghost" className="suggest-options__tune" onClick={onTune} disabled={busy} data-testid="suggest-tune">
          {t('autofill.tune')}
        </Button>
        {busy ? (
          <Button variant="secondary" onClick={stop}>
            {t('autofill.busy.stop')}
          </Button>
        ) : (
          <Button variant="secondary" onClick={fill.closeDialog}>
            {t('common.cancel')}
          </Button>
        )}
        <Button type="submit" busy={busy} busyLabel={t('autofill.busy.button')} data-testid="suggest-run">
          {t('autofill.submit')}
        </Button>
      </div>
    </form>
  );
}

function VenueOption({
  id,
  name,
  hint,
  enabled,
  checked,
  onChange,
}: {
  id: string;
  name: string;
  hint: string;
  enabled: boolean;
  checked: boolean;
  onChange: (on: boolean) => void;
}) {
  const inputId = useId();
  return (
    <li className={enabled ? 'suggest-venue' : 'suggest-venue is-disabled'} data-location-id={id}>
      <input
        id={inputId}
        type="checkbox"
        className="checkbox"
        checked={checked}
        disabled={!enabled}
        onChange={(e) => onChange(e.target.checked)}
        aria-describedby={`${inputId}-hint`}
      />
      <span className="suggest-venue__text">
        <label htmlFor={inputId} className="suggest-venue__name">
          {name}
        </label>
        <span className="suggest-venue__hint" id={`${inputId}-hint`}>
          {hint}
        </span>
      </span>
    </li>
  );
}
