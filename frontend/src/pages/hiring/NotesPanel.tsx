// Internal notes about a person (staff only; applicants and crew never see them). Each note shows its author
// and role, priority, workflow and who may read it; edit and delete follow the server's `canEdit`/`canDelete`.
// The add form sets priority, workflow and visible roles. Note bodies are HTML sanitized by the server.
import { useId, useState } from 'react';
import { isApiError } from '../../api/client';
import { useCreateNote, useDeleteNote, useNotes, useUpdateNote } from '../../api/hiring';
import {
  DEFAULT_NOTE_ROLES,
  NOTE_PRIORITIES,
  NOTE_ROLES,
  NOTE_WORKFLOWS,
  RICH_TEXT_MAX_CHARS,
  type Note,
  type NotePriority,
  type NoteWorkflow,
} from '../../api/hiringTypes';
import type { Role } from '../../api/types';
import { Alert, Button, LoadError, Loading } from '../../components/feedback';
import { CheckboxGroup, SelectField } from '../../components/fields';
import { ConfirmDialog } from '../../components/Modal';
import { isBlankHtml, RichTextEditor, SanitizedHtml } from '../../components/RichTextEditor';
import { useToast } from '../../components/toast';
import { useForm, type FormApi } from '../../forms/useForm';
import { useI18n } from '../../i18n/I18nProvider';
import { collect, type FieldCode } from '../../validation/rules';
import { priorityLabel, workflowLabel } from './hiringText';

function checkBody(html: string): FieldCode | null {
  if (isBlankHtml(html)) return 'required';
  return html.length > RICH_TEXT_MAX_CHARS ? 'too_long' : null;
}

/** A failed note action in words: 413 and "empty after sanitizing" get their own texts. */
function useNoteError() {
  const { t, locale, errorMessage } = useI18n();
  return (error: unknown) => {
    if (isApiError(error)) {
      if (error.code === 'too_large' || error.status === 413) {
        return t('notes.tooLarge', { max: new Intl.NumberFormat(locale).format(RICH_TEXT_MAX_CHARS) });
      }
      if (error.status === 422 && error.fields.html) return t('notes.empty');
    }
    return errorMessage(error);
  };
}

export function NotesPanel({
  subjectId,
  applicationId,
  canAdd,
  initialNotes,
  headingLevel = 2,
}: {
  subjectId: string;
  /** Notes written here belong to this application (workflow `application` by default). */
  applicationId?: string;
  canAdd: boolean;
  /** Notes that came with the page's data (the application detail), shown without another request. */
  initialNotes?: Note[];
  headingLevel?: 2 | 3;
}) {
  const { t, tp } = useI18n();
  const titleId = useId();
  const notes = useNotes(subjectId, { initial: initialNotes });
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const list = notes.data ?? [];
  return (
    <section className="card notes" aria-labelledby={titleId}>
      <Heading id={titleId}>
        {t('notes.title')}
        {list.length > 0 ? <span className="badge badge--count">{list.length}</span> : null}
      </Heading>
      <p className="muted small">{t('notes.intro')}</p>
      {notes.isPending ? (
        <Loading />
      ) : notes.isError ? (
        <LoadError error={notes.error} onRetry={() => void notes.refetch()} />
      ) : list.length === 0 ? (
        <p className="muted notes__empty">{t('notes.none')}</p>
      ) : (
        <ul className="note-list" aria-label={tp('notes.count', list.length)}>
          {list.map((note) => (
            <NoteItem key={note.id} note={note} />
          ))}
        </ul>
      )}
      {canAdd ? <AddNoteForm subjectId={subjectId} applicationId={applicationId} /> : null}
    </section>
  );
}

function NoteItem({ note }: { note: Note }) {
  const { t, formatDateTime } = useI18n();
  const toast = useToast();
  const remove = useDeleteNote();
  const noteError = useNoteError();
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const authorId = useId();
  const edited = note.updatedAt !== note.createdAt;

  const onDelete = async () => {
    try {
      await remove.mutateAsync(note);
      toast.success(t('notes.deleted'));
    } catch (error) {
      toast.error(t('notes.failed', { reason: noteError(error) }));
    } finally {
      setDeleting(false);
    }
  };

  return (
    <li className={`note-item note-item--${note.priority}`} data-note={note.id} data-priority={note.priority}>
      <div className="note-item__head">
        <p className="note-item__author" id={authorId}>
          <strong>{note.author ? note.author.name : t('notes.unknownAuthor')}</strong>
          {note.author ? <span className="muted"> · {t(`role.${note.author.role}`)}</span> : null}
        </p>
        <span className={`badge badge--priority-${note.priority}`}>{priorityLabel(t, note.priority)}</span>
        <span className="badge badge--muted">{workflowLabel(t, note.workflow)}</span>
      </div>
      <p className="note-item__meta muted small">
        <time dateTime={note.createdAt}>{formatDateTime(note.createdAt)}</time>
        {edited ? ` · ${t('notes.edited', { time: formatDateTime(note.updatedAt) })}` : null}
        {' · '}
        {t('notes.visibleTo', { roles: note.visibleRoles.map((r) => t(`role.${r}`)).join(', ') })}
      </p>
      {editing ? (
        <EditNoteForm note={note} onClose={() => setEditing(false)} />
      ) : note.bodyStatus === 'unavailable' ? (
        <p className="note-item__body muted">{t('notes.unavailable')}</p>
      ) : (
        // The server sanitized this HTML (allow-list) before storing and again before sending it.
        <SanitizedHtml html={note.html} className="note-item__body" />
      )}
      {!editing && (note.canEdit || note.canDelete) ? (
        <div className="button-row note-item__actions">
          {note.canEdit && note.bodyStatus !== 'unavailable' ? (
            <Button variant="secondary" size="small" onClick={() => setEditing(true)} aria-describedby={authorId}>
              {t('notes.edit')}
            </Button>
          ) : null}
          {note.canDelete ? (
            <Button variant="danger" size="small" onClick={() => setDeleting(true)} aria-describedby={authorId}>
              {t('notes.delete')}
            </Button>
          ) : null}
        </div>
      ) : null}
      {deleting ? (
        <ConfirmDialog
          title={t('notes.deleteTitle')}
          message={t('notes.deleteConfirm')}
          confirmLabel={t('notes.delete')}
          danger
          busy={remove.isPending}
          onCancel={() => setDeleting(false)}
          onConfirm={() => void onDelete()}
        />
      ) : null}
    </li>
  );
}

interface NoteValues extends Record<string, string | string[]> {
  html: string;
  priority: string;
  workflow: string;
  visibleRoles: string[];
}

function NoteFields({
  form,
  initialHtml,
  editorKey,
}: {
  form: FormApi<NoteValues>;
  initialHtml: string;
  editorKey: number;
}) {
  const { t } = useI18n();
  return (
    <>
      <RichTextEditor
        key={editorKey}
        label={t('notes.body')}
        name="html"
        initialHtml={initialHtml}
        onChange={(html) => form.setValue('html', html)}
        onBlur={() => form.touch('html')}
        error={form.errors.html}
      />
      <div className="form__row form__row--start">
        <SelectField
          label={t('field.priority')}
          name="priority"
          value={form.values.priority}
          onValueChange={(value) => form.setValue('priority', value)}
          options={NOTE_PRIORITIES.map((p) => ({ value: p, label: priorityLabel(t, p) }))}
        />
        <SelectField
          label={t('field.workflow')}
          name="workflow"
          value={form.values.workflow}
          onValueChange={(value) => form.setValue('workflow', value)}
          options={NOTE_WORKFLOWS.map((w) => ({ value: w, label: workflowLabel(t, w) }))}
        />
      </div>
      <CheckboxGroup
        legend={t('field.visibleRoles')}
        hint={t('field.visibleRolesHint')}
        options={NOTE_ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
        selected={form.values.visibleRoles}
        onSelectedChange={(value) => form.setValue('visibleRoles', value)}
        error={form.errors.visibleRoles}
      />
    </>
  );
}

function validateNote(v: NoteValues) {
  return collect({ html: checkBody(v.html), visibleRoles: v.visibleRoles.length === 0 ? 'required' : null });
}

function AddNoteForm({ subjectId, applicationId }: { subjectId: string; applicationId?: string | undefined }) {
  const { t } = useI18n();
  const toast = useToast();
  const create = useCreateNote();
  const noteError = useNoteError();
  const titleId = useId();
  // A new key empties the editor after a note was added.
  const [editorKey, setEditorKey] = useState(0);
  const initial: NoteValues = {
    html: '',
    priority: 'normal',
    workflow: applicationId ? 'application' : 'general',
    visibleRoles: [...DEFAULT_NOTE_ROLES],
  };
  const form = useForm<NoteValues>({ initial, validate: validateNote });
  const onSubmit = form.handleSubmit(async (v) => {
    await create.mutateAsync({
      subjectId,
      body: {
        html: v.html,
        priority: v.priority as NotePriority,
        workflow: v.workflow as NoteWorkflow,
        visibleRoles: v.visibleRoles as Role[],
        ...(applicationId ? { applicationId } : {}),
      },
    });
    form.reset();
    setEditorKey((k) => k + 1);
    toast.success(t('notes.added'));
  });
  return (
    <form className="form note-form" onSubmit={onSubmit} noValidate aria-labelledby={titleId}>
      <h3 id={titleId}>{t('notes.addTitle')}</h3>
      {form.formError ? <Alert kind="error">{noteError(form.formError)}</Alert> : null}
      <NoteFields form={form} initialHtml="" editorKey={editorKey} />
      <div>
        <Button type="submit" busy={form.busy} busyLabel={t('notes.adding')}>
          {t('notes.add')}
        </Button>
      </div>
    </form>
  );
}

function EditNoteForm({ note, onClose }: { note: Note; onClose: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const update = useUpdateNote();
  const noteError = useNoteError();
  const form = useForm<NoteValues>({
    initial: { html: note.html, priority: note.priority, workflow: note.workflow, visibleRoles: [...note.visibleRoles] },
    validate: validateNote,
  });
  const onSubmit = form.handleSubmit(async (v) => {
    await update.mutateAsync({
      note,
      body: {
        ...(v.html !== note.html ? { html: v.html } : {}),
        priority: v.priority as NotePriority,
        workflow: v.workflow as NoteWorkflow,
        visibleRoles: v.visibleRoles as Role[],
      },
    });
    toast.success(t('notes.saved'));
    onClose();
  });
  return (
    <form className="form note-form note-form--edit" onSubmit={onSubmit} noValidate aria-label={t('notes.editTitle')}>
      {form.formError ? <Alert kind="error">{noteError(form.formError)}</Alert> : null}
      <NoteFields form={form} initialHtml={note.html} editorKey={0} />
      <div className="button-row">
        <Button type="submit" busy={form.busy} busyLabel={t('common.saving')}>
          {t('notes.save')}
        </Button>
        <Button variant="secondary" onClick={onClose} disabled={form.busy}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}
