// The change history of a published week, newest first: who changed what when, old → new, the reason and any
// overridden rules. Loaded when opened.
import { useId, useState } from 'react';
import { useWeekChanges } from '../../../api/schedule';
import { Button, LoadError, Loading } from '../../../components/feedback';
import { useI18n } from '../../../i18n/I18nProvider';
import { useZonedFormat } from '../../hiring/zonedTime';
import { changeKindLabel, ruleLabel } from './weekText';

/** Times are the venue's (`timeZone`), as everywhere in scheduling. */
export function HistoryPanel({ weekId, timeZone }: { weekId: string; timeZone: string }) {
  const { t } = useI18n();
  const zoned = useZonedFormat();
  const formatDateTime = (at: string) => zoned.dateTime(at, timeZone);
  const titleId = useId();
  const listId = useId();
  const [open, setOpen] = useState(false);
  const changes = useWeekChanges(weekId, open);

  return (
    <section className="card week-history" aria-labelledby={titleId}>
      <div className="card__head">
        <h2 id={titleId}>{t('week.history.title')}</h2>
        <Button variant="secondary" size="small" onClick={() => setOpen((v) => !v)} aria-expanded={open} aria-controls={listId}>
          {open ? t('week.history.hide') : t('week.history.show')}
        </Button>
      </div>
      <div id={listId} hidden={!open}>
        {!open ? null : changes.isPending ? (
          <Loading />
        ) : changes.isError ? (
          <LoadError error={changes.error} onRetry={() => void changes.refetch()} />
        ) : changes.data.length === 0 ? (
          <p className="muted">{t('week.history.empty')}</p>
        ) : (
          <ol className="week-history__list">
            {changes.data.map((c) => (
              <li key={c.id} className="week-history__item" data-kind={c.kind}>
                <p className="week-history__head">
                  <strong>{changeKindLabel(t, c.kind)}</strong>
                  {c.person ? <span> · {c.person.name}</span> : null}
                </p>
                {c.old || c.new ? (
                  <p className="week-history__change">
                    {c.old ? <span className="week-history__old">{c.old}</span> : null}
                    {c.old && c.new ? <span aria-hidden="true"> → </span> : null}
                    {c.old && c.new ? <span className="visually-hidden"> {t('week.history.to')} </span> : null}
                    {c.new ? <span className="week-history__new">{c.new}</span> : null}
                  </p>
                ) : null}
                {c.reason ? <p className="small">{t('week.history.reason', { reason: c.reason })}</p> : null}
                {c.overridden.length > 0 ? (
                  <p className="small week-history__override">
                    {t('week.history.overridden', { rules: c.overridden.map((code) => ruleLabel(t, code)).join(', ') })}
                  </p>
                ) : null}
                <p className="muted small">
                  {c.actor ? t('week.history.by', { time: formatDateTime(c.at), name: c.actor.name }) : formatDateTime(c.at)}
                </p>
              </li>
            ))}
          </ol>
        )}
      </div>
    </section>
  );
}
