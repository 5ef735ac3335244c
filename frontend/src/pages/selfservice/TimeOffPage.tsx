// /me/time-off — asking for time off and following my requests (self.service): whole days, or from a time on
// the first day and/or until a time on the last day (in my home location's time zone), with a category and no
// free text (no medical detail). Pending requests can be withdrawn (asks first; 409 `request_decided` when a
// manager was first).
//
// Stable selectors: [data-testid="time-off-form"], [data-testid="time-off"] a request (data-id, data-status).
import { useId, useState } from 'react';
import { Link } from 'react-router';
import { isApiError } from '../../api/client';
import { useMe } from '../../api/queries';
import { useCancelTimeOff, useMyTimeOff, useRequestTimeOff } from '../../api/selfService';
import { TIME_OFF_CATEGORIES, type TimeOff, type TimeOffCategory, type TimeOffRequestBody } from '../../api/selfServiceTypes';
import { Button, FormError, LoadError, Loading } from '../../components/feedback';
import { useTitle } from '../../components/Layout';
import { ConfirmDialog } from '../../components/Modal';
import { useToast } from '../../components/toast';
import { useForm, type FieldErrorMap } from '../../forms/useForm';
import { useI18n } from '../../i18n/I18nProvider';
import { Field } from '../crew/ui';
import { todayInZone } from '../hiring/zonedTime';
import { categoryLabel, fieldMessage, homeZone, isClock, statusLabel, timeOffRange } from './selfText';
import { DecisionText, StatusBadge } from './timeOffParts';
import './selfService.css';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

type RequestValues = {
  firstDay: string;
  lastDay: string;
  partOfDay: boolean;
  startTime: string;
  endTime: string;
  category: TimeOffCategory;
};

/** The checks of the server that need no clock or calendar of the home zone (except "not in the past"). */
function checkRequest(values: RequestValues, today: string): FieldErrorMap<RequestValues> {
  const errors: FieldErrorMap<RequestValues> = {};
  if (!values.firstDay) errors.firstDay = 'required';
  else if (!DATE.test(values.firstDay)) errors.firstDay = 'invalid_date';
  if (!values.lastDay) errors.lastDay = 'required';
  else if (!DATE.test(values.lastDay)) errors.lastDay = 'invalid_date';
  else if (!errors.firstDay && values.lastDay < values.firstDay) errors.lastDay = 'before_first_day';
  else if (values.lastDay < today) errors.lastDay = 'in_past';
  if (values.partOfDay) {
    if (values.startTime && !isClock(values.startTime)) errors.startTime = 'invalid_time';
    if (values.endTime && !isClock(values.endTime)) errors.endTime = 'invalid_time';
    if (
      !errors.startTime &&
      !errors.endTime &&
      values.startTime &&
      values.endTime &&
      values.firstDay === values.lastDay &&
      values.endTime <= values.startTime
    )
      errors.endTime = 'not_after_start';
  }
  return errors;
}

function toRequestBody(values: RequestValues): TimeOffRequestBody {
  const body: TimeOffRequestBody = { firstDay: values.firstDay, lastDay: values.lastDay, category: values.category };
  if (values.partOfDay && values.startTime) body.startTime = values.startTime;
  if (values.partOfDay && values.endTime) body.endTime = values.endTime;
  return body;
}

export function TimeOffPage() {
  const { t } = useI18n();
  useTitle(t('timeOff.title'));
  const me = useMe().data;
  const zone = homeZone(me);
  const list = useMyTimeOff();

  return (
    <div className="page self-page" data-testid="time-off-page">
      <header className="page__header">
        <p className="back-link">
          <Link to="/me/shifts">← {t('calendar.back')}</Link>
        </p>
        <h1>{t('timeOff.title')}</h1>
        <p className="muted">{t('timeOff.intro')}</p>
      </header>
      <RequestForm zone={zone} />
      <section className="self-section" aria-labelledby="my-time-off">
        <h2 id="my-time-off">{t('timeOff.mine.title')}</h2>
        {list.isPending ? (
          <Loading />
        ) : list.isError ? (
          <LoadError error={list.error} onRetry={() => void list.refetch()} />
        ) : list.data.length === 0 ? (
          <p className="card muted self-empty">{t('timeOff.mine.none')}</p>
        ) : (
          <ul className="self-cards">
            {list.data.map((request) => (
              <RequestCard key={request.id} request={request} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function RequestForm({ zone }: { zone: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const toast = useToast();
  const ask = useRequestTimeOff();
  const today = todayInZone(zone);
  const titleId = useId();
  const form = useForm<RequestValues>({
    initial: { firstDay: '', lastDay: '', partOfDay: false, startTime: '', endTime: '', category: 'vacation' },
    validate: (values) => checkRequest(values, today),
  });
  const { values, errors, setValue } = form;
  const message = (field: keyof RequestValues & string) => {
    const code = errors[field];
    return code ? fieldMessage(i18n, code, field) : undefined;
  };

  const submit = form.handleSubmit(async (v) => {
    await ask.mutateAsync(toRequestBody(v));
    toast.success(t('timeOff.sent'));
    form.reset();
  });

  return (
    <section className="card self-section" aria-labelledby={titleId}>
      <h2 id={titleId}>{t('timeOff.form.title')}</h2>
      <form className="self-form" onSubmit={submit} noValidate data-testid="time-off-form">
        <div className="self-form__pair">
          <Field label={t('timeOff.firstDay')} error={message('firstDay')}>
            {(props) => (
              <input
                {...props}
                type="date"
                className="input"
                min={today}
                value={values.firstDay}
                onChange={(e) => {
                  const day = e.target.value;
                  setValue('firstDay', day);
                  // One day off is the usual case: the last day follows until it is chosen.
                  if (day && (!values.lastDay || values.lastDay < day)) setValue('lastDay', day);
                }}
                onBlur={() => form.touch('firstDay')}
              />
            )}
          </Field>
          <Field label={t('timeOff.lastDay')} error={message('lastDay')}>
            {(props) => (
              <input
                {...props}
                type="date"
                className="input"
                min={values.firstDay || today}
                value={values.lastDay}
                onChange={(e) => setValue('lastDay', e.target.value)}
                onBlur={() => form.touch('lastDay')}
              />
            )}
          </Field>
        </div>
        <div className="field field--check self-form__check">
          <input
            id={`${titleId}-part`}
            type="checkbox"
            className="checkbox"
            checked={values.partOfDay}
            onChange={(e) => setValue('partOfDay', e.target.checked)}
          />
          <label htmlFor={`${titleId}-part`} className="field__check-label">
            {t('timeOff.partOfDay')}
          </label>
        </div>
        {values.partOfDay ? (
          <>
            <div className="self-form__pair">
              <Field label={t('timeOff.startTime')} error={message('startTime')} optional>
                {(props) => (
                  <input
                    {...props}
                    type="time"
                    className="input"
                    value={values.startTime}
                    onChange={(e) => setValue('startTime', e.target.value)}
                  />
                )}
              </Field>
              <Field label={t('timeOff.endTime')} error={message('endTime')} optional>
                {(props) => (
                  <input
                    {...props}
                    type="time"
                    className="input"
                    value={values.endTime}
                    onChange={(e) => setValue('endTime', e.target.value)}
                  />
                )}
              </Field>
            </div>
            <p className="field__hint">{t('timeOff.timesHint', { timezone: zone })}</p>
          </>
        ) : null}
        <Field label={t('timeOff.category')} hint={t('timeOff.categoryHint')} error={message('category')}>
          {(props) => (
            <select
              {...props}
              className="input"
              value={values.category}
              onChange={(e) => setValue('category', e.target.value as TimeOffCategory)}
            >
              {TIME_OFF_CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {categoryLabel(t, c)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <FormError error={form.formError} unmatched={form.unmatchedFieldCodes} />
        <div className="button-row">
          <Button type="submit" busy={form.busy} busyLabel={t('timeOff.sending')}>
            {t('timeOff.submit')}
          </Button>
        </div>
      </form>
    </section>
  );
}

function RequestCard({ request }: { request: TimeOff }) {
  const i18n = useI18n();
  const { t, formatDateTime } = i18n;
  const toast = useToast();
  const cancel = useCancelTimeOff();
  const [confirming, setConfirming] = useState(false);
  const range = timeOffRange(i18n, request);

  const cancelError = (() => {
    if (!cancel.isError) return undefined;
    const error = cancel.error;
    if (isApiError(error) && error.code === 'request_decided') {
      const status = error.fields.status;
      return status === 'approved' || status === 'denied' || status === 'cancelled'
        ? t('timeOff.alreadyDecidedAs', { status: statusLabel(t, status) })
        : t('timeOff.alreadyDecided');
    }
    return i18n.errorMessage(error);
  })();

  return (
    <li className="self-card" data-testid="time-off" data-id={request.id} data-status={request.status}>
      <div className="self-card__head">
        <p className="self-card__title">{range}</p>
        <StatusBadge status={request.status} />
      </div>
      <p className="small">
        {categoryLabel(t, request.category)} · {t('timeOff.requestedAt', { time: formatDateTime(request.createdAt) })}
      </p>
      <DecisionText request={request} />
      {request.status === 'pending' ? (
        <div className="button-row">
          <Button variant="secondary" onClick={() => setConfirming(true)} aria-label={t('timeOff.cancelLabel', { range })}>
            {t('timeOff.cancel')}
          </Button>
        </div>
      ) : null}
      {confirming ? (
        <ConfirmDialog
          title={t('timeOff.cancel.title')}
          message={t('timeOff.cancel.body', { range })}
          confirmLabel={t('timeOff.cancel.confirm')}
          busy={cancel.isPending}
          danger
          error={cancelError}
          onConfirm={() =>
            cancel.mutate(request.id, {
              onSuccess: () => {
                setConfirming(false);
                toast.success(t('timeOff.cancelled'));
              },
            })
          }
          onCancel={() => {
            cancel.reset();
            setConfirming(false);
          }}
        />
      ) : null}
    </li>
  );
}
