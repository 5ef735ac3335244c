// A location's auto-fill settings, reached with "Tune" from the suggest dialog: whether its open slots may be
// filled by crew borrowed from the manager's other venues, and how much each soft goal counts (0–10). Managers
// (schedule.manage) change them; others who edit the schedule read them.
//
// Stable selectors: [data-testid="autofill-settings"] (the form or the read-only summary), input[name="allowBorrowing"],
// input[name="weight-<key>"] (e.g. weight-contractHours), [data-testid="autofill-settings-save"].
import { useRef, useState, type FormEvent } from 'react';
import { useAutofillSettings, useSaveAutofillSettings } from '../../../api/autofill';
import { WEIGHT_KEYS, WEIGHT_MAX, WEIGHT_MIN, type AutofillSettings, type FillWeights } from '../../../api/autofillTypes';
import { isApiError } from '../../../api/client';
import { Button, FormError, LoadError, Loading } from '../../../components/feedback';
import { CheckboxField } from '../../../components/fields';
import { useToast } from '../../../components/toast';
import { useI18n } from '../../../i18n/I18nProvider';
import { Field } from '../../crew/ui';
import { weightOf } from './SuggestFillText';

type WeightKey = keyof FillWeights;
type WeightTexts = Record<WeightKey, string>;
type WeightErrors = Partial<Record<WeightKey, string>>;

export function SuggestFillSettings({
  locationId,
  canEdit,
  onDone,
}: {
  locationId: string;
  canEdit: boolean;
  /** Back to the suggest options. */
  onDone: () => void;
}) {
  const { t } = useI18n();
  const settings = useAutofillSettings(locationId);
  return (
    <div className="autofill-settings">
      <p>{t('autofill.settings.intro')}</p>
      {settings.isPending ? (
        <Loading />
      ) : settings.isError ? (
        <>
          <LoadError error={settings.error} onRetry={() => void settings.refetch()} />
          <div className="button-row">
            <Button variant="secondary" onClick={onDone}>
              {t('autofill.settings.back')}
            </Button>
          </div>
        </>
      ) : canEdit ? (
        <SettingsForm key={locationId} locationId={locationId} saved={settings.data} onDone={onDone} />
      ) : (
        <SettingsSummary settings={settings.data} onDone={onDone} />
      )}
    </div>
  );
}

function SettingsSummary({ settings, onDone }: { settings: AutofillSettings; onDone: () => void }) {
  const { t } = useI18n();
  return (
    <>
      <dl className="autofill-settings__summary" data-testid="autofill-settings">
        <dt>{t('autofill.settings.allowBorrowing')}</dt>
        <dd>{settings.allowBorrowing ? t('autofill.settings.yes') : t('autofill.settings.no')}</dd>
        {WEIGHT_KEYS.map((key) => (
          <div key={key} className="autofill-settings__pair">
            <dt>{t(`autofill.weight.${key}`)}</dt>
            <dd>{t('autofill.settings.weightValue', { value: settings.weights[key], max: WEIGHT_MAX })}</dd>
          </div>
        ))}
      </dl>
      <p className="muted small">{t('autofill.settings.readOnly')}</p>
      <div className="button-row">
        <Button variant="secondary" onClick={onDone}>
          {t('autofill.settings.back')}
        </Button>
      </div>
    </>
  );
}

/** `weights.contractHours` or `contractHours` → the weight it is about. */
function weightOfField(field: string): WeightKey | undefined {
  const name = field.startsWith('weights.') ? field.slice('weights.'.length) : field;
  return (WEIGHT_KEYS as readonly string[]).includes(name) ? (name as WeightKey) : undefined;
}

function SettingsForm({ locationId, saved, onDone }: { locationId: string; saved: AutofillSettings; onDone: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const toast = useToast();
  const save = useSaveAutofillSettings();
  const formRef = useRef<HTMLFormElement>(null);
  const [allowBorrowing, setAllowBorrowing] = useState(saved.allowBorrowing);
  const [borrowingError, setBorrowingError] = useState<string | undefined>();
  const [texts, setTexts] = useState<WeightTexts>(
    () => Object.fromEntries(WEIGHT_KEYS.map((key) => [key, String(saved.weights[key])])) as WeightTexts,
  );
  const [errors, setErrors] = useState<WeightErrors>({});

  const message = (code: string) =>
    code === 'out_of_range' ? t('autofill.fieldError.weight', { min: WEIGHT_MIN, max: WEIGHT_MAX }) : i18n.fieldErrorMessage(code);

  const focusFirstError = () =>
    window.setTimeout(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(), 0);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: WeightErrors = {};
    const weights = {} as FillWeights;
    for (const key of WEIGHT_KEYS) {
      const parsed = weightOf(texts[key]);
      if ('error' in parsed) found[key] = message(parsed.error);
      else weights[key] = parsed.value;
    }
    setErrors(found);
    setBorrowingError(undefined);
    if (Object.keys(found).length > 0) {
      focusFirstError();
      return;
    }
    save.mutate(
      { locationId, settings: { allowBorrowing, weights } },
      {
        onSuccess: () => {
          toast.success(t('autofill.settings.saved'));
          onDone();
        },
        onError: (error) => {
          if (!isApiError(error)) return;
          const fromServer: WeightErrors = {};
          for (const [field, code] of Object.entries(error.fields)) {
            const key = weightOfField(field);
            if (key) fromServer[key] = message(code);
            else if (field === 'allowBorrowing') setBorrowingError(code);
          }
          setErrors(fromServer);
          if (Object.keys(fromServer).length > 0) focusFirstError();
        },
      },
    );
  };

  // Field codes the form has no field for still show, in words.
  const unmatched = isApiError(save.error)
    ? Object.entries(save.error.fields)
        .filter(([field]) => !weightOfField(field) && field !== 'allowBorrowing')
        .map(([, code]) => code)
    : [];
  const fieldsOnly = isApiError(save.error) && Object.keys(save.error.fields).length > 0 && unmatched.length === 0;

  return (
    <form ref={formRef} className="autofill-settings__form" onSubmit={submit} noValidate data-testid="autofill-settings">
      <div className="autofill-settings__borrowing">
        <CheckboxField
          label={t('autofill.settings.allowBorrowing')}
          checked={allowBorrowing}
          onCheckedChange={setAllowBorrowing}
          name="allowBorrowing"
          error={borrowingError}
        />
        <p className="field__hint">{t('autofill.settings.allowBorrowingHint')}</p>
      </div>
      <fieldset className="fieldset autofill-settings__weights">
        <legend className="field__label">{t('autofill.settings.weights', { min: WEIGHT_MIN, max: WEIGHT_MAX })}</legend>
        <div className="autofill-settings__grid">
          {WEIGHT_KEYS.map((key) => (
            <Field key={key} label={t(`autofill.weight.${key}`)} hint={t(`autofill.weightHint.${key}`)} error={errors[key]}>
              {(props) => (
                <input
                  {...props}
                  className="input autofill-settings__number"
                  type="number"
                  inputMode="numeric"
                  min={WEIGHT_MIN}
                  max={WEIGHT_MAX}
                  step={1}
                  name={`weight-${key}`}
                  value={texts[key]}
                  onChange={(e) => {
                    const value = e.target.value;
                    setTexts((prev) => ({ ...prev, [key]: value }));
                    setErrors((prev) => {
                      if (!(key in prev)) return prev;
                      const next = { ...prev };
                      delete next[key];
                      return next;
                    });
                  }}
                />
              )}
            </Field>
          ))}
        </div>
      </fieldset>
      {save.isError && !fieldsOnly ? <FormError error={save.error} unmatched={unmatched} /> : null}
      <div className="button-row autofill-settings__actions">
        <Button variant="secondary" onClick={onDone} disabled={save.isPending}>
          {t('autofill.settings.back')}
        </Button>
        <Button type="submit" busy={save.isPending} busyLabel={t('common.saving')} data-testid="autofill-settings-save">
          {t('autofill.settings.save')}
        </Button>
      </div>
    </form>
  );
}
