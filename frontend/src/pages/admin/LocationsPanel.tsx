import { useMemo } from 'react';
import { useCreateLocation, useLocations } from '../../api/queries';
import { Button, FormError, LoadError, Loading } from '../../components/feedback';
import { SelectField, TextField } from '../../components/fields';
import { useToast } from '../../components/toast';
import { useForm } from '../../forms/useForm';
import { useI18n } from '../../i18n/I18nProvider';
import { LOCATION_NAME_MAX_CHARS, collect } from '../../validation/rules';
import { applicationLink } from '../hiring/paths';

export const DEFAULT_TIMEZONE = 'Europe/Amsterdam';

const FALLBACK_ZONES = [
  'Europe/Amsterdam',
  'Europe/Brussels',
  'Europe/Berlin',
  'Europe/London',
  'Europe/Paris',
  'Europe/Madrid',
  'Europe/Lisbon',
  'UTC',
];

export function timeZones(): string[] {
  const supported = (Intl as { supportedValuesOf?: (key: 'timeZone') => string[] }).supportedValuesOf;
  const zones = supported ? supported('timeZone') : FALLBACK_ZONES;
  return zones.includes(DEFAULT_TIMEZONE) ? zones : [DEFAULT_TIMEZONE, ...zones];
}

/** The locations list with each venue's application link, and (for administrators) a form to add one. */
export function LocationsPanel({ canCreate }: { canCreate: boolean }) {
  const { t } = useI18n();
  const toast = useToast();
  const locations = useLocations();
  const create = useCreateLocation();
  const zones = useMemo(timeZones, []);
  const form = useForm({
    initial: { name: '', timezone: DEFAULT_TIMEZONE },
    validate: (v) =>
      collect({
        name: v.name.trim() === '' ? 'required' : v.name.trim().length > LOCATION_NAME_MAX_CHARS ? 'too_long' : null,
        timezone: v.timezone ? null : 'required',
      }),
  });
  const onSubmit = form.handleSubmit(async (v) => {
    const location = await create.mutateAsync({ name: v.name.trim(), timezone: v.timezone });
    form.reset();
    toast.success(t('locations.added', { name: location.name }));
  });

  return (
    <section className="card" aria-labelledby="locations-title">
      <h2 id="locations-title">{t('locations.title')}</h2>
      <p className="muted">{t('locations.intro')}</p>
      {locations.isPending ? (
        <Loading />
      ) : locations.isError ? (
        <LoadError error={locations.error} onRetry={() => void locations.refetch()} />
      ) : locations.data.length === 0 ? (
        <p className="empty-state__lead">{t('locations.empty')}</p>
      ) : (
        <ul className="location-list">
          {locations.data.map((loc) => (
            <li key={loc.id} className="location-list__item">
              <div>
                <strong>{loc.name}</strong>
                {!loc.active ? <span className="badge badge--muted">{t('locations.archived')}</span> : null}
                <div className="muted small">{loc.timezone}</div>
              </div>
              <dl className="location-list__meta">
                <dt>{t('locations.code')}</dt>
                <dd>
                  <code>{loc.applicationCode}</code>
                </dd>
                <dt>{t('locations.link')}</dt>
                <dd className="break">
                  <a href={applicationLink(loc)}>{applicationLink(loc)}</a>
                </dd>
              </dl>
            </li>
          ))}
        </ul>
      )}
      {canCreate ? (
        <form className="form add-location" onSubmit={onSubmit} noValidate aria-labelledby="add-location-title">
          <h3 id="add-location-title">{t('locations.add')}</h3>
          <FormError error={form.formError} unmatched={form.unmatchedFieldCodes} />
          <div className="form__row form__row--end">
            <TextField
              label={t('field.locationName')}
              name="name"
              autoComplete="off"
              value={form.values.name}
              onValueChange={(v) => form.setValue('name', v)}
              onBlur={() => form.touch('name')}
              error={form.errors.name}
            />
            <SelectField
              label={t('field.timezone')}
              name="timezone"
              value={form.values.timezone}
              onValueChange={(v) => form.setValue('timezone', v)}
              options={zones.map((z) => ({ value: z, label: z.replace(/_/g, ' ') }))}
              error={form.errors.timezone}
            />
          </div>
          <Button type="submit" busy={form.busy} busyLabel={t('locations.adding')}>
            {t('locations.add')}
          </Button>
        </form>
      ) : null}
    </section>
  );
}
