// /staff/audit — the audit log (`audit.view`: administrators everything, managers the rows of their venues):
// filters (person, action or action prefix, subject, venue, from/until in local time), newest first with "Load
// more", and the same filters as a CSV export. On phones the table becomes a list of cards.
//
// Stable selectors: [data-testid="audit-filters"], [data-testid="audit-table"], [data-testid="audit-entry"]
// (data-id), [data-testid="audit-more"], [data-testid="audit-export"] (data-url).
import { useId, useState, type FormEvent } from 'react';
import { useAuditLog } from '../../api/audit';
import { EMPTY_AUDIT_FILTER, type AuditEntry, type AuditFilter } from '../../api/auditTypes';
import { exportUrls } from '../../api/exports';
import type { CsvDelimiter } from '../../api/exportsTypes';
import { useLocations } from '../../api/queries';
import { Button, LoadError, Loading } from '../../components/feedback';
import { useTitle } from '../../components/Layout';
import { useI18n } from '../../i18n/I18nProvider';
import { DelimiterChoice, DownloadButton } from '../exports/DownloadButton';
import { checkAuditForm, EMPTY_FORM, toAuditFilter, type AuditForm } from './auditModel';

export function AuditPage() {
  const { t } = useI18n();
  useTitle(t('audit.title'));
  const [filter, setFilter] = useState<AuditFilter>(EMPTY_AUDIT_FILTER);
  const [form, setForm] = useState<AuditForm>(EMPTY_FORM);
  const [delimiter, setDelimiter] = useState<CsvDelimiter>('comma');
  const log = useAuditLog(filter);
  const entries = log.data?.pages.flatMap((p) => p.items) ?? [];

  const onlyActor = (id: string) => {
    const next = { ...form, actor: id };
    setForm(next);
    setFilter(toAuditFilter(next));
  };

  return (
    <div className="page page--wide" data-testid="audit">
      <header className="page__header">
        <h1>{t('audit.title')}</h1>
        <p className="muted">{t('audit.intro')}</p>
      </header>
      <FilterForm
        form={form}
        onChange={setForm}
        onApply={(applied) => setFilter(toAuditFilter(applied))}
        onClear={() => {
          setForm(EMPTY_FORM);
          setFilter(EMPTY_AUDIT_FILTER);
        }}
      />
      <section className="card section">
        <div className="audit-export">
          <DelimiterChoice value={delimiter} onChange={setDelimiter} />
          <DownloadButton
            url={exportUrls.audit(filter, delimiter)}
            fallbackName="crewplots-audit.csv"
            label={t('audit.export')}
            testId="audit-export"
          />
        </div>
        {log.isPending ? (
          <Loading />
        ) : log.isError ? (
          <LoadError error={log.error} onRetry={() => void log.refetch()} />
        ) : entries.length === 0 ? (
          <p className="muted" data-testid="audit-none">
            {t('audit.none')}
          </p>
        ) : (
          <>
            <AuditTable entries={entries} onOnlyActor={onlyActor} />
            {log.hasNextPage ? (
              <Button
                variant="secondary"
                data-testid="audit-more"
                busy={log.isFetchingNextPage}
                onClick={() => void log.fetchNextPage()}
              >
                {t('common.loadMore')}
              </Button>
            ) : null}
          </>
        )}
      </section>
    </div>
  );
}

function FilterForm({
  form,
  onChange,
  onApply,
  onClear,
}: {
  form: AuditForm;
  onChange: (form: AuditForm) => void;
  onApply: (form: AuditForm) => void;
  onClear: () => void;
}) {
  const { t } = useI18n();
  const locations = useLocations();
  const id = useId();
  const [submitted, setSubmitted] = useState(false);
  const problems = checkAuditForm(form);
  const shown = submitted ? problems : {};
  const set = (key: keyof AuditForm) => (value: string) => onChange({ ...form, [key]: value });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (Object.keys(problems).length === 0) onApply(form);
  };

  const input = (key: keyof AuditForm, label: string, options: { type?: string; hint?: string; error?: string } = {}) => {
    const inputId = `${id}-${key}`;
    const hintId = options.hint ? `${inputId}-hint` : undefined;
    const errorId = options.error ? `${inputId}-error` : undefined;
    return (
      <div className={options.error ? 'field field--invalid' : 'field'}>
        <label className="field__label" htmlFor={inputId}>
          {label}
        </label>
        <input
          id={inputId}
          className="input"
          type={options.type ?? 'text'}
          value={form[key]}
          onChange={(e) => set(key)(e.target.value)}
          aria-invalid={options.error ? true : undefined}
          aria-describedby={[errorId, hintId].filter(Boolean).join(' ') || undefined}
          spellCheck={false}
          autoCapitalize="none"
        />
        {options.hint ? (
          <p className="field__hint" id={hintId}>
            {options.hint}
          </p>
        ) : null}
        {options.error ? (
          <p className="field__error" id={errorId}>
            {options.error}
          </p>
        ) : null}
      </div>
    );
  };

  return (
    <form className="card form audit-filters" onSubmit={submit} noValidate aria-label={t('audit.filters')} data-testid="audit-filters">
      <div className="audit-filters__grid">
        {input('actor', t('audit.filter.actor'), {
          hint: t('audit.filter.actorHint'),
          error: shown.actor ? t('audit.filter.invalidId') : undefined,
        })}
        {input('action', t('audit.filter.action'), { hint: t('audit.filter.actionHint') })}
        {input('subject', t('audit.filter.subject'), { error: shown.subject ? t('audit.filter.invalidId') : undefined })}
        <div className="field">
          <label className="field__label" htmlFor={`${id}-location`}>
            {t('audit.filter.location')}
          </label>
          <select id={`${id}-location`} className="input" value={form.location} onChange={(e) => set('location')(e.target.value)}>
            <option value="">{t('audit.filter.anyLocation')}</option>
            {(locations.data ?? []).map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        </div>
        {input('from', t('audit.filter.from'), { type: 'datetime-local' })}
        {input('to', t('audit.filter.to'), {
          type: 'datetime-local',
          error: shown.range ? t('audit.filter.range') : undefined,
        })}
      </div>
      <div className="button-row">
        <Button type="submit">{t('audit.filter.apply')}</Button>
        <Button
          variant="ghost"
          onClick={() => {
            setSubmitted(false);
            onClear();
          }}
        >
          {t('audit.filter.clear')}
        </Button>
      </div>
    </form>
  );
}

function AuditTable({ entries, onOnlyActor }: { entries: AuditEntry[]; onOnlyActor: (id: string) => void }) {
  const { t, tp, formatDateTime } = useI18n();
  const captionId = useId();
  const col = {
    time: t('audit.col.time'),
    action: t('audit.col.action'),
    actor: t('audit.col.actor'),
    subject: t('audit.col.subject'),
    location: t('audit.col.location'),
    ip: t('audit.col.ip'),
    details: t('audit.col.details'),
  };
  return (
    <>
      <p className="muted small" id={captionId} aria-live="polite">
        {tp('audit.count', entries.length)}
      </p>
      <table className="table table--cards audit-table" data-testid="audit-table" aria-describedby={captionId}>
        <thead>
          <tr>
            {Object.values(col).map((name) => (
              <th key={name} scope="col">
                {name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => {
            const actorName = e.actor ? (e.actor.name ?? t('audit.unknownName')) : t('audit.system');
            return (
              <tr key={e.id} data-testid="audit-entry" data-id={e.id}>
                <td>
                  <time dateTime={e.occurredAt}>{formatDateTime(e.occurredAt)}</time>
                </td>
                <td data-label={col.action}>
                  <code>{e.action}</code>
                </td>
                <td data-label={col.actor}>
                  <span className="audit-actor">
                    <span>{actorName}</span>
                    {e.actor ? (
                      <button type="button" className="link-button small" onClick={() => onOnlyActor(e.actor!.id)}>
                        {t('audit.filter.onlyActor', { name: actorName })}
                      </button>
                    ) : null}
                  </span>
                </td>
                <td data-label={col.subject}>
                  {e.subject ? (
                    <span className="break">
                      {e.subject.type}: {e.subject.name ?? e.subject.id}
                    </span>
                  ) : (
                    <span className="muted">–</span>
                  )}
                </td>
                <td data-label={col.location}>{e.location?.name ?? <span className="muted">–</span>}</td>
                <td data-label={col.ip}>{e.ip ?? <span className="muted">–</span>}</td>
                <td data-label={col.details}>
                  {Object.keys(e.details).length === 0 ? (
                    <span className="muted">–</span>
                  ) : (
                    <ul className="audit-details">
                      {Object.entries(e.details).map(([key, value]) => (
                        <li key={key}>
                          <span className="audit-details__key">{key}:</span> <span className="break">{value}</span>
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}
