// Putting a person on a shift, from the "Assign" button (the eligible list) or from a drop (the person's own
// verdict, fetched fresh before anything is saved): eligible → assign (warnings confirmed first on a drop);
// overridable → the override dialog with a required reason (managers only); refused → the reasons, nothing sent.
// A refusal at saving time (someone was quicker) shows the current reasons; a started shift asks for a reason.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { isApiError } from '../../../api/client';
import { scheduleEndpoints, scheduleKeys, useAssign, useEligible } from '../../../api/schedule';
import type { AssignRequest, EligibleList as Eligible, EligiblePerson, GridPerson, GridShift, RuleReason, WeekGrid } from '../../../api/schedulingTypes';
import { Alert, Button, LoadError, Loading } from '../../../components/feedback';
import { Modal } from '../../../components/Modal';
import { useI18n } from '../../../i18n/I18nProvider';
import { crewFieldMessage } from '../../crew/crewText';
import { EligibleList } from './EligibleList';
import { ReasonDialog } from './ReasonDialog';
import { ReasonList } from './ReasonList';
import { isCode, positionName, refusalCodes, ruleLabel, shiftLabel, weekErrorMessage } from './weekText';

export type AssignStart = { mode: 'list'; shift: GridShift } | { mode: 'drop'; shift: GridShift; person: GridPerson };

export interface AssignedNotice {
  name: string;
  shift: string;
  warnings: RuleReason[];
}

type Step =
  | { kind: 'list' }
  | { kind: 'checking' }
  | { kind: 'confirm'; entry: EligiblePerson }
  | { kind: 'override'; entry: EligiblePerson }
  | { kind: 'past'; entry: EligiblePerson; override?: string | undefined }
  | { kind: 'refused'; name: string; entry: EligiblePerson | null; canOverride: boolean; error: unknown };

function isRefusal(error: unknown): boolean {
  return isApiError(error) && (refusalCodes(error).length > 0 || error.code === 'overlap' || error.code === 'slots_full');
}

export function AssignFlow({
  start,
  grid,
  canManage,
  onAssigned,
  onClose,
}: {
  start: AssignStart;
  grid: WeekGrid;
  canManage: boolean;
  onAssigned: (notice: AssignedNotice) => void;
  onClose: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const client = useQueryClient();
  const { shift } = start;
  const timeZone = grid.location.timezone;
  const label = shiftLabel(i18n, shift, grid.positions);
  const [step, setStep] = useState<Step>(start.mode === 'list' ? { kind: 'list' } : { kind: 'checking' });
  const list = useEligible(shift.id, start.mode === 'list');
  const assign = useAssign();
  const [busyUser, setBusyUser] = useState<string | null>(null);
  const personName = (id: string) => grid.people.find((p) => p.person.id === id)?.person.name;
  // Asked directly (not through the query's fetch, which is cancelled when its last observer goes away) and
  // kept in the cache for the list.
  const fresh = () =>
    scheduleEndpoints.eligible(shift.id).then((verdict) => {
      client.setQueryData(scheduleKeys.eligible(shift.id), verdict);
      return verdict;
    });

  const go = (next: Step) => {
    assign.reset();
    setStep(next);
  };

  const refuse = (name: string, entry: EligiblePerson | null, verdict: Eligible | null, error: unknown) =>
    go({ kind: 'refused', name, entry, canOverride: verdict?.canOverride ?? false, error });

  /** `silent`: no dialog is open to show a failure in (a drop that went straight to saving). */
  const save = async (
    entry: EligiblePerson,
    options: { override?: string | undefined; reason?: string } = {},
    silent = false,
  ) => {
    const body: AssignRequest = {
      userId: entry.person.id,
      ...(options.override ? { override: { reason: options.override } } : {}),
      ...(options.reason ? { reason: options.reason } : {}),
    };
    setBusyUser(entry.person.id);
    try {
      const result = await assign.mutateAsync({ shiftId: shift.id, body });
      onAssigned({ name: entry.person.name, shift: label, warnings: result.warnings });
      onClose();
    } catch (error) {
      if (isCode(error, 'shift_in_past') && canManage && !options.reason) {
        go({ kind: 'past', entry, override: options.override });
      } else if (isRefusal(error)) {
        const verdict = await fresh().catch(() => null);
        const now = verdict?.people.find((p) => p.person.id === entry.person.id) ?? entry;
        refuse(entry.person.name, now, verdict, error);
      } else if (silent) {
        refuse(entry.person.name, entry, null, error);
      }
    } finally {
      setBusyUser(null);
    }
  };

  // A drop: the person's verdict right now decides what happens, before anything is saved (and nothing
  // happens when the dialog was closed in the meantime).
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);
  const checked = useRef(false);
  useEffect(() => {
    if (start.mode !== 'drop' || checked.current) return;
    checked.current = true;
    const person = start.person.person;
    fresh().then(
      (verdict) => {
        if (!alive.current) return;
        const entry = verdict.people.find((p) => p.person.id === person.id) ?? null;
        if (!entry) refuse(person.name, null, verdict, null);
        else if (entry.eligible && entry.reasons.length === 0) void save(entry, {}, true);
        else if (entry.eligible) go({ kind: 'confirm', entry });
        else if (entry.overridable && verdict.canOverride) go({ kind: 'override', entry });
        else refuse(person.name, entry, verdict, null);
      },
      (error: unknown) => {
        if (alive.current) refuse(person.name, null, null, error);
      },
    );
    // Once per drop (the component is mounted for one drop); `save` and `refuse` only read props.
  }, []);

  const banner = assign.error && !isCode(assign.error, 'validation_failed') ? weekErrorMessage(i18n, assign.error, personName) : null;
  const overrideField = isApiError(assign.error) ? assign.error.fields['override.reason'] : undefined;

  switch (step.kind) {
    case 'checking':
      return (
        <Modal
          title={t('week.assign.checkingTitle', { name: start.mode === 'drop' ? start.person.person.name : '' })}
          onClose={busyUser ? () => undefined : onClose}
          size="small"
        >
          <p>{label}</p>
          <Loading label={busyUser ? t('common.saving') : t('week.assign.checking')} />
        </Modal>
      );
    case 'list':
      return (
        <Modal title={t('week.assign.title', { shift: label })} onClose={busyUser ? () => undefined : onClose}>
          <p className="muted">
            {t('week.shift.filled', { filled: shift.assignments.length, slots: shift.slots })}
            {list.isFetching && list.data ? ` · ${t('week.assign.refreshing')}` : ''}
          </p>
          {banner ? <Alert kind="error">{banner}</Alert> : null}
          {list.isPending ? (
            <Loading />
          ) : list.isError ? (
            <LoadError error={list.error} onRetry={() => void list.refetch()} />
          ) : (
            <EligibleList
              list={list.data}
              timeZone={timeZone}
              positionName={positionName(t, grid.positions, shift.positionId)}
              busyUserId={busyUser}
              onAssign={(entry) => void save(entry)}
              onOverride={(entry) => go({ kind: 'override', entry })}
            />
          )}
        </Modal>
      );
    case 'confirm':
      return (
        <Modal
          title={t('week.assign.confirmTitle', { name: step.entry.person.name })}
          onClose={busyUser ? () => undefined : onClose}
          size="small"
          footer={
            <>
              <Button variant="secondary" onClick={onClose} disabled={busyUser !== null}>
                {t('common.cancel')}
              </Button>
              <Button onClick={() => void save(step.entry)} busy={busyUser !== null} busyLabel={t('common.saving')} data-autofocus>
                {t('week.assign.anyway')}
              </Button>
            </>
          }
        >
          <p>{label}</p>
          <p className="alert__title">{t('week.assign.warnings')}</p>
          <ReasonList reasons={step.entry.reasons} timeZone={timeZone} />
          {banner ? <Alert kind="error">{banner}</Alert> : null}
        </Modal>
      );
    case 'override':
      return (
        <ReasonDialog
          title={t('week.override.title', { name: step.entry.person.name })}
          label={t('week.override.reason')}
          hint={t('week.override.hint')}
          confirmLabel={t('week.override.submit')}
          busy={busyUser !== null}
          error={banner}
          fieldError={overrideField ? crewFieldMessage(i18n, overrideField, 'reason') : undefined}
          onSubmit={(reason) => void save(step.entry, { override: reason })}
          onCancel={onClose}
        >
          <p>{label}</p>
          <p className="alert__title">{t('week.override.intro')}</p>
          <ReasonList reasons={step.entry.reasons} timeZone={timeZone} />
        </ReasonDialog>
      );
    case 'past':
      return (
        <ReasonDialog
          title={t('week.past.title')}
          label={t('week.past.reason')}
          confirmLabel={t('week.eligible.assign')}
          busy={busyUser !== null}
          error={banner}
          onSubmit={(reason) => void save(step.entry, { override: step.override, reason })}
          onCancel={onClose}
        >
          <p>{t('week.past.intro')}</p>
          <p className="muted">{t('week.assign.who', { name: step.entry.person.name, shift: label })}</p>
        </ReasonDialog>
      );
    case 'refused': {
      const entry = step.entry;
      const codes = refusalCodes(step.error);
      const blocking = entry ? entry.reasons.filter((r) => r.severity !== 'warning') : [];
      const offer = entry !== null && !entry.eligible && entry.overridable && step.canOverride;
      return (
        <Modal
          title={
            entry === null && step.error && !isRefusal(step.error)
              ? t('week.refused.checkFailed', { name: step.name })
              : t('week.refused.title', { name: step.name })
          }
          onClose={onClose}
          role="alertdialog"
          size="small"
          footer={
            <>
              <Button variant={offer ? 'secondary' : 'primary'} onClick={onClose} data-autofocus>
                {t('common.close')}
              </Button>
              {offer ? <Button onClick={() => go({ kind: 'override', entry })}>{t('week.eligible.override')}</Button> : null}
            </>
          }
        >
          <p>{label}</p>
          {step.error ? <Alert kind="error">{weekErrorMessage(i18n, step.error, personName)}</Alert> : null}
          {blocking.length > 0 ? (
            <ReasonList reasons={blocking} timeZone={timeZone} />
          ) : codes.length > 0 ? (
            <ul className="reason-list">
              {codes.map((code) => (
                <li key={code} className="reason reason--refuse" data-code={code}>
                  <span className="reason__label">{ruleLabel(t, code)}</span>
                </li>
              ))}
            </ul>
          ) : entry === null && !step.error ? (
            <p>{t('week.refused.notCrew')}</p>
          ) : entry?.eligible ? (
            <p>{t('week.refused.nowEligible')}</p>
          ) : null}
        </Modal>
      );
    }
  }
}
