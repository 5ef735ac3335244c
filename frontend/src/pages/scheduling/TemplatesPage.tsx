// /staff/templates?location=…&template=… — week templates of a location (schedule.manage): the list with
// create, rename and delete (after a confirmation), and the editor of one template.
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { isApiError } from '../../api/client';
import {
  useCompetencies,
  useCreateTemplate,
  useDeleteTemplate,
  usePositions,
  useSaveTemplate,
  useTemplate,
  useTemplates,
} from '../../api/crew';
import type { WeekTemplate } from '../../api/schedulingTypes';
import { Alert, Button, LoadError, Loading } from '../../components/feedback';
import { useTitle } from '../../components/Layout';
import { ConfirmDialog, Modal } from '../../components/Modal';
import { useToast } from '../../components/toast';
import { useI18n } from '../../i18n/I18nProvider';
import { crewErrorMessage, crewFieldMessage, formatHours, minutesToHours } from '../crew/crewText';
import { Field, LocationPicker, useChosenLocation } from '../crew/ui';
import { TemplateEditor } from './TemplateEditor';
import { fromTemplate, TEMPLATE_NAME_MAX, templateFigures, toRequest } from './templateModel';

export function TemplatesPage() {
  const { t } = useI18n();
  useTitle(t('templates.title'));
  const [params, setParams] = useSearchParams();
  const { locations, list, locationId, location, choose } = useChosenLocation();
  const templateId = params.get('template') ?? '';

  const open = (id: string | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (id) next.set('template', id);
        else next.delete('template');
        if (locationId) next.set('location', locationId);
        return next;
      },
      { replace: false },
    );

  return (
    <div className="page page--wide page--templates crew-ui">
      <header className="page__header page__header--actions">
        <div>
          <h1>{t('templates.title')}</h1>
          <p className="muted">{location ? t('templates.introAt', { location: location.name }) : t('templates.intro')}</p>
        </div>
        {!templateId ? <LocationPicker list={list} value={locationId} onChange={choose} /> : null}
      </header>
      {locations.isPending ? (
        <Loading />
      ) : locations.isError ? (
        <LoadError error={locations.error} onRetry={() => void locations.refetch()} />
      ) : !location ? (
        <p className="card">{t('crew.noLocations')}</p>
      ) : templateId ? (
        <EditorLoader key={templateId} id={templateId} locationId={location.id} onBack={() => open(null)} />
      ) : (
        <TemplateList key={location.id} locationId={location.id} onOpen={(id) => open(id)} />
      )}
    </div>
  );
}

function EditorLoader({ id, locationId, onBack }: { id: string; locationId: string; onBack: () => void }) {
  const { t } = useI18n();
  const template = useTemplate(id);
  // The template's own location names its positions (an address may carry another location).
  const owner = template.data?.locationId ?? locationId;
  const positions = usePositions(owner, !!template.data);
  const competencies = useCompetencies(owner, !!template.data);
  const notFound = isApiError(template.error) && template.error.status === 404;
  if (template.isPending || (template.data && (positions.isPending || competencies.isPending))) return <Loading />;
  if (notFound) {
    return (
      <Alert kind="error" title={t('notFound.title')}>
        <p>{t('templates.notFound')}</p>
        <Button variant="secondary" onClick={onBack}>
          {t('templates.back')}
        </Button>
      </Alert>
    );
  }
  if (template.isError) return <LoadError error={template.error} onRetry={() => void template.refetch()} />;
  if (positions.isError) return <LoadError error={positions.error} onRetry={() => void positions.refetch()} />;
  if (competencies.isError) return <LoadError error={competencies.error} onRetry={() => void competencies.refetch()} />;
  return (
    <TemplateEditor
      template={template.data}
      positions={positions.data ?? []}
      competencies={competencies.data ?? []}
      onBack={onBack}
    />
  );
}

function TemplateList({ locationId, onOpen }: { locationId: string; onOpen: (id: string) => void }) {
  const { t, tp, locale, formatDateTime } = useI18n();
  const templates = useTemplates(locationId);
  const positions = usePositions(locationId);
  const [creating, setCreating] = useState(false);
  const [renaming, setRenaming] = useState<WeekTemplate | null>(null);
  const [deleting, setDeleting] = useState<WeekTemplate | null>(null);
  const noPositions = positions.data !== undefined && positions.data.filter((p) => !p.archived).length === 0;

  return (
    <section className="card" aria-labelledby="template-list-title">
      <div className="card__head">
        <h2 id="template-list-title">{t('templates.list')}</h2>
        <Button onClick={() => setCreating(true)}>{t('templates.new')}</Button>
      </div>
      {noPositions ? (
        <Alert kind="info">
          <p>{t('templates.noPositions')}</p>
          <Link to={`/staff/crew?location=${encodeURIComponent(locationId)}&tab=catalog`}>{t('templates.toPositions')}</Link>
        </Alert>
      ) : null}
      {templates.isPending ? (
        <Loading />
      ) : templates.isError ? (
        <LoadError error={templates.error} onRetry={() => void templates.refetch()} />
      ) : templates.data.length === 0 ? (
        <p className="muted">{t('templates.empty')}</p>
      ) : (
        <ul className="template-list">
          {templates.data.map((template) => {
            const figures = templateFigures(template);
            return (
              <li key={template.id} className="template-list__item" data-template={template.id}>
                <div className="template-list__text">
                  <button type="button" className="link-button template-list__name" onClick={() => onOpen(template.id)}>
                    {template.name}
                  </button>
                  <div className="muted small">
                    {tp('templates.summary.shifts', figures.shifts)} ·{' '}
                    {t('templates.summary.hours', { hours: formatHours(locale, minutesToHours(figures.paidMinutes)) })} ·{' '}
                    {t('templates.updated', { time: formatDateTime(template.updatedAt) })}
                  </div>
                </div>
                <div className="button-row template-list__actions">
                  <Button variant="secondary" onClick={() => onOpen(template.id)} aria-label={t('templates.editName', { name: template.name })}>
                    {t('templates.edit')}
                  </Button>
                  <Button variant="secondary" onClick={() => setRenaming(template)} aria-label={t('templates.renameName', { name: template.name })}>
                    {t('templates.rename')}
                  </Button>
                  <Button variant="ghost" onClick={() => setDeleting(template)} aria-label={t('templates.deleteName', { name: template.name })}>
                    {t('templates.delete')}
                  </Button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {creating ? (
        <NameDialog
          mode="create"
          locationId={locationId}
          onClose={() => setCreating(false)}
          onDone={(saved) => {
            setCreating(false);
            onOpen(saved.id);
          }}
        />
      ) : null}
      {renaming ? (
        <NameDialog mode="rename" locationId={locationId} template={renaming} onClose={() => setRenaming(null)} onDone={() => setRenaming(null)} />
      ) : null}
      {deleting ? <DeleteDialog template={deleting} onClose={() => setDeleting(null)} /> : null}
    </section>
  );
}

function NameDialog({
  mode,
  locationId,
  template,
  onClose,
  onDone,
}: {
  mode: 'create' | 'rename';
  locationId: string;
  template?: WeekTemplate;
  onClose: () => void;
  onDone: (saved: WeekTemplate) => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const toast = useToast();
  const create = useCreateTemplate();
  const save = useSaveTemplate();
  const mutation = mode === 'create' ? create : save;
  const [name, setName] = useState(template?.name ?? '');
  const [error, setError] = useState<string | undefined>(undefined);
  const formId = `template-name-${mode}`;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const v = name.trim();
    const problem = v === '' ? 'required' : [...v].length > TEMPLATE_NAME_MAX ? 'too_long' : null;
    if (problem) {
      setError(crewFieldMessage(i18n, problem, 'name'));
      return;
    }
    setError(undefined);
    try {
      let saved: WeekTemplate;
      if (mode === 'create' || !template) {
        saved = await create.mutateAsync({ locationId, body: { name: v, shifts: [] } });
        toast.success(t('templates.created', { name: saved.name }));
      } else {
        // Renaming sends the template whole: saving replaces all its shifts.
        const { body } = toRequest(fromTemplate(template));
        saved = await save.mutateAsync({ id: template.id, body: { ...body, name: v } });
        toast.success(t('templates.renamed', { name: saved.name }));
      }
      onDone(saved);
    } catch (e) {
      if (isApiError(e) && e.fields.name) setError(crewFieldMessage(i18n, e.fields.name, 'name'));
    }
  };
  const banner =
    mutation.error && !(isApiError(mutation.error) && mutation.error.fields.name) ? crewErrorMessage(i18n, mutation.error) : null;

  return (
    <Modal
      title={mode === 'create' ? t('templates.createTitle') : t('templates.renameTitle', { name: template?.name ?? '' })}
      onClose={mutation.isPending ? () => undefined : onClose}
      size="small"
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={mutation.isPending}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" form={formId} busy={mutation.isPending} busyLabel={t('common.saving')}>
            {mode === 'create' ? t('templates.create') : t('templates.rename')}
          </Button>
        </>
      }
    >
      <form id={formId} className="form crew-ui" onSubmit={(e) => void submit(e)} noValidate>
        {banner ? <Alert kind="error">{banner}</Alert> : null}
        <Field label={t('templates.name')} error={error} hint={mode === 'create' ? t('templates.nameHint') : undefined}>
          {(props) => (
            <input
              {...props}
              className="input"
              autoComplete="off"
              data-autofocus
              value={name}
              onChange={(e) => {
                setName(e.target.value);
                setError(undefined);
              }}
            />
          )}
        </Field>
      </form>
    </Modal>
  );
}

function DeleteDialog({ template, onClose }: { template: WeekTemplate; onClose: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const toast = useToast();
  const remove = useDeleteTemplate();
  return (
    <ConfirmDialog
      title={t('templates.deleteTitle', { name: template.name })}
      message={
        <>
          {t('templates.deleteMessage')}
          {remove.error ? <span className="field__error"> {crewErrorMessage(i18n, remove.error)}</span> : null}
        </>
      }
      confirmLabel={t('templates.delete')}
      busy={remove.isPending}
      danger
      onCancel={onClose}
      onConfirm={() => {
        remove.mutate(template, {
          onSuccess: () => {
            toast.success(t('templates.deleted', { name: template.name }));
            onClose();
          },
        });
      }}
    />
  );
}
