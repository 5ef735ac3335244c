// /staff/locations — locations with their application link and QR poster. Administrators (`locations.manage`)
// add, edit and archive any location; managers (`locations.edit`) edit their own but cannot archive.
import { useId, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useCreateLocationDetail, useLocationDetail, useLocationDetails, useUpdateLocation } from '../../api/hiring';
import type { LocationDetail, UpdateLocationRequest } from '../../api/hiringTypes';
import { hasPermission } from '../../api/permissions';
import { useMe } from '../../api/queries';
import { Button, FormError, LoadError, Loading } from '../../components/feedback';
import { CheckboxField, SelectField, TextField } from '../../components/fields';
import { useTitle } from '../../components/Layout';
import { Modal } from '../../components/Modal';
import { useToast } from '../../components/toast';
import { useForm, type FormApi } from '../../forms/useForm';
import { useI18n } from '../../i18n/I18nProvider';
import {
  checkEmail,
  checkOptionalPhone,
  checkOptionalText,
  collect,
  LOCATION_NAME_MAX_CHARS,
  type FieldCode,
} from '../../validation/rules';
import { DEFAULT_TIMEZONE, timeZones } from '../admin/LocationsPanel';
import { applicationLink, boardPath, posterPath } from './paths';

export const ADDRESS_MAX_CHARS = 300;

type ListedLocation = LocationDetail;

interface LocationValues extends Record<string, string | boolean> {
  name: string;
  timezone: string;
  address: string;
  contactEmail: string;
  contactPhone: string;
  archived: boolean;
}

function checkName(value: string): FieldCode | null {
  const v = value.trim();
  if (v === '') return 'required';
  return v.length > LOCATION_NAME_MAX_CHARS ? 'too_long' : null;
}

function validateLocation(v: LocationValues) {
  return collect({
    name: checkName(v.name),
    timezone: v.timezone ? null : 'required',
    address: checkOptionalText(v.address, ADDRESS_MAX_CHARS),
    contactEmail: v.contactEmail.trim() === '' ? null : checkEmail(v.contactEmail),
    contactPhone: checkOptionalPhone(v.contactPhone),
  });
}

const orNull = (value: string) => (value.trim() === '' ? null : value.trim());

export function LocationsPage() {
  const { t } = useI18n();
  useTitle(t('locations.title'));
  const me = useMe().data;
  const locations = useLocationDetails();
  const [editing, setEditing] = useState<ListedLocation | null>(null);
  const isAdmin = hasPermission(me, 'locations.manage');
  if (!me) return null;
  const list = locations.data ?? [];

  return (
    <div className="page">
      <header className="page__header">
        <h1>{t('locations.title')}</h1>
        <p className="muted">{isAdmin ? t('locations.introAdmin') : t('locations.introManager')}</p>
      </header>
      <section className="card" aria-labelledby="location-list-title">
        <h2 id="location-list-title" className="visually-hidden">
          {t('locations.title')}
        </h2>
        {locations.isPending ? (
          <Loading />
        ) : locations.isError ? (
          <LoadError error={locations.error} onRetry={() => void locations.refetch()} />
        ) : list.length === 0 ? (
          <p className="empty-state__lead">{t('locations.empty')}</p>
        ) : (
          <ul className="location-list">
            {list.map((loc) => (
              <LocationItem key={loc.id} location={loc} onEdit={() => setEditing(loc)} />
            ))}
          </ul>
        )}
      </section>
      {isAdmin ? <AddLocationForm /> : null}
      {editing ? <EditLocationModal listed={editing} canArchive={isAdmin} onClose={() => setEditing(null)} /> : null}
    </div>
  );
}

function LocationItem({ location, onEdit }: { location: ListedLocation; onEdit: () => void }) {
  const { t } = useI18n();
  const nameId = useId();
  const link = applicationLink(location);
  return (
    <li className="location-list__item location-card" data-location={location.id}>
      <div>
        <strong id={nameId}>{location.name}</strong>
        {!location.active ? <span className="badge badge--muted">{t('locations.archived')}</span> : null}
        <div className="muted small">{location.timezone.replace(/_/g, ' ')}</div>
        {location.address ? <div className="small break">{location.address}</div> : null}
        {location.contactEmail || location.contactPhone ? (
          <div className="small break">
            {[location.contactEmail, location.contactPhone].filter(Boolean).join(' · ')}
          </div>
        ) : null}
      </div>
      <div className="location-card__side">
        <dl className="location-list__meta">
          <dt>{t('locations.code')}</dt>
          <dd>
            <code>{location.applicationCode}</code>
          </dd>
          <dt>{t('locations.link')}</dt>
          <dd className="break">
            <a href={link}>{link}</a>
          </dd>
        </dl>
        <div className="button-row location-card__actions">
          <Button variant="secondary" size="small" onClick={onEdit} aria-describedby={nameId}>
            {t('locations.edit')}
          </Button>
          <Link className="button button--secondary button--small" to={posterPath(location.id)} aria-describedby={nameId}>
            {t('locations.poster')}
          </Link>
          <Link className="button button--ghost button--small" to={boardPath(location.id)} aria-describedby={nameId}>
            {t('locations.board')}
          </Link>
        </div>
      </div>
    </li>
  );
}

function LocationFields({ form, canArchive }: { form: FormApi<LocationValues>; canArchive: boolean }) {
  const { t } = useI18n();
  const zones = useMemo(timeZones, []);
  const text = (name: 'name' | 'address' | 'contactEmail' | 'contactPhone') => ({
    name,
    value: form.values[name],
    onValueChange: (value: string) => form.setValue(name, value),
    onBlur: () => form.touch(name),
    error: form.errors[name],
    autoComplete: 'off',
  });
  const zoneOptions = zones.includes(form.values.timezone) ? zones : [form.values.timezone, ...zones];
  return (
    <>
      <div className="form__row form__row--start">
        <TextField label={t('field.locationName')} {...text('name')} />
        <SelectField
          label={t('field.timezone')}
          name="timezone"
          value={form.values.timezone}
          onValueChange={(value) => form.setValue('timezone', value)}
          options={zoneOptions.map((z) => ({ value: z, label: z.replace(/_/g, ' ') }))}
          error={form.errors.timezone}
        />
      </div>
      <TextField label={t('field.address')} optional {...text('address')} />
      <div className="form__row form__row--start">
        <TextField label={t('field.contactEmail')} type="email" inputMode="email" optional {...text('contactEmail')} />
        <TextField label={t('field.contactPhone')} type="tel" inputMode="tel" optional {...text('contactPhone')} />
      </div>
      {canArchive ? (
        <CheckboxField
          label={t('field.archived')}
          name="archived"
          checked={form.values.archived}
          onCheckedChange={(value) => form.setValue('archived', value)}
        />
      ) : null}
    </>
  );
}

function AddLocationForm() {
  const { t } = useI18n();
  const toast = useToast();
  const create = useCreateLocationDetail();
  const form = useForm<LocationValues>({
    initial: { name: '', timezone: DEFAULT_TIMEZONE, address: '', contactEmail: '', contactPhone: '', archived: false },
    validate: validateLocation,
  });
  const onSubmit = form.handleSubmit(async (v) => {
    const location = await create.mutateAsync({
      name: v.name.trim(),
      timezone: v.timezone,
      address: orNull(v.address),
      contactEmail: orNull(v.contactEmail),
      contactPhone: orNull(v.contactPhone),
    });
    form.reset();
    toast.success(t('locations.added', { name: location.name }));
  });
  return (
    <section className="card" aria-labelledby="new-location-title">
      <h2 id="new-location-title">{t('locations.add')}</h2>
      <form className="form" onSubmit={onSubmit} noValidate aria-labelledby="new-location-title">
        <FormError error={form.formError} unmatched={form.unmatchedFieldCodes} />
        <LocationFields form={form} canArchive={false} />
        <div>
          <Button type="submit" busy={form.busy} busyLabel={t('locations.adding')}>
            {t('locations.add')}
          </Button>
        </div>
      </form>
    </section>
  );
}

function EditLocationModal({
  listed,
  canArchive,
  onClose,
}: {
  listed: ListedLocation;
  canArchive: boolean;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const detail = useLocationDetail(listed.id);
  return (
    <Modal title={t('locations.editTitle', { name: listed.name })} onClose={onClose}>
      {detail.isPending ? (
        <Loading />
      ) : detail.isError ? (
        <LoadError error={detail.error} onRetry={() => void detail.refetch()} />
      ) : (
        <EditLocationForm location={detail.data} canArchive={canArchive} onClose={onClose} />
      )}
    </Modal>
  );
}

function EditLocationForm({
  location,
  canArchive,
  onClose,
}: {
  location: LocationDetail;
  canArchive: boolean;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const update = useUpdateLocation();
  const form = useForm<LocationValues>({
    initial: {
      name: location.name,
      timezone: location.timezone,
      address: location.address ?? '',
      contactEmail: location.contactEmail ?? '',
      contactPhone: location.contactPhone ?? '',
      archived: !location.active,
    },
    validate: validateLocation,
    fieldAliases: { active: 'archived' },
  });
  const onSubmit = form.handleSubmit(async (v) => {
    const body: UpdateLocationRequest = {
      name: v.name.trim(),
      timezone: v.timezone,
      address: orNull(v.address),
      contactEmail: orNull(v.contactEmail),
      contactPhone: orNull(v.contactPhone),
      // Archiving is the administrators' (a manager sending `active` would get 403).
      ...(canArchive && v.archived === location.active ? { active: !v.archived } : {}),
    };
    const saved = await update.mutateAsync({ id: location.id, body });
    toast.success(t('locations.saved', { name: saved.name }));
    onClose();
  });
  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-label={t('locations.editTitle', { name: location.name })}>
      <FormError error={form.formError} unmatched={form.unmatchedFieldCodes} />
      <LocationFields form={form} canArchive={canArchive} />
      {canArchive ? <p className="field__hint">{t('locations.archiveHint')}</p> : null}
      <div className="button-row">
        <Button type="submit" busy={form.busy} busyLabel={t('common.saving')}>
          {t('locations.save')}
        </Button>
        <Button variant="secondary" onClick={onClose} disabled={form.busy}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}
