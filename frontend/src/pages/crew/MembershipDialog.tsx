// Changing a crew membership (crew.manage): positions, contracted hours per week (decimal, 0–80), start date
// and status. Used by the roster and by the crew member's page.
import { useState, type FormEvent } from 'react';
import { isApiError } from '../../api/client';
import { CREW_STATUSES, useUpdateCrew } from '../../api/crew';
import type { CrewMember, CrewStatus, Position, UpdateCrewRequest } from '../../api/schedulingTypes';
import { Alert, Button } from '../../components/feedback';
import { Modal } from '../../components/Modal';
import { useToast } from '../../components/toast';
import { useI18n } from '../../i18n/I18nProvider';
import { crewErrorMessage, crewFieldMessage, crewStatusLabel } from './crewText';
import { CheckList, Field } from './ui';

export const CONTRACT_HOURS_MAX = 80;

/** Hours typed with a dot or a comma; `null` for empty, `NaN` when unreadable. */
export function parseHours(value: string): number | null {
  const v = value.trim().replace(',', '.');
  if (v === '') return null;
  return /^\d+(\.\d+)?$/.test(v) ? Number(v) : Number.NaN;
}

export function checkHours(value: string): string | null {
  const hours = parseHours(value);
  if (hours === null) return null;
  if (Number.isNaN(hours) || hours < 0 || hours > CONTRACT_HOURS_MAX) return 'out_of_range';
  return null;
}

/** Positions a person can be given: the active ones, and archived ones they already hold. */
export function positionOptions(positions: Position[], held: readonly string[]) {
  return positions
    .filter((p) => !p.archived || held.includes(p.id))
    .map((p) => ({ value: p.id, label: p.name }));
}

export function MembershipDialog({
  locationId,
  locationName,
  member,
  positions,
  onClose,
}: {
  locationId: string;
  locationName: string;
  member: CrewMember;
  positions: Position[];
  onClose: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const toast = useToast();
  const update = useUpdateCrew();
  const [positionIds, setPositionIds] = useState<string[]>(member.positionIds);
  const [hours, setHours] = useState(member.contractedHours == null ? '' : String(member.contractedHours));
  const [startDate, setStartDate] = useState(member.startDate ?? '');
  const [status, setStatus] = useState<CrewStatus>(member.status);
  const [errors, setErrors] = useState<Record<string, string>>({});

  const hadHours = member.contractedHours != null;
  const hadStart = member.startDate != null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    const hoursProblem = checkHours(hours);
    if (hoursProblem) found.contractedHours = crewFieldMessage(i18n, hoursProblem, 'contractedHours');
    // The API keeps a value that is left out: once set, hours and the start date can change but not go away.
    else if (hadHours && hours.trim() === '') found.contractedHours = t('crew.fieldError.cannotClearHours');
    if (hadStart && startDate === '') found.startDate = t('crew.fieldError.cannotClearDate');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const parsed = parseHours(hours);
    const body: UpdateCrewRequest = {
      positionIds,
      status,
      ...(parsed !== null ? { contractedHours: parsed } : {}),
      ...(startDate ? { startDate } : {}),
    };
    try {
      await update.mutateAsync({ locationId, userId: member.person.id, body });
      toast.success(t('crew.membership.saved', { name: member.person.name }));
      onClose();
    } catch (e) {
      if (isApiError(e) && Object.keys(e.fields).length > 0) {
        const mapped: Record<string, string> = {};
        for (const [field, code] of Object.entries(e.fields)) mapped[field] = crewFieldMessage(i18n, code, field);
        setErrors(mapped);
      }
    }
  };

  const known = new Set(['positionIds', 'contractedHours', 'startDate', 'status']);
  const serverBanner =
    update.error && !(isApiError(update.error) && Object.keys(update.error.fields).some((f) => known.has(f)))
      ? crewErrorMessage(i18n, update.error)
      : null;
  const formId = `membership-${member.person.id}`;

  return (
    <Modal
      title={t('crew.membership.title', { name: member.person.name, location: locationName })}
      onClose={update.isPending ? () => undefined : onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={update.isPending}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" form={formId} busy={update.isPending} busyLabel={t('common.saving')}>
            {t('common.save')}
          </Button>
        </>
      }
    >
      <form id={formId} className="form crew-ui" onSubmit={(e) => void submit(e)} noValidate>
        {serverBanner ? <Alert kind="error">{serverBanner}</Alert> : null}
        <CheckList
          legend={t('crew.col.positions')}
          options={positionOptions(positions, member.positionIds)}
          selected={positionIds}
          onChange={setPositionIds}
          error={errors.positionIds}
          empty={t('crew.positions.noneYet')}
        />
        <div className="form__row form__row--start">
          <Field
            label={t('field.contractedHours')}
            optional={!hadHours}
            hint={t('crew.membership.hoursHint')}
            error={errors.contractedHours}
          >
            {(props) => (
              <input
                {...props}
                className="input"
                inputMode="decimal"
                autoComplete="off"
                value={hours}
                onChange={(e) => setHours(e.target.value)}
              />
            )}
          </Field>
          <Field label={t('field.startDate')} optional={!hadStart} error={errors.startDate}>
            {(props) => (
              <input {...props} className="input" type="date" value={startDate} onChange={(e) => setStartDate(e.target.value)} />
            )}
          </Field>
          <Field label={t('users.col.status')} error={errors.status} hint={t(`crew.statusHint.${status}`)}>
            {(props) => (
              <select
                {...props}
                className="input"
                value={status}
                onChange={(e) => setStatus(e.target.value as CrewStatus)}
              >
                {CREW_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {crewStatusLabel(t, s)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
      </form>
    </Modal>
  );
}
