// /cash — counting the till, phone first: one row per euro note and coin with − / + and a numeric field, a live
// total and difference in a bar that stays in view, the register's figures, the expected amount (worked out by
// the server, editable), an optional receipt photo with upload progress. One client key per form: a double tap
// or a retried request is the same submission for the server, never a second count.
//
// Stable selectors: [data-testid="cash-count-form"], [data-testid="cash-qty-<cents>"], [data-testid="cash-total"],
// [data-testid="cash-discrepancy"], [data-testid="cash-submit"], [data-testid="cash-submitted"].
import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useId, useState } from 'react';
import { useForm, useWatch, type UseFormRegisterReturn } from 'react-hook-form';
import * as z from 'zod/mini';
import { useCashExpected, useCashSettings, useSubmitCount, cashEndpoints } from '../../api/cash';
import { CASH_COUNT_TYPES, type CashCount, type CashCountType, type CashSettings, type NewCashCount } from '../../api/cashTypes';
import { isApiError } from '../../api/client';
import { Alert, Button, FormError, LoadError, Loading } from '../../components/feedback';
import { useI18n } from '../../i18n/I18nProvider';
import { CashFrame, type CashVenue } from './CashFrame';
import { centsToInput, centsToText, countedTotal, denominationLabel, formatEuro, parseAmount, parseQuantity } from './cashMoney';
import { Difference } from './Difference';
import { RecentCounts } from './RecentCounts';

// zod/mini keeps the schema library a few kB in this page's chunk; messages are the server's field codes.
const problemOf = (value: unknown) => {
  const parsed = parseAmount(typeof value === 'string' ? value : '');
  return 'problem' in parsed ? parsed.problem : 'invalid_amount';
};
const amount = z.string().check(z.refine((value) => !('problem' in parseAmount(value)), { error: (issue) => problemOf(issue.input) }));

const schema = z.object({
  type: z.enum(CASH_COUNT_TYPES),
  businessDate: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'invalid_date')),
  quantities: z.array(z.string().check(z.refine((v) => parseQuantity(v) !== null, 'invalid_quantity'))),
  cardTotal: amount,
  float: amount,
  cashTakings: amount,
  expected: amount,
  note: z.string().check(z.maxLength(500, 'too_long')),
});

type CountValues = z.infer<typeof schema>;

/** A v4 UUID, also where `crypto.randomUUID` is missing (plain-http test hosts). */
function newClientKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function amountText(value: string): string | undefined {
  const parsed = parseAmount(value);
  return 'cents' in parsed && parsed.cents !== null ? centsToText(parsed.cents) : undefined;
}

function centsOf(value: string): number | null {
  const parsed = parseAmount(value);
  return 'cents' in parsed ? parsed.cents : null;
}

export function CashCountPage() {
  const { t } = useI18n();
  return <CashFrame title={t('cash.title')}>{(venue) => <CountLoader key={venue.id} venue={venue} />}</CashFrame>;
}

function CountLoader({ venue }: { venue: CashVenue }) {
  const settings = useCashSettings(venue.id);
  const [round, setRound] = useState(0);
  if (settings.isPending) return <Loading />;
  if (settings.isError) return <LoadError error={settings.error} onRetry={() => void settings.refetch()} />;
  return (
    <>
      <CountForm key={round} venue={venue} settings={settings.data} onNew={() => setRound((r) => r + 1)} />
      <RecentCounts venueId={venue.id} />
    </>
  );
}

function AmountField({
  label,
  registration,
  error,
  hint,
  testId,
}: {
  label: string;
  registration: UseFormRegisterReturn;
  error?: string | undefined;
  hint?: string | undefined;
  testId: string;
}) {
  const { fieldErrorMessage } = useI18n();
  const id = useId();
  return (
    <div className={error ? 'field field--invalid' : 'field'}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <div className="cash-amount">
        <span className="cash-amount__sign" aria-hidden="true">
          €
        </span>
        <input
          id={id}
          className="input"
          inputMode="decimal"
          autoComplete="off"
          placeholder="0,00"
          data-testid={testId}
          aria-invalid={error ? true : undefined}
          aria-describedby={error || hint ? `${id}-note` : undefined}
          {...registration}
        />
      </div>
      {error ? (
        <p className="field__error" id={`${id}-note`}>
          {fieldErrorMessage(error)}
        </p>
      ) : hint ? (
        <p className="field__hint" id={`${id}-note`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

const SERVER_FIELDS: Record<string, keyof CountValues> = {
  type: 'type',
  businessDate: 'businessDate',
  cardTotal: 'cardTotal',
  float: 'float',
  cashTakings: 'cashTakings',
  expected: 'expected',
  note: 'note',
};

function CountForm({ venue, settings, onNew }: { venue: CashVenue; settings: CashSettings; onNew: () => void }) {
  const { t, locale, fieldErrorMessage } = useI18n();
  const [clientKey] = useState(newClientKey);
  const [corrects, setCorrects] = useState<string | null>(null);
  const [existing, setExisting] = useState<string | null>(null);
  const [receipt, setReceipt] = useState<File | null>(null);
  const [done, setDone] = useState<CashCount | null>(null);
  const submit = useSubmitCount();
  const denominations = settings.denominations;
  const hour = new Date().getHours();
  const form = useForm<CountValues>({
    resolver: zodResolver(schema),
    mode: 'onChange',
    defaultValues: {
      type: hour >= 6 && hour < 12 ? 'opening' : hour >= 12 && hour < 17 ? 'midday' : 'closing',
      businessDate: settings.businessDate,
      quantities: denominations.map(() => ''),
      cardTotal: '',
      float: '',
      cashTakings: '',
      expected: '',
      note: '',
    },
  });
  const { register, control, setValue, getFieldState, formState, handleSubmit, setError } = form;
  const [type, businessDate, quantities, cashTakings, expectedText] = useWatch({
    control,
    name: ['type', 'businessDate', 'quantities', 'cashTakings', 'expected'],
  });
  const counted = countedTotal(denominations, quantities);
  const takings = amountText(cashTakings) ?? '';
  const expected = useCashExpected(venue.id, type, businessDate, takings);
  const computed = expected.data?.expectedCents ?? null;

  // Prefill the expected amount with the server's, until the person types their own.
  useEffect(() => {
    if (computed !== null && !getFieldState('expected').isDirty) {
      setValue('expected', centsToInput(computed, locale), { shouldValidate: true });
    }
  }, [computed, locale, getFieldState, setValue]);

  const expectedCents = centsOf(expectedText);
  const errors = formState.errors;

  const onSubmit = handleSubmit((values) => {
    const typed = centsOf(values.expected);
    const serverComputes = computed !== null && typed === computed && !getFieldState('expected').isDirty;
    const body: NewCashCount = {
      clientKey,
      type: values.type,
      businessDate: values.businessDate,
      lines: denominations
        .map((denomination, index) => ({ denomination, quantity: parseQuantity(values.quantities[index] ?? '') ?? 0 }))
        .filter((line) => line.quantity > 0),
      cardTotal: amountText(values.cardTotal) ?? null,
      float: amountText(values.float) ?? null,
      cashTakings: amountText(values.cashTakings) ?? null,
      expected: serverComputes ? null : (amountText(values.expected) ?? null),
      corrects,
      note: values.note.trim() || null,
    };
    setExisting(null);
    submit.mutate(
      { locationId: venue.id, body },
      {
        onSuccess: (count) => setDone(count),
        onError: (error) => {
          if (!isApiError(error)) return;
          if (error.code === 'count_exists' && error.fields.existing) setExisting(error.fields.existing);
          for (const [field, code] of Object.entries(error.fields)) {
            const quantity = /^lines\[\d+\]/.test(field);
            const target = SERVER_FIELDS[field];
            if (target) setError(target, { message: code });
            else if (quantity) setError('quantities', { message: code });
          }
        },
      },
    );
  });

  if (done) return <Submitted count={done} receipt={receipt} onNew={onNew} />;

  const notes = denominations.filter((d) => d >= 500);
  const coins = denominations.filter((d) => d < 500);
  const row = (cents: number) => {
    const index = denominations.indexOf(cents);
    const label = denominationLabel(cents, locale);
    const field = `quantities.${index}` as const;
    const current = parseQuantity(quantities[index] ?? '') ?? 0;
    const step = (delta: number) =>
      setValue(field, String(Math.max(0, current + delta)), { shouldDirty: true, shouldValidate: true });
    const invalid = !!errors.quantities?.[index];
    return (
      <li key={cents} className={invalid ? 'cash-line cash-line--invalid' : 'cash-line'}>
        <label className="cash-line__label" htmlFor={`cash-q-${cents}`}>
          {label}
        </label>
        <button type="button" className="cash-line__step" onClick={() => step(-1)} aria-label={t('cash.less', { denomination: label })}>
          −
        </button>
        <input
          id={`cash-q-${cents}`}
          className="input cash-line__input"
          inputMode="numeric"
          pattern="[0-9]*"
          autoComplete="off"
          placeholder="0"
          aria-label={t('cash.quantityOf', { denomination: label })}
          aria-invalid={invalid || undefined}
          data-testid={`cash-qty-${cents}`}
          {...register(field)}
        />
        <button type="button" className="cash-line__step" onClick={() => step(1)} aria-label={t('cash.more', { denomination: label })}>
          +
        </button>
        <output className="cash-line__subtotal">{current > 0 ? formatEuro(cents * current, locale) : ''}</output>
      </li>
    );
  };

  return (
    <form className="cash-form" onSubmit={(e) => void onSubmit(e)} noValidate data-testid="cash-count-form">
      <p className="muted">{t('cash.intro')}</p>
      <div className="card cash-form__head">
        <fieldset className="cash-types">
          <legend className="field__label">{t('cash.type')}</legend>
          {CASH_COUNT_TYPES.map((kind: CashCountType) => (
            <label key={kind} className="cash-types__option">
              <input type="radio" value={kind} {...register('type')} data-testid={`cash-type-${kind}`} />
              <span>{t(`cash.type.${kind}`)}</span>
            </label>
          ))}
        </fieldset>
        <div className={errors.businessDate ? 'field field--invalid' : 'field'}>
          <label className="field__label" htmlFor="cash-date">
            {t('cash.businessDate')}
          </label>
          <input id="cash-date" type="date" className="input" max={settings.businessDate} {...register('businessDate')} />
          <p className="field__hint">
            {errors.businessDate?.message ? fieldErrorMessage(errors.businessDate.message) : t('cash.businessDate.hint')}
          </p>
        </div>
      </div>
      {corrects ? <Alert kind="info">{t('cash.correcting')}</Alert> : null}
      <section className="card">
        <h2 className="cash-form__group">{t('cash.notes')}</h2>
        <ul className="cash-lines">{notes.map(row)}</ul>
        <h2 className="cash-form__group">{t('cash.coins')}</h2>
        <ul className="cash-lines">{coins.map(row)}</ul>
        {errors.quantities ? <p className="field__error">{t('cash.error.quantity')}</p> : null}
      </section>
      <section className="card cash-form__figures">
        {type !== 'opening' ? (
          <AmountField label={t('cash.cashTakings')} registration={register('cashTakings')} error={errors.cashTakings?.message} testId="cash-takings" />
        ) : null}
        <AmountField
          label={t('cash.expected')}
          registration={register('expected')}
          error={errors.expected?.message}
          testId="cash-expected"
          hint={
            expected.data?.source && expected.data.source !== 'entered'
              ? t('cash.expected.computed', { source: t(`cash.expected.source.${expected.data.source}`) })
              : expected.isSuccess
                ? t('cash.expected.none')
                : undefined
          }
        />
        {type === 'closing' ? (
          <>
            <AmountField label={t('cash.cardTotal')} registration={register('cardTotal')} error={errors.cardTotal?.message} testId="cash-card" />
            <AmountField label={t('cash.float')} registration={register('float')} error={errors.float?.message} testId="cash-float" />
          </>
        ) : null}
        <div className="field">
          <label className="field__label" htmlFor="cash-note">
            {t('cash.note')}
          </label>
          <textarea id="cash-note" className="input" rows={2} {...register('note')} />
        </div>
        <div className="field">
          <label className="field__label" htmlFor="cash-receipt">
            {t('cash.receipt')}
          </label>
          <input
            id="cash-receipt"
            type="file"
            className="input input--file"
            accept="image/jpeg,image/png,application/pdf"
            capture="environment"
            data-testid="cash-receipt"
            onChange={(e) => setReceipt(e.target.files?.[0] ?? null)}
          />
          <p className="field__hint">{t('cash.receipt.hint')}</p>
        </div>
      </section>
      {submit.error ? <FormError error={submit.error} /> : null}
      {existing ? (
        <Alert kind="info" title={t('cash.exists')}>
          <Button
            variant="secondary"
            data-testid="cash-correct"
            onClick={() => {
              setCorrects(existing);
              setExisting(null);
              submit.reset();
            }}
          >
            {t('cash.correct')}
          </Button>
        </Alert>
      ) : null}
      <div className="cash-bar" aria-live="polite">
        <div className="cash-bar__figures">
          <span className="cash-bar__label">{t('cash.total')}</span>
          <strong className="cash-bar__total" data-testid="cash-total">
            {formatEuro(counted, locale)}
          </strong>
          {expectedCents !== null ? (
            <Difference cents={counted - expectedCents} tolerance={settings.toleranceCents} testId="cash-discrepancy" />
          ) : null}
        </div>
        <Button type="submit" busy={submit.isPending} busyLabel={t('cash.submitting')} data-testid="cash-submit">
          {t('cash.submit')}
        </Button>
      </div>
    </form>
  );
}

function Submitted({ count, receipt, onNew }: { count: CashCount; receipt: File | null; onNew: () => void }) {
  const { t, locale, formatPercent } = useI18n();
  const [progress, setProgress] = useState<number | null>(null);
  const [failed, setFailed] = useState<unknown>(null);
  const [uploaded, setUploaded] = useState(false);
  const upload = () => {
    if (!receipt) return;
    setFailed(null);
    setProgress(0);
    cashEndpoints
      .uploadReceipt(count.id, receipt, (p) => setProgress(p.percent))
      .then(() => setUploaded(true))
      .catch((error: unknown) => setFailed(error))
      .finally(() => setProgress(null));
  };
  useEffect(() => {
    if (receipt && count.receipt == null) upload();
    // Once per submitted count.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [count.id]);
  const difference =
    count.discrepancyCents === 0
      ? t('cash.discrepancy.even')
      : t(count.discrepancyCents < 0 ? 'cash.discrepancy.short' : 'cash.discrepancy.over', {
          amount: formatEuro(Math.abs(count.discrepancyCents), locale),
        });
  return (
    <section className="card cash-done" data-testid="cash-submitted" data-count-id={count.id}>
      <Alert kind="success">{t('cash.submitted', { counted: formatEuro(count.countedCents, locale), difference })}</Alert>
      {count.overTolerance ? (
        <p className="cash-flag">{t('cash.overTolerance', { amount: formatEuro(count.toleranceCents, locale) })}</p>
      ) : null}
      {progress !== null ? (
        <p role="status" data-testid="cash-receipt-progress">
          {t('cash.receipt.uploading', { percent: formatPercent(progress) })}
          <progress max={100} value={progress} />
        </p>
      ) : null}
      {uploaded ? (
        <p className="muted" data-testid="cash-receipt-done">
          {t('cash.receipt.done')}
        </p>
      ) : null}
      {failed ? (
        <Alert kind="error" title={t('cash.receipt.failed')}>
          <FormError error={failed} />
          <Button variant="secondary" onClick={upload}>
            {t('cash.receipt.retry')}
          </Button>
        </Alert>
      ) : null}
      <Button variant="secondary" onClick={onNew} data-testid="cash-new">
        {t('cash.newCount')}
      </Button>
    </section>
  );
}
