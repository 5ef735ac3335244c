// "Add crew from another venue": the crew of the caller's other venues who are not here yet, then the
// positions, contracted hours and start date at this venue.
import { useMemo, useState, type FormEvent } from 'react';
import { isApiError } from '../../api/client';
import { useAddCrew, useCandidates } from '../../api/crew';
import type { CrewMember, Position } from '../../api/schedulingTypes';
import type { Location } from '../../api/types';
import { Alert, Button, LoadError, Loading } from '../../components/feedback';
import { Modal } from '../../components/Modal';
import { useToast } from '../../components/toast';
import { useI18n } from '../../i18n/I18nProvider';
import { crewErrorMessage, crewFieldMessage } from './crewText';
import { checkHours, parseHours, positionOptions } from './MembershipDialog';
import { CheckList, Field } from './ui';

export function AddCrewDialog({
  location,
  locations,
  positions,
  onClose,
}: {
  location: Location;
  /** The caller's locations, to name where a candidate works now. */
  locations: Location[];
  positions: Position[];
  onClose: () => void;
}) {
  const { t } = useI18n();
  const candidates = useCandidates(location.id);
  const [chosen, setChosen] = useState<CrewMember | null>(null);
  const [filter, setFilter] = useState('');
  const add = useAddCrew();
  const list = useMemo(() => {
    const q = filter.trim().toLowerCase();
    return (candidates.data ?? []).filter((c) => !q || c.person.name.toLowerCase().includes(q));
  }, [candidates.data, filter]);
  const venue = (id: string) => locations.find((l) => l.id === id)?.name ?? '';

  return (
    <Modal
      title={chosen ? t('crew.add.titleFor', { name: chosen.person.name, location: location.name }) : t('crew.add.title', { location: location.name })}
      onClose={add.isPending ? () => undefined : onClose}
    >
      <div className="crew-ui">
        {chosen ? (
          <AddForm
            location={location}
            candidate={chosen}
            positions={positions}
            add={add}
            onBack={() => {
              add.reset();
              setChosen(null);
            }}
            onDone={onClose}
          />
        ) : candidates.isPending ? (
          <Loading />
        ) : candidates.isError ? (
          <LoadError error={candidates.error} onRetry={() => void candidates.refetch()} />
        ) : candidates.data.length === 0 ? (
          <p className="muted">{t('crew.add.none')}</p>
        ) : (
          <div className="form">
            <p className="muted">{t('crew.add.intro')}</p>
            {candidates.data.length > 6 ? (
              <Field label={t('crew.add.search')}>
                {(props) => (
                  <input
                    {...props}
                    className="input"
                    type="search"
                    autoComplete="off"
                    value={filter}
                    onChange={(e) => setFilter(e.target.value)}
                  />
                )}
              </Field>
            ) : null}
            <ul className="candidate-list" aria-label={t('crew.add.listLabel')}>
              {list.map((c) => (
                <li key={c.person.id} className="candidate-list__item">
                  <div>
                    <strong>{c.person.name}</strong>
                    <div className="muted small">
                      {[t(`role.${c.person.role}`), venue(c.locationId) ? t('crew.add.worksAt', { location: venue(c.locationId) }) : '']
                        .filter(Boolean)
                        .join(' · ')}
                    </div>
                  </div>
                  <Button
                    variant="secondary"
                    onClick={() => setChosen(c)}
                    aria-label={t('crew.add.chooseName', { name: c.person.name })}
                  >
                    {t('crew.add.choose')}
                  </Button>
                </li>
              ))}
            </ul>
            {list.length === 0 ? <p className="muted">{t('crew.add.noMatch')}</p> : null}
          </div>
        )}
      </div>
    </Modal>
  );
}

function AddForm({
  location,
  candidate,
  positions,
  add,
  onBack,
  onDone,
}: {
  location: Location;
  candidate: CrewMember;
  positions: Position[];
  add: ReturnType<typeof useAddCrew>;
  onBack: () => void;
  onDone: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const toast = useToast();
  const [positionIds, setPositionIds] = useState<string[]>([]);
  const [hours, setHours] = useState('');
  const [startDate, setStartDate] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problem = checkHours(hours);
    if (problem) {
      setErrors({ contractedHours: crewFieldMessage(i18n, problem, 'contractedHours') });
      return;
    }
    setErrors({});
    const parsed = parseHours(hours);
    try {
      await add.mutateAsync({
        locationId: location.id,
        body: {
          userId: candidate.person.id,
          positionIds,
          contractedHours: parsed,
          startDate: startDate || null,
        },
      });
      toast.success(t('crew.add.done', { name: candidate.person.name, location: location.name }));
      onDone();
    } catch (e) {
      if (isApiError(e)) {
        const mapped: Record<string, string> = {};
        for (const [field, code] of Object.entries(e.fields)) mapped[field] = crewFieldMessage(i18n, code, field);
        setErrors(mapped);
      }
    }
  };

  // `userId` has its own alert above the form: no generic banner on top of it.
  const fieldsShown = ['userId', 'positionIds', 'contractedHours', 'startDate'];
  const banner =
    add.error && !(isApiError(add.error) && Object.keys(add.error.fields).some((f) => fieldsShown.includes(f)))
      ? crewErrorMessage(i18n, add.error)
      : null;

  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate>
      {banner ? <Alert kind="error">{banner}</Alert> : null}
      {errors.userId ? <Alert kind="error">{errors.userId}</Alert> : null}
      <CheckList
        legend={t('crew.col.positions')}
        options={positionOptions(positions, [])}
        selected={positionIds}
        onChange={setPositionIds}
        error={errors.positionIds}
        empty={t('crew.positions.noneYet')}
      />
      <div className="form__row form__row--start">
        <Field label={t('field.contractedHours')} optional hint={t('crew.membership.hoursHint')} error={errors.contractedHours}>
          {(props) => (
            <input
              {...props}
              className="input"
              inputMode="decimal"
              autoComplete="off"
              value={hours}
              onChange={(e) => setHours(e.target.value)}
            />
          )}
        </Field>
        <Field label={t('field.startDate')} optional error={errors.startDate}>
          {(props) => (
            <input {...props} className="input" type="date" value={startDate} onChange={(e) => setStartDate(e.target.value)} />
          )}
        </Field>
      </div>
      <div className="button-row">
        <Button type="submit" busy={add.isPending} busyLabel={t('crew.adding')}>
          {t('crew.add.submit')}
        </Button>
        <Button variant="secondary" onClick={onBack} disabled={add.isPending}>
          {t('crew.add.back')}
        </Button>
      </div>
    </form>
  );
}
