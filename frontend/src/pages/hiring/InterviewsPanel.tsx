// Interview appointments of an application: the list (in the location's time zone, with a calendar file), and
// for those allowed: schedule (date, time, duration, place, interviewer), reschedule, cancel, record the outcome.
// The server refuses times in the past (422 interview_in_past) and overlaps (422 interview_overlap).
import { useEffect, useId, useRef, useState } from 'react';
import { isApiError } from '../../api/client';
import {
  hiringUrls,
  useCancelInterview,
  useLocationStaff,
  useRecordOutcome,
  useRescheduleInterview,
  useScheduleInterview,
} from '../../api/hiring';
import {
  INTERVIEW_DEFAULT_MINUTES,
  INTERVIEW_MAX_MINUTES,
  INTERVIEW_MIN_MINUTES,
  INTERVIEW_OUTCOMES,
  type Interview,
  type InterviewOutcome,
} from '../../api/hiringTypes';
import { useMe } from '../../api/queries';
import type { LocationRef } from '../../api/types';
import { Alert, Button } from '../../components/feedback';
import { SelectField, TextAreaField, TextField } from '../../components/fields';
import { Modal } from '../../components/Modal';
import { useToast } from '../../components/toast';
import { useForm } from '../../forms/useForm';
import { useI18n } from '../../i18n/I18nProvider';
import { checkOptionalDate, collect, REVIEW_REASON_MAX_CHARS, type FieldCode } from '../../validation/rules';
import { interviewStatusLabel, outcomeLabel } from './hiringText';
import { isPastInZone, useZonedFormat } from './zonedTime';

export const PLACE_MAX_CHARS = 200;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export interface InterviewValues extends Record<string, string> {
  date: string;
  time: string;
  durationMinutes: string;
  place: string;
  interviewerId: string;
}

/** The client-side checks of the schedule form; the server checks again (and for overlaps). */
export function validateInterview(
  v: InterviewValues,
  timeZone: string,
  now: Date = new Date(),
): Partial<Record<keyof InterviewValues & string, FieldCode>> {
  const date = v.date.trim() === '' ? 'required' : checkOptionalDate(v.date);
  const time = v.time.trim() === '' ? 'required' : TIME.test(v.time.trim()) ? null : 'invalid_time';
  const minutes = Number(v.durationMinutes);
  const duration =
    v.durationMinutes.trim() === ''
      ? 'required'
      : Number.isInteger(minutes) && minutes >= INTERVIEW_MIN_MINUTES && minutes <= INTERVIEW_MAX_MINUTES
        ? null
        : 'out_of_range';
  const place = v.place.trim() === '' ? 'required' : v.place.trim().length > PLACE_MAX_CHARS ? 'too_long' : null;
  const past = !date && !time && isPastInZone(v.date, v.time.trim(), timeZone, now) ? 'in_past' : null;
  return collect({
    date,
    time: time ?? past,
    durationMinutes: duration,
    place,
    interviewerId: v.interviewerId ? null : 'required',
  } as Record<string, FieldCode | null>);
}

export function InterviewsPanel({
  applicationId,
  location,
  interviews,
  canSchedule,
}: {
  applicationId: string;
  location: LocationRef;
  interviews: Interview[];
  canSchedule: boolean;
}) {
  const { t } = useI18n();
  const titleId = useId();
  const [scheduling, setScheduling] = useState(false);
  const [rescheduling, setRescheduling] = useState<Interview | null>(null);
  const [cancelling, setCancelling] = useState<Interview | null>(null);
  const [recording, setRecording] = useState<Interview | null>(null);
  const sorted = [...interviews].sort((a, b) => a.startsAt.localeCompare(b.startsAt));

  return (
    <section className="card interviews" aria-labelledby={titleId}>
      <div className="card__head">
        <h2 id={titleId}>{t('interviews.title')}</h2>
        {canSchedule ? (
          <Button size="small" onClick={() => setScheduling(true)}>
            {t('interviews.schedule')}
          </Button>
        ) : null}
      </div>
      {sorted.length === 0 ? (
        <p className="muted">{t('interviews.none')}</p>
      ) : (
        <ul className="interview-list">
          {sorted.map((interview) => (
            <InterviewItem
              key={interview.id}
              interview={interview}
              fallbackZone={location.timezone}
              canManage={canSchedule}
              onReschedule={() => setRescheduling(interview)}
              onCancel={() => setCancelling(interview)}
              onOutcome={() => setRecording(interview)}
            />
          ))}
        </ul>
      )}
      {scheduling ? (
        <ScheduleDialog
          applicationId={applicationId}
          location={location}
          interviews={interviews}
          onClose={() => setScheduling(false)}
        />
      ) : null}
      {rescheduling ? (
        <ScheduleDialog
          applicationId={applicationId}
          location={location}
          interviews={interviews}
          existing={rescheduling}
          onClose={() => setRescheduling(null)}
        />
      ) : null}
      {cancelling ? <CancelDialog interview={cancelling} onClose={() => setCancelling(null)} /> : null}
      {recording ? <OutcomeDialog interview={recording} onClose={() => setRecording(null)} /> : null}
    </section>
  );
}

function InterviewItem({
  interview,
  fallbackZone,
  canManage,
  onReschedule,
  onCancel,
  onOutcome,
}: {
  interview: Interview;
  fallbackZone: string;
  canManage: boolean;
  onReschedule: () => void;
  onCancel: () => void;
  onOutcome: () => void;
}) {
  const { t, tp } = useI18n();
  const zoned = useZonedFormat();
  const whenId = useId();
  const zone = interview.timezone || fallbackZone;
  const scheduled = interview.status === 'scheduled';
  return (
    <li className={`interview interview--${interview.status}`} data-interview={interview.id}>
      <p className="interview__when" id={whenId}>
        <strong>{zoned.range(interview.startsAt, interview.endsAt, zone)}</strong>
        <span className={`badge badge--interview-${interview.status}`}>{interviewStatusLabel(t, interview.status)}</span>
      </p>
      <dl className="doc__meta">
        <div>
          <dt>{t('interviews.duration')}</dt>
          <dd>{tp('interviews.minutes', interview.durationMinutes)}</dd>
        </div>
        <div>
          <dt>{t('interviews.place')}</dt>
          <dd className="break">{interview.place}</dd>
        </div>
        <div>
          <dt>{t('interviews.interviewer')}</dt>
          <dd>
            {interview.interviewer ? (
              <>
                {interview.interviewer.name}{' '}
                <span className="muted">· {t(`role.${interview.interviewer.role}`)}</span>
              </>
            ) : (
              <span className="muted">{t('interviews.noInterviewer')}</span>
            )}
          </dd>
        </div>
        {interview.outcome ? (
          <div>
            <dt>{t('interviews.outcomeLabel')}</dt>
            <dd>
              <span className={`badge badge--outcome-${interview.outcome}`}>{outcomeLabel(t, interview.outcome)}</span>
            </dd>
          </div>
        ) : null}
        {interview.outcomeNote ? (
          <div className="doc__reason">
            <dt>{t('interviews.outcomeNote')}</dt>
            <dd>{interview.outcomeNote}</dd>
          </div>
        ) : null}
      </dl>
      <div className="button-row doc__actions">
        {interview.status !== 'cancelled' ? (
          <a
            className="button button--ghost button--small"
            href={hiringUrls.interviewIcs(interview.id)}
            download
            aria-describedby={whenId}
          >
            {t('interviews.ics')}
          </a>
        ) : null}
        {canManage && scheduled ? (
          <>
            <Button variant="secondary" size="small" onClick={onOutcome} aria-describedby={whenId}>
              {t('interviews.recordOutcome')}
            </Button>
            <Button variant="secondary" size="small" onClick={onReschedule} aria-describedby={whenId}>
              {t('interviews.reschedule')}
            </Button>
            <Button variant="danger" size="small" onClick={onCancel} aria-describedby={whenId}>
              {t('interviews.cancel')}
            </Button>
          </>
        ) : null}
      </div>
    </li>
  );
}

function ScheduleDialog({
  applicationId,
  location,
  interviews,
  existing,
  onClose,
}: {
  applicationId: string;
  location: LocationRef;
  interviews: Interview[];
  existing?: Interview;
  onClose: () => void;
}) {
  const { t, errorMessage } = useI18n();
  const toast = useToast();
  const zoned = useZonedFormat();
  const formId = useId();
  const me = useMe().data;
  const staff = useLocationStaff(location.id);
  const schedule = useScheduleInterview();
  const reschedule = useRescheduleInterview();
  const zone = existing?.timezone || location.timezone;
  const staffList = staff.data ?? [];
  const defaultInterviewer =
    existing?.interviewer?.id ?? (me && staffList.some((s) => s.id === me.id) ? me.id : '');

  const form = useForm<InterviewValues>({
    initial: {
      date: existing?.localDate ?? '',
      time: existing?.localTime ?? '',
      durationMinutes: String(existing?.durationMinutes ?? INTERVIEW_DEFAULT_MINUTES),
      place: existing?.place ?? location.name,
      interviewerId: defaultInterviewer,
    },
    validate: (v) => validateInterview(v, zone),
  });
  // The staff list arrives after the form: preselect oneself once it is there.
  const { setValue } = form;
  const preselected = useRef(defaultInterviewer !== '');
  useEffect(() => {
    if (preselected.current || !defaultInterviewer) return;
    preselected.current = true;
    setValue('interviewerId', defaultInterviewer);
  }, [defaultInterviewer, setValue]);

  const onSubmit = form.handleSubmit(async (v) => {
    const body = {
      date: v.date.trim(),
      time: v.time.trim(),
      durationMinutes: Number(v.durationMinutes),
      place: v.place.trim(),
      interviewerId: v.interviewerId,
    };
    if (existing) {
      await reschedule.mutateAsync({ id: existing.id, body });
      toast.success(t('interviews.rescheduled'));
    } else {
      await schedule.mutateAsync({ applicationId, body });
      toast.success(t('interviews.scheduled'));
    }
    onClose();
  });

  const failure = form.formError;
  let failureText: string | null = null;
  if (isApiError(failure) && failure.code === 'interview_overlap') {
    const other = interviews.find((i) => i.id === failure.fields.conflict);
    failureText = other
      ? t('interviews.overlapWith', { time: zoned.range(other.startsAt, other.endsAt, other.timezone || zone) })
      : t('error.interview_overlap');
  } else if (failure) {
    failureText = errorMessage(failure);
  }

  const interviewerOptions = [
    { value: '', label: staff.isPending ? t('common.loading') : t('interviews.chooseInterviewer') },
    ...staffList.map((s) => ({ value: s.id, label: `${s.name} (${t(`role.${s.role}`)})` })),
  ];
  const current = existing?.interviewer;
  if (current && !staffList.some((s) => s.id === current.id)) {
    interviewerOptions.push({ value: current.id, label: current.name });
  }

  return (
    <Modal
      title={existing ? t('interviews.rescheduleTitle') : t('interviews.scheduleTitle')}
      onClose={form.busy ? () => undefined : onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={form.busy}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" form={formId} busy={form.busy} busyLabel={t('interviews.sending')}>
            {existing ? t('interviews.sendUpdate') : t('interviews.sendInvitation')}
          </Button>
        </>
      }
    >
      <form id={formId} className="form" onSubmit={onSubmit} noValidate>
        <p className="muted">{t('interviews.zoneHint', { zone: zone.replace(/_/g, ' '), location: location.name })}</p>
        {failureText ? (
          <Alert kind="error">
            <p>{failureText}</p>
          </Alert>
        ) : null}
        {staff.isError ? <Alert kind="error">{errorMessage(staff.error)}</Alert> : null}
        <div className="form__row form__row--start">
          <TextField
            label={t('field.date')}
            name="date"
            type="date"
            value={form.values.date}
            onValueChange={(value) => form.setValue('date', value)}
            onBlur={() => form.touch('date')}
            error={form.errors.date}
            data-autofocus
          />
          <TextField
            label={t('field.time')}
            name="time"
            type="time"
            value={form.values.time}
            onValueChange={(value) => form.setValue('time', value)}
            onBlur={() => form.touch('time')}
            error={form.errors.time}
          />
          <TextField
            label={t('field.durationMinutes')}
            name="durationMinutes"
            type="number"
            inputMode="numeric"
            min={INTERVIEW_MIN_MINUTES}
            max={INTERVIEW_MAX_MINUTES}
            step={5}
            value={form.values.durationMinutes}
            onValueChange={(value) => form.setValue('durationMinutes', value)}
            onBlur={() => form.touch('durationMinutes')}
            error={form.errors.durationMinutes}
            hint={t('field.durationHint', { min: INTERVIEW_MIN_MINUTES, max: INTERVIEW_MAX_MINUTES })}
          />
        </div>
        <TextField
          label={t('field.place')}
          name="place"
          autoComplete="off"
          hint={t('field.placeHint')}
          value={form.values.place}
          onValueChange={(value) => form.setValue('place', value)}
          onBlur={() => form.touch('place')}
          error={form.errors.place}
        />
        <SelectField
          label={t('field.interviewer')}
          name="interviewerId"
          value={form.values.interviewerId}
          onValueChange={(value) => form.setValue('interviewerId', value)}
          options={interviewerOptions}
          error={form.errors.interviewerId}
        />
      </form>
    </Modal>
  );
}

function CancelDialog({ interview, onClose }: { interview: Interview; onClose: () => void }) {
  const { t, errorMessage } = useI18n();
  const toast = useToast();
  const zoned = useZonedFormat();
  const cancel = useCancelInterview();
  const formId = useId();
  const form = useForm({
    initial: { reason: '' },
    validate: (v) => collect({ reason: v.reason.trim().length > REVIEW_REASON_MAX_CHARS ? 'too_long' : null }),
  });
  const onSubmit = form.handleSubmit(async (v) => {
    await cancel.mutateAsync({ id: interview.id, body: v.reason.trim() ? { reason: v.reason.trim() } : {} });
    toast.success(t('interviews.cancelled'));
    onClose();
  });
  return (
    <Modal
      title={t('interviews.cancelTitle')}
      onClose={form.busy ? () => undefined : onClose}
      size="small"
      role="alertdialog"
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={form.busy}>
            {t('interviews.keep')}
          </Button>
          <Button type="submit" form={formId} variant="danger" busy={form.busy} busyLabel={t('interviews.cancelling')}>
            {t('interviews.cancel')}
          </Button>
        </>
      }
    >
      <form id={formId} className="form" onSubmit={onSubmit} noValidate>
        <p>{t('interviews.cancelConfirm', { time: zoned.range(interview.startsAt, interview.endsAt, interview.timezone) })}</p>
        {form.formError ? <Alert kind="error">{errorMessage(form.formError)}</Alert> : null}
        <TextAreaField
          label={t('field.cancelReason')}
          name="reason"
          optional
          value={form.values.reason}
          onValueChange={(value) => form.setValue('reason', value)}
          error={form.errors.reason}
        />
      </form>
    </Modal>
  );
}

function OutcomeDialog({ interview, onClose }: { interview: Interview; onClose: () => void }) {
  const { t, errorMessage } = useI18n();
  const toast = useToast();
  const record = useRecordOutcome();
  const formId = useId();
  const form = useForm({
    initial: { outcome: '', note: '' },
    validate: (v) =>
      collect({
        outcome: v.outcome ? null : 'required',
        note: v.note.trim().length > REVIEW_REASON_MAX_CHARS ? 'too_long' : null,
      }),
  });
  const onSubmit = form.handleSubmit(async (v) => {
    await record.mutateAsync({
      id: interview.id,
      body: { outcome: v.outcome as InterviewOutcome, ...(v.note.trim() ? { note: v.note.trim() } : {}) },
    });
    toast.success(t('interviews.outcomeSaved'));
    onClose();
  });
  return (
    <Modal
      title={t('interviews.outcomeTitle')}
      onClose={form.busy ? () => undefined : onClose}
      size="small"
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={form.busy}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" form={formId} busy={form.busy} busyLabel={t('common.saving')}>
            {t('interviews.saveOutcome')}
          </Button>
        </>
      }
    >
      <form id={formId} className="form" onSubmit={onSubmit} noValidate>
        {form.formError ? <Alert kind="error">{errorMessage(form.formError)}</Alert> : null}
        <SelectField
          label={t('interviews.outcomeLabel')}
          name="outcome"
          value={form.values.outcome}
          onValueChange={(value) => form.setValue('outcome', value)}
          options={[
            { value: '', label: t('interviews.chooseOutcome') },
            ...INTERVIEW_OUTCOMES.map((o) => ({ value: o, label: outcomeLabel(t, o) })),
          ]}
          error={form.errors.outcome}
        />
        <TextAreaField
          label={t('interviews.outcomeNote')}
          name="note"
          optional
          hint={t('interviews.outcomeNoteHint')}
          value={form.values.note}
          onValueChange={(value) => form.setValue('note', value)}
          error={form.errors.note}
        />
      </form>
    </Modal>
  );
}
