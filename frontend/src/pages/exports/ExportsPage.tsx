// /staff/exports — CSV exports (`exports.download`: administrators, managers of their venues): crew hours of a
// venue and period with the venue's locked periods and "Lock this period", and the application list with filters.
// Both choose comma or semicolon (Dutch Excel reads semicolons and decimal commas).
//
// Stable selectors: [data-testid="hours-export"], [data-testid="download-hours"] (data-url = the export's
// address), [data-testid="hours-locks"] with [data-testid="hours-lock"] rows, [data-testid="lock-period"],
// [data-testid="applications-export"], [data-testid="download-applications"].
import { useId, useState } from 'react';
import { isApiError } from '../../api/client';
import { exportUrls, useHoursLocks, useLockPeriod } from '../../api/exports';
import { HOURS_EXPORT_MAX_DAYS, type CsvDelimiter } from '../../api/exportsTypes';
import { APPLICATION_SOURCES, APPLICATION_STATUSES, type ApplicationSource, type ApplicationStatus } from '../../api/hiringTypes';
import type { Location } from '../../api/types';
import { Button, LoadError, Loading } from '../../components/feedback';
import { useTitle } from '../../components/Layout';
import { ConfirmDialog } from '../../components/Modal';
import { useToast } from '../../components/toast';
import { useI18n } from '../../i18n/I18nProvider';
import { LocationPicker, useChosenLocation } from '../crew/ui';
import { sourceLabel, statusLabel } from '../hiring/hiringText';
import { DelimiterChoice, DownloadButton } from './DownloadButton';
import { hoursRangeProblem, lastMonth, optionalRangeProblem, type RangeProblem } from './exportForm';

export function ExportsPage() {
  const { t } = useI18n();
  useTitle(t('exports.title'));
  const { locations, list, locationId, location, choose } = useChosenLocation();
  return (
    <div className="page" data-testid="exports">
      <header className="page__header">
        <h1>{t('exports.title')}</h1>
        <p className="muted">{t('exports.intro')}</p>
      </header>
      {locations.isPending ? (
        <Loading />
      ) : locations.isError ? (
        <LoadError error={locations.error} onRetry={() => void locations.refetch()} />
      ) : !location ? (
        <p className="card">{t('crew.noLocations')}</p>
      ) : (
        <>
          <HoursExport location={location} list={list} locationId={locationId} onLocation={choose} />
          <ApplicationsExport list={list} />
        </>
      )}
    </div>
  );
}

function DateInput({ label, value, onChange, invalid }: { label: string; value: string; onChange: (v: string) => void; invalid?: boolean }) {
  const id = useId();
  return (
    <div className={invalid ? 'field field--invalid' : 'field'}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <input id={id} type="date" className="input" value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={invalid || undefined} />
    </div>
  );
}

function rangeMessage(t: ReturnType<typeof useI18n>['t'], problem: RangeProblem): string {
  if (problem === 'range') return t('exports.error.range');
  if (problem === 'tooLong') return t('exports.error.tooLong', { days: HOURS_EXPORT_MAX_DAYS });
  return t('exports.error.required');
}

function HoursExport({
  location,
  list,
  locationId,
  onLocation,
}: {
  location: Location;
  list: readonly Location[];
  locationId: string;
  onLocation: (id: string) => void;
}) {
  const { t, formatDate } = useI18n();
  const toast = useToast();
  const headingId = useId();
  const [range, setRange] = useState(lastMonth);
  const [delimiter, setDelimiter] = useState<CsvDelimiter>('comma');
  const [confirming, setConfirming] = useState(false);
  const lock = useLockPeriod();
  const problem = hoursRangeProblem(range.from, range.to);
  const url = problem ? null : exportUrls.hours({ location: locationId, from: range.from, to: range.to, delimiter });
  const period = { from: formatDate(range.from), to: formatDate(range.to) };

  const confirmLock = () =>
    lock.mutate(
      { locationId, period: { from: range.from, to: range.to } },
      {
        onSuccess: () => {
          setConfirming(false);
          toast.success(t('exports.lock.done', period));
        },
      },
    );
  const lockError = lock.error
    ? isApiError(lock.error) && lock.error.code === 'period_overlaps'
      ? t('exports.lock.overlaps')
      : null
    : null;

  return (
    <section className="card section" aria-labelledby={headingId} data-testid="hours-export">
      <h2 id={headingId}>{t('exports.hours.title')}</h2>
      <p className="muted">{t('exports.hours.intro')}</p>
      <div className="form">
        <div className="form__row form__row--start">
          <LocationPicker list={list} value={locationId} onChange={onLocation} />
          <DateInput label={t('exports.from')} value={range.from} onChange={(from) => setRange((r) => ({ ...r, from }))} invalid={!!problem} />
          <DateInput label={t('exports.to')} value={range.to} onChange={(to) => setRange((r) => ({ ...r, to }))} invalid={!!problem} />
        </div>
        {problem ? (
          <p className="field__error" role="status" data-testid="range-problem">
            {rangeMessage(t, problem)}
          </p>
        ) : null}
        <DelimiterChoice value={delimiter} onChange={setDelimiter} />
        <div className="button-row">
          <DownloadButton url={url} fallbackName={`crewplots-hours-${range.from}-${range.to}.csv`} testId="download-hours" />
          <Button
            variant="secondary"
            data-testid="lock-period"
            disabled={!!problem}
            onClick={() => {
              lock.reset();
              setConfirming(true);
            }}
          >
            {t('exports.lock.open')}
          </Button>
        </div>
      </div>
      <LockList locationId={locationId} />
      {confirming ? (
        <ConfirmDialog
          title={t('exports.lock.title', { ...period, location: location.name })}
          message={t('exports.lock.explain')}
          confirmLabel={t('exports.lock.confirm')}
          busy={lock.isPending}
          busyLabel={t('exports.lock.locking')}
          error={lock.error ? (lockError ?? <LockErrorText error={lock.error} />) : undefined}
          onConfirm={confirmLock}
          onCancel={() => setConfirming(false)}
        />
      ) : null}
    </section>
  );
}

function LockErrorText({ error }: { error: unknown }) {
  const { errorMessage } = useI18n();
  return <>{errorMessage(error)}</>;
}

function LockList({ locationId }: { locationId: string }) {
  const { t, formatDate, formatDateTime } = useI18n();
  const locks = useHoursLocks(locationId);
  const headingId = useId();
  return (
    <div className="section" data-testid="hours-locks">
      <h3 id={headingId}>{t('exports.locks.title')}</h3>
      <p className="muted small">{t('exports.locks.intro')}</p>
      {locks.isPending ? (
        <Loading />
      ) : locks.isError ? (
        <LoadError error={locks.error} onRetry={() => void locks.refetch()} />
      ) : locks.data.length === 0 ? (
        <p className="muted">{t('exports.locks.none')}</p>
      ) : (
        <table className="table table--cards" aria-labelledby={headingId}>
          <thead>
            <tr>
              <th scope="col">{t('exports.locks.period')}</th>
              <th scope="col">{t('exports.locks.lockedAt')}</th>
              <th scope="col">{t('exports.locks.by')}</th>
            </tr>
          </thead>
          <tbody>
            {locks.data.map((l) => (
              <tr key={l.id} data-testid="hours-lock" data-from={l.from} data-to={l.to}>
                <td>
                  {formatDate(l.from)} – {formatDate(l.to)}
                </td>
                <td data-label={t('exports.locks.lockedAt')}>{formatDateTime(l.lockedAt)}</td>
                <td data-label={t('exports.locks.by')}>{l.lockedBy.name ?? t('exports.locks.unknownPerson')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function ApplicationsExport({ list }: { list: readonly Location[] }) {
  const { t } = useI18n();
  const headingId = useId();
  const locationId = useId();
  const statusId = useId();
  const sourceId = useId();
  const [location, setLocation] = useState('');
  const [status, setStatus] = useState<ApplicationStatus | ''>('');
  const [source, setSource] = useState<ApplicationSource | ''>('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [delimiter, setDelimiter] = useState<CsvDelimiter>('comma');
  const problem = optionalRangeProblem(from, to);
  const url = problem ? null : exportUrls.applications({ location, status, source, from, to, delimiter });

  return (
    <section className="card section" aria-labelledby={headingId} data-testid="applications-export">
      <h2 id={headingId}>{t('exports.applications.title')}</h2>
      <p className="muted">{t('exports.applications.intro')}</p>
      <div className="form">
        <div className="form__row form__row--start">
          <div className="field">
            <label className="field__label" htmlFor={locationId}>
              {t('exports.location')}
            </label>
            <select id={locationId} className="input" value={location} onChange={(e) => setLocation(e.target.value)}>
              <option value="">{t('exports.allLocations')}</option>
              {list.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label className="field__label" htmlFor={statusId}>
              {t('exports.applications.status')}
            </label>
            <select id={statusId} className="input" value={status} onChange={(e) => setStatus(e.target.value as ApplicationStatus | '')}>
              <option value="">{t('exports.applications.any')}</option>
              {APPLICATION_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {statusLabel(t, s)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label className="field__label" htmlFor={sourceId}>
              {t('exports.applications.source')}
            </label>
            <select id={sourceId} className="input" value={source} onChange={(e) => setSource(e.target.value as ApplicationSource | '')}>
              <option value="">{t('exports.applications.any')}</option>
              {APPLICATION_SOURCES.map((s) => (
                <option key={s} value={s}>
                  {sourceLabel(t, s)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="form__row form__row--start">
          <DateInput label={t('exports.from')} value={from} onChange={setFrom} invalid={!!problem} />
          <DateInput label={t('exports.to')} value={to} onChange={setTo} invalid={!!problem} />
        </div>
        {problem ? (
          <p className="field__error" role="status">
            {rangeMessage(t, problem)}
          </p>
        ) : null}
        <DelimiterChoice value={delimiter} onChange={setDelimiter} />
        <DownloadButton url={url} fallbackName="crewplots-applications.csv" testId="download-applications" />
      </div>
    </section>
  );
}
