// "Positions & competencies" of a location: list, add, rename, archive and restore; a position's minimum
// competency levels. Everyone with crew.view reads it; crew.manage edits.
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { isApiError } from '../../api/client';
import {
  useCompetencies,
  useCreateCompetency,
  useCreatePosition,
  usePositions,
  useUpdateCompetency,
  useUpdatePosition,
} from '../../api/crew';
import type { Competency, Position, Requirement } from '../../api/schedulingTypes';
import { Alert, Button, LoadError, Loading } from '../../components/feedback';
import { Modal } from '../../components/Modal';
import { useToast } from '../../components/toast';
import { useI18n } from '../../i18n/I18nProvider';
import { crewErrorMessage, crewFieldMessage } from './crewText';
import { RequirementsEditor } from './RequirementsEditor';
import { Field } from './ui';

export const CATALOG_NAME_MAX = 60;

type Kind = 'position' | 'competency';

function checkName(value: string): string | null {
  const v = value.trim();
  if (v === '') return 'required';
  return [...v].length > CATALOG_NAME_MAX ? 'too_long' : null;
}

export function CatalogPanel({ locationId, canManage }: { locationId: string; canManage: boolean }) {
  const positions = usePositions(locationId);
  const competencies = useCompetencies(locationId);
  return (
    <div className="catalog">
      <PositionsCard
        locationId={locationId}
        canManage={canManage}
        query={positions}
        competencies={competencies.data ?? []}
      />
      <CompetenciesCard locationId={locationId} canManage={canManage} query={competencies} />
    </div>
  );
}

function PositionsCard({
  locationId,
  canManage,
  query,
  competencies,
}: {
  locationId: string;
  canManage: boolean;
  query: ReturnType<typeof usePositions>;
  competencies: Competency[];
}) {
  const { t } = useI18n();
  const create = useCreatePosition();
  const [levelsOf, setLevelsOf] = useState<Position | null>(null);
  const name = (id: string) => competencies.find((c) => c.id === id)?.name ?? '…';
  return (
    <section className="card catalog__card" aria-labelledby="positions-title">
      <div className="card__head">
        <h2 id="positions-title">{t('crew.positions.title')}</h2>
      </div>
      <p className="muted small">{t('crew.positions.intro')}</p>
      {query.isPending ? (
        <Loading />
      ) : query.isError ? (
        <LoadError error={query.error} onRetry={() => void query.refetch()} />
      ) : query.data.length === 0 ? (
        <p className="muted">{t('crew.positions.empty')}</p>
      ) : (
        <ul className="catalog__list">
          {query.data.map((p) => (
            <CatalogItem
              key={p.id}
              kind="position"
              item={p}
              canManage={canManage}
              detail={
                p.requirements.length > 0
                  ? t('crew.positions.needs', {
                      list: p.requirements
                        .map((r) => t('crew.requirements.short', { name: name(r.competencyId), level: r.minLevel }))
                        .join(', '),
                    })
                  : null
              }
              extra={
                canManage && !p.archived ? (
                  <Button variant="secondary" size="small" onClick={() => setLevelsOf(p)}>
                    {t('crew.positions.levels')}
                  </Button>
                ) : null
              }
            />
          ))}
        </ul>
      )}
      {canManage ? (
        <AddForm
          kind="position"
          busy={create.isPending}
          onAdd={(value) => create.mutateAsync({ locationId, body: { name: value } })}
        />
      ) : null}
      {levelsOf ? (
        <LevelsDialog position={levelsOf} competencies={competencies} onClose={() => setLevelsOf(null)} />
      ) : null}
    </section>
  );
}

function CompetenciesCard({
  locationId,
  canManage,
  query,
}: {
  locationId: string;
  canManage: boolean;
  query: ReturnType<typeof useCompetencies>;
}) {
  const { t } = useI18n();
  const create = useCreateCompetency();
  return (
    <section className="card catalog__card" aria-labelledby="competencies-title">
      <div className="card__head">
        <h2 id="competencies-title">{t('crew.competencies.title')}</h2>
      </div>
      <p className="muted small">{t('crew.competencies.intro')}</p>
      {query.isPending ? (
        <Loading />
      ) : query.isError ? (
        <LoadError error={query.error} onRetry={() => void query.refetch()} />
      ) : query.data.length === 0 ? (
        <p className="muted">{t('crew.competencies.empty')}</p>
      ) : (
        <ul className="catalog__list">
          {[...query.data]
            .sort((a, b) => Number(a.archived) - Number(b.archived))
            .map((c) => (
              <CatalogItem key={c.id} kind="competency" item={c} canManage={canManage} detail={null} extra={null} />
            ))}
        </ul>
      )}
      {canManage ? (
        <AddForm
          kind="competency"
          busy={create.isPending}
          onAdd={(value) => create.mutateAsync({ locationId, body: { name: value } })}
        />
      ) : null}
    </section>
  );
}

/** The field error of a failed save (`name`), or the banner text. */
function useSaveError() {
  const i18n = useI18n();
  return (error: unknown): { field: string | null; banner: string | null } => {
    if (isApiError(error) && error.fields.name) {
      return { field: crewFieldMessage(i18n, error.fields.name, 'name'), banner: null };
    }
    return { field: null, banner: error ? crewErrorMessage(i18n, error) : null };
  };
}

function AddForm({
  kind,
  busy,
  onAdd,
}: {
  kind: Kind;
  busy: boolean;
  onAdd: (name: string) => Promise<unknown>;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const toast = useToast();
  const saveError = useSaveError();
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [banner, setBanner] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problem = checkName(value);
    if (problem) {
      setError(crewFieldMessage(i18n, problem, 'name'));
      return;
    }
    setError(null);
    setBanner(null);
    try {
      await onAdd(value.trim());
      toast.success(t(kind === 'position' ? 'crew.positions.added' : 'crew.competencies.added', { name: value.trim() }));
      setValue('');
    } catch (e) {
      const { field, banner: text } = saveError(e);
      setError(field);
      setBanner(text);
    }
  };
  return (
    <form className="catalog__add" onSubmit={(e) => void submit(e)} noValidate>
      {banner ? <Alert kind="error">{banner}</Alert> : null}
      <div className="inline-form">
        <Field label={t(kind === 'position' ? 'crew.positions.new' : 'crew.competencies.new')} error={error ?? undefined}>
          {(props) => (
            <input
              {...props}
              className="input"
              value={value}
              maxLength={CATALOG_NAME_MAX + 10}
              autoComplete="off"
              placeholder={t(kind === 'position' ? 'crew.positions.placeholder' : 'crew.competencies.placeholder')}
              onChange={(e) => {
                setValue(e.target.value);
                setError(null);
              }}
            />
          )}
        </Field>
        <Button type="submit" busy={busy} busyLabel={t('crew.adding')}>
          {t(kind === 'position' ? 'crew.positions.add' : 'crew.competencies.add')}
        </Button>
      </div>
    </form>
  );
}

function CatalogItem({
  kind,
  item,
  canManage,
  detail,
  extra,
}: {
  kind: Kind;
  item: Position | Competency;
  canManage: boolean;
  detail: string | null;
  extra: ReactNode;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const toast = useToast();
  const nameId = useId();
  const updatePosition = useUpdatePosition();
  const updateCompetency = useUpdateCompetency();
  const saveError = useSaveError();
  const update = kind === 'position' ? updatePosition : updateCompetency;
  const [renaming, setRenaming] = useState(false);
  const [value, setValue] = useState(item.name);
  const [error, setError] = useState<string | null>(null);
  const [banner, setBanner] = useState<string | null>(null);

  const patch = (body: { name?: string; archived?: boolean }) =>
    kind === 'position'
      ? updatePosition.mutateAsync({ id: item.id, body })
      : updateCompetency.mutateAsync({ id: item.id, body });

  const rename = async (event: FormEvent) => {
    event.preventDefault();
    const problem = checkName(value);
    if (problem) {
      setError(crewFieldMessage(i18n, problem, 'name'));
      return;
    }
    setBanner(null);
    try {
      await patch({ name: value.trim() });
      toast.success(t('crew.catalog.renamed', { name: value.trim() }));
      setRenaming(false);
    } catch (e) {
      const { field, banner: text } = saveError(e);
      setError(field);
      setBanner(text);
    }
  };

  const toggleArchive = async () => {
    setBanner(null);
    try {
      await patch({ archived: !item.archived });
      toast.success(t(item.archived ? 'crew.catalog.restored' : 'crew.catalog.archivedDone', { name: item.name }));
    } catch (e) {
      setBanner(crewErrorMessage(i18n, e));
    }
  };

  return (
    <li className={item.archived ? 'catalog__item is-archived' : 'catalog__item'} data-id={item.id}>
      {banner ? <Alert kind="error">{banner}</Alert> : null}
      {renaming ? (
        <form className="inline-form" onSubmit={(e) => void rename(e)} noValidate>
          <Field label={t('crew.catalog.newName', { name: item.name })} error={error ?? undefined}>
            {(props) => (
              <input
                {...props}
                className="input"
                value={value}
                autoComplete="off"
                data-autofocus
                autoFocus
                onChange={(e) => {
                  setValue(e.target.value);
                  setError(null);
                }}
              />
            )}
          </Field>
          <div className="button-row">
            <Button type="submit" busy={update.isPending} busyLabel={t('common.saving')}>
              {t('common.save')}
            </Button>
            <Button
              variant="secondary"
              onClick={() => {
                setRenaming(false);
                setValue(item.name);
                setError(null);
              }}
            >
              {t('common.cancel')}
            </Button>
          </div>
        </form>
      ) : (
        <div className="catalog__row">
          <div className="catalog__name">
            <strong id={nameId}>{item.name}</strong>
            {item.archived ? <span className="badge badge--muted">{t('crew.archived')}</span> : null}
            {detail ? <div className="muted small">{detail}</div> : null}
          </div>
          {canManage ? (
            <div className="button-row catalog__actions">
              {extra}
              {!item.archived ? (
                <Button
                  variant="secondary"
                  size="small"
                  aria-describedby={nameId}
                  onClick={() => {
                    setValue(item.name);
                    setRenaming(true);
                  }}
                >
                  {t('crew.catalog.rename')}
                </Button>
              ) : null}
              <Button
                variant="ghost"
                size="small"
                aria-describedby={nameId}
                busy={update.isPending && !renaming}
                onClick={() => void toggleArchive()}
              >
                {item.archived ? t('crew.catalog.restore') : t('crew.catalog.archive')}
              </Button>
            </div>
          ) : null}
        </div>
      )}
    </li>
  );
}

function LevelsDialog({
  position,
  competencies,
  onClose,
}: {
  position: Position;
  competencies: Competency[];
  onClose: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const toast = useToast();
  const update = useUpdatePosition();
  const [value, setValue] = useState<Requirement[]>(position.requirements);
  const fieldError = isApiError(update.error) ? update.error.fields.requirements : undefined;
  const save = async () => {
    try {
      await update.mutateAsync({ id: position.id, body: { requirements: value } });
      toast.success(t('crew.positions.levelsSaved', { name: position.name }));
      onClose();
    } catch {
      /* shown below */
    }
  };
  return (
    <Modal
      title={t('crew.positions.levelsTitle', { name: position.name })}
      onClose={update.isPending ? () => undefined : onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={update.isPending}>
            {t('common.cancel')}
          </Button>
          <Button onClick={() => void save()} busy={update.isPending} busyLabel={t('common.saving')}>
            {t('common.save')}
          </Button>
        </>
      }
    >
      <div className="crew-ui form">
        <p className="muted">{t('crew.positions.levelsIntro')}</p>
        {update.error && !fieldError ? <Alert kind="error">{crewErrorMessage(i18n, update.error)}</Alert> : null}
        <RequirementsEditor
          legend={t('crew.positions.levelsLegend')}
          value={value}
          onChange={setValue}
          competencies={competencies}
          error={fieldError ? crewFieldMessage(i18n, fieldError, 'requirements') : undefined}
        />
      </div>
    </Modal>
  );
}
