// /cash/overview — a venue's week of cash counts (administrators, managers, floor managers): per day the effective
// count of each type with its difference (highlighted beyond the tolerance), the closing's cash takings and card
// total; week totals; the week as CSV for those who export; managers set the tolerance here. A table on wide
// screens, one card per day on phones. It opens on the week of the venue's current business day, which after
// midnight is still the day before (counted on Sunday night, a closing belongs to Sunday's week).
//
// Stable selectors: [data-testid="cash-overview"], [data-testid="cash-day"] (data-date),
// [data-testid="cash-week-totals"], [data-testid="cash-tolerance"].
import { useState } from 'react';
import { cashEndpoints, useCashSettings, useCashSummary, useSetTolerance } from '../../api/cash';
import type { CashDay, CashSettings } from '../../api/cashTypes';
import { hasPermission } from '../../api/permissions';
import type { Me } from '../../api/types';
import { Button, FormError, LoadError, Loading } from '../../components/feedback';
import { useToast } from '../../components/toast';
import { useI18n } from '../../i18n/I18nProvider';
import { DownloadButton } from '../exports/DownloadButton';
import { addWeeks, isoWeekOf, weekDates } from '../scheduling/isoWeek';
import { CashFrame, type CashVenue } from './CashFrame';
import { centsToInput, formatEuro } from './cashMoney';
import { Difference } from './Difference';

export function CashOverviewPage() {
  const { t } = useI18n();
  return <CashFrame title={t('cash.overview.title')}>{(venue, me) => <Overview venue={venue} me={me} />}</CashFrame>;
}

function Overview({ venue, me }: { venue: CashVenue; me: Me }) {
  const settings = useCashSettings(venue.id);
  if (settings.isPending) return <Loading />;
  if (settings.isError) return <LoadError error={settings.error} onRetry={() => void settings.refetch()} />;
  return <Weeks key={venue.id} venue={venue} me={me} settings={settings.data} />;
}

function Weeks({ venue, me, settings }: { venue: CashVenue; me: Me; settings: CashSettings }) {
  const { t, tp, locale, formatDate } = useI18n();
  const [week, setWeek] = useState(() => isoWeekOf(settings.businessDate));
  const summary = useCashSummary(venue.id, week);
  const days = weekDates(week);
  const first = days[0] ?? '';
  const last = days[days.length - 1] ?? '';
  const money = (cents: number | null | undefined) => (cents == null ? '–' : formatEuro(cents, locale));
  return (
    <div data-testid="cash-overview">
      <div className="cash-week card">
        <Button variant="ghost" size="small" onClick={() => setWeek((w) => addWeeks(w, -1))}>
          ← <span className="visually-hidden">{t('cash.overview.previous')}</span>
        </Button>
        <strong>
          {t('cash.overview.week', { week })} · {formatDate(first)} – {formatDate(last)}
        </strong>
        <Button variant="ghost" size="small" onClick={() => setWeek((w) => addWeeks(w, 1))}>
          → <span className="visually-hidden">{t('cash.overview.next')}</span>
        </Button>
      </div>
      {summary.isPending ? (
        <Loading />
      ) : summary.isError ? (
        <LoadError error={summary.error} onRetry={() => void summary.refetch()} />
      ) : (
        <>
          <div className="card cash-totals" data-testid="cash-week-totals">
            <h2>{t('cash.overview.totals')}</h2>
            <dl className="cash-figures">
              <div>
                <dt>{t('cash.cashTakings')}</dt>
                <dd>{money(summary.data.totals.cashTakingsCents)}</dd>
              </div>
              <div>
                <dt>{t('cash.cardTotal')}</dt>
                <dd>{money(summary.data.totals.cardTotalCents)}</dd>
              </div>
              <div>
                <dt>{t('cash.discrepancy')}</dt>
                <dd>
                  <Difference cents={summary.data.totals.discrepancyCents} tolerance={Number.MAX_SAFE_INTEGER} />
                </dd>
              </div>
            </dl>
            {summary.data.totals.overTolerance > 0 ? (
              <p className="cash-flag">{tp('cash.overview.flagged', summary.data.totals.overTolerance)}</p>
            ) : null}
          </div>
          <table className="table cash-table">
            <thead>
              <tr>
                <th scope="col">{t('cash.overview.day')}</th>
                <th scope="col">{t('cash.type.opening')}</th>
                <th scope="col">{t('cash.type.midday')}</th>
                <th scope="col">{t('cash.type.closing')}</th>
                <th scope="col">{t('cash.cashTakings')}</th>
                <th scope="col">{t('cash.cardTotal')}</th>
              </tr>
            </thead>
            <tbody>
              {summary.data.days.map((day) => (
                <DayRow key={day.date} day={day} />
              ))}
            </tbody>
          </table>
          {hasPermission(me, 'exports.download') ? (
            <DownloadButton
              url={cashEndpoints.exportUrl({ location: venue.id, from: first, to: last, delimiter: locale.startsWith('nl') ? 'semicolon' : 'comma' })}
              fallbackName={`crewplots-cash-${first}-${last}.csv`}
              testId="cash-export"
              label={t('cash.overview.export')}
            />
          ) : null}
        </>
      )}
      {hasPermission(me, 'cash.approve') ? (
        <ToleranceForm venue={venue} toleranceCents={settings.toleranceCents} />
      ) : null}
    </div>
  );
}

function DayRow({ day }: { day: CashDay }) {
  const { t, locale, formatDate } = useI18n();
  const cell = (type: 'opening' | 'midday' | 'closing') => {
    const count = day.counts.find((c) => c.type === type);
    if (!count) return <td data-label={t(`cash.type.${type}`)}>–</td>;
    return (
      <td data-label={t(`cash.type.${type}`)} className={count.overTolerance ? 'cash-table__flagged' : undefined}>
        {formatEuro(count.countedCents, locale)}
        <br />
        <Difference cents={count.discrepancyCents} tolerance={count.toleranceCents} />
        {count.state === 'submitted' ? <span className="cash-state"> · {t('cash.overview.awaiting')}</span> : null}
        {count.state === 'approved' ? <span className="cash-state"> · {t('cash.state.approved')}</span> : null}
        {count.state === 'disputed' ? <span className="cash-state cash-state--disputed"> · {t('cash.state.disputed')}</span> : null}
      </td>
    );
  };
  return (
    <tr data-testid="cash-day" data-date={day.date} className={day.overTolerance ? 'cash-table__row--flagged' : undefined}>
      <th scope="row">{formatDate(day.date)}</th>
      {day.counts.length === 0 ? (
        <td colSpan={5} className="muted">
          {t('cash.overview.noCounts')}
        </td>
      ) : (
        <>
          {cell('opening')}
          {cell('midday')}
          {cell('closing')}
          <td data-label={t('cash.cashTakings')}>{day.cashTakingsCents == null ? '–' : formatEuro(day.cashTakingsCents, locale)}</td>
          <td data-label={t('cash.cardTotal')}>{day.cardTotalCents == null ? '–' : formatEuro(day.cardTotalCents, locale)}</td>
        </>
      )}
    </tr>
  );
}

function ToleranceForm({ venue, toleranceCents }: { venue: CashVenue; toleranceCents: number }) {
  const { t, locale } = useI18n();
  const toast = useToast();
  const save = useSetTolerance();
  const [value, setValue] = useState(() => centsToInput(toleranceCents, locale));
  return (
    <form
      className="card cash-tolerance"
      data-testid="cash-tolerance"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(
          { locationId: venue.id, tolerance: value },
          { onSuccess: (s) => toast.success(t('cash.tolerance.saved', { amount: formatEuro(s.toleranceCents, locale) })) },
        );
      }}
    >
      <div className="field">
        <label className="field__label" htmlFor="cash-tolerance-input">
          {t('cash.tolerance')}
        </label>
        <div className="cash-amount">
          <span className="cash-amount__sign" aria-hidden="true">
            €
          </span>
          <input id="cash-tolerance-input" className="input" inputMode="decimal" value={value} onChange={(e) => setValue(e.target.value)} />
        </div>
      </div>
      {save.error ? <FormError error={save.error} /> : null}
      <Button type="submit" variant="secondary" busy={save.isPending}>
        {t('cash.tolerance.save')}
      </Button>
    </form>
  );
}
