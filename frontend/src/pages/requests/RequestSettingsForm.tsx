// A location's settings for claims, offers and swaps: whether claims of open shifts need a manager's approval,
// whether offers and swaps do, and how many hours before a shift requests about it close. Managers
// (schedule.manage) change them; others who see the inbox read them.
//
// Embed it in the inbox page: <RequestSettingsForm locationId={location.id} />.
//
// Stable selectors: [data-testid="request-settings"] (the form, or the read-only summary), the check boxes
// input[name="claimsNeedApproval"] and input[name="swapsNeedApproval"], [data-testid="settings-cutoff"] (hours),
// [data-testid="settings-save"].
import { useId, useState, type FormEvent } from 'react';
import { isApiError } from '../../api/client';
import { hasPermission } from '../../api/permissions';
import { useMe } from '../../api/queries';
import { useRequestSettings, useSaveRequestSettings } from '../../api/shiftRequests';
import { CUTOFF_MINUTES_MAX, type RequestSettings } from '../../api/shiftRequestTypes';
import { Button, FormError, LoadError, Loading } from '../../components/feedback';
import { CheckboxField, TextField } from '../../components/fields';
import { useToast } from '../../components/toast';
import { useRequestText } from '../selfservice/requestText';
import '../../styles/requests.css';

/** Hours as typed ("12", "1.5", "1,5") to whole minutes, or null when it is not a number in range. */
export function cutoffMinutesOf(hours: string): number | null {
  const text = hours.trim().replace(',', '.');
  if (!/^\d+(\.\d+)?$/.test(text)) return null;
  const minutes = Math.round(Number(text) * 60);
  return minutes >= 0 && minutes <= CUTOFF_MINUTES_MAX ? minutes : null;
}

/** Minutes as hours in the locale, at most two decimals ("12", "1,5"). */
function hoursText(locale: string, minutes: number): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2, useGrouping: false }).format(minutes / 60);
}

export function RequestSettingsForm({ locationId }: { locationId: string }) {
  const { rt } = useRequestText();
  const me = useMe().data;
  const canEdit = hasPermission(me, 'schedule.manage');
  const settings = useRequestSettings(locationId);
  const headingId = useId();

  return (
    <section className="section card req-settings" aria-labelledby={headingId}>
      <h2 id={headingId}>{rt('requestSettings.title')}</h2>
      {settings.isPending ? (
        <Loading />
      ) : settings.isError ? (
        <LoadError error={settings.error} onRetry={() => void settings.refetch()} />
      ) : canEdit ? (
        // Another location starts the form over; after saving, the form already shows what was saved.
        <SettingsForm key={locationId} locationId={locationId} saved={settings.data} />
      ) : (
        <SettingsSummary settings={settings.data} />
      )}
    </section>
  );
}

function SettingsSummary({ settings }: { settings: RequestSettings }) {
  const { rt, locale } = useRequestText();
  return (
    <dl className="req-settings__summary" data-testid="request-settings">
      <dt>{rt('requestSettings.claims')}</dt>
      <dd>{settings.claimsNeedApproval ? rt('requestSettings.yes') : rt('requestSettings.no')}</dd>
      <dt>{rt('requestSettings.swaps')}</dt>
      <dd>{settings.swapsNeedApproval ? rt('requestSettings.yes') : rt('requestSettings.no')}</dd>
      <dt>{rt('requestSettings.cutoff')}</dt>
      <dd>{rt('requestSettings.cutoffValue', { hours: hoursText(locale, settings.cutoffMinutes) })}</dd>
    </dl>
  );
}

function SettingsForm({ locationId, saved }: { locationId: string; saved: RequestSettings }) {
  const { rt, locale } = useRequestText();
  const toast = useToast();
  const save = useSaveRequestSettings();
  const [claims, setClaims] = useState(saved.claimsNeedApproval);
  const [swaps, setSwaps] = useState(saved.swapsNeedApproval);
  const [hours, setHours] = useState(hoursText(locale, saved.cutoffMinutes));
  const [cutoffError, setCutoffError] = useState<string | undefined>();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const minutes = cutoffMinutesOf(hours);
    if (minutes === null) {
      setCutoffError(hours.trim() === '' ? 'required' : 'out_of_range');
      return;
    }
    setCutoffError(undefined);
    save.mutate(
      { locationId, settings: { claimsNeedApproval: claims, swapsNeedApproval: swaps, cutoffMinutes: minutes } },
      {
        onSuccess: () => toast.success(rt('requestSettings.saved')),
        onError: (error) => {
          if (isApiError(error) && error.fields.cutoffMinutes) setCutoffError(error.fields.cutoffMinutes);
        },
      },
    );
  };

  // Field codes the form has no field for (none are expected) still show, in words.
  const unmatched = isApiError(save.error)
    ? Object.entries(save.error.fields)
        .filter(([field]) => field !== 'cutoffMinutes')
        .map(([, code]) => code)
    : [];

  return (
    <form className="self-form req-settings__form" onSubmit={submit} noValidate data-testid="request-settings">
      <CheckboxField label={rt('requestSettings.claims')} checked={claims} onCheckedChange={setClaims} name="claimsNeedApproval" />
      <CheckboxField label={rt('requestSettings.swaps')} checked={swaps} onCheckedChange={setSwaps} name="swapsNeedApproval" />
      <TextField
        label={rt('requestSettings.cutoff')}
        hint={rt('requestSettings.cutoffHint', { max: CUTOFF_MINUTES_MAX / 60 })}
        value={hours}
        onValueChange={(value) => {
          setHours(value);
          setCutoffError(undefined);
        }}
        error={cutoffError}
        inputMode="decimal"
        name="cutoffHours"
        className="input req-settings__hours"
        data-testid="settings-cutoff"
      />
      {save.isError && !cutoffError ? <FormError error={save.error} unmatched={unmatched} /> : null}
      <div className="button-row">
        <Button type="submit" busy={save.isPending} busyLabel={rt('requestSettings.saving')} data-testid="settings-save">
          {rt('requestSettings.save')}
        </Button>
      </div>
    </form>
  );
}
