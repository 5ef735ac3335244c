import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Note } from '../../api/hiringTypes';
import { errorResponse, jsonResponse, mockApi, renderUi } from '../../test/utils';
import { NotesPanel } from './NotesPanel';
import { KIM, note } from '../../test/hiringData';

afterEach(() => vi.unstubAllGlobals());

const notesPath = `/api/people/${KIM}/notes`;

function item(author: string) {
  const list = screen.getByRole('list', { name: /notes?$/ });
  const match = within(list)
    .getAllByRole('listitem')
    .find((li) => li.textContent?.includes(author));
  if (!match) throw new Error(`no note by ${author}`);
  return match;
}

describe('notes panel', () => {
  it('offers edit and delete only where the server allows them', async () => {
    const mine = note({ id: 'n1', author: { id: 'u1', name: 'Sam Jansen', role: 'manager' }, canEdit: true, canDelete: true });
    const editable = note({
      id: 'n2',
      author: { id: 'u2', name: 'Mila Bakker', role: 'floor_manager' },
      priority: 'urgent',
      workflow: 'scheduling',
      canEdit: true,
      canDelete: false,
    });
    const readOnly = note({
      id: 'n3',
      author: { id: 'u3', name: 'Noor Visser', role: 'administrator' },
      canEdit: false,
      canDelete: false,
    });
    mockApi({ [`GET ${notesPath}`]: () => jsonResponse(200, [mine, editable, readOnly]) });
    renderUi(<NotesPanel subjectId={KIM} applicationId="a1" canAdd />);
    await screen.findByRole('list', { name: '3 notes' });

    expect(within(item('Sam Jansen')).getByRole('button', { name: 'Edit' })).toBeInTheDocument();
    expect(within(item('Sam Jansen')).getByRole('button', { name: 'Delete' })).toBeInTheDocument();

    expect(within(item('Mila Bakker')).getByRole('button', { name: 'Edit' })).toBeInTheDocument();
    expect(within(item('Mila Bakker')).queryByRole('button', { name: 'Delete' })).not.toBeInTheDocument();
    expect(item('Mila Bakker')).toHaveTextContent('Floor manager');
    expect(item('Mila Bakker')).toHaveTextContent('Urgent');
    expect(item('Mila Bakker')).toHaveTextContent('Scheduling');

    expect(within(item('Noor Visser')).queryByRole('button', { name: 'Edit' })).not.toBeInTheDocument();
    expect(within(item('Noor Visser')).queryByRole('button', { name: 'Delete' })).not.toBeInTheDocument();
    expect(item('Noor Visser')).toHaveTextContent('visible to Administrator, Manager, Floor manager');
    // The body is the server's sanitized HTML.
    expect(within(item('Noor Visser')).getByText('Friendly on the phone.').tagName).toBe('P');
  });

  it('hides the add form without permission', async () => {
    mockApi({ [`GET ${notesPath}`]: () => jsonResponse(200, []) });
    renderUi(<NotesPanel subjectId={KIM} canAdd={false} />);
    expect(await screen.findByText('No notes yet.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Add note' })).not.toBeInTheDocument();
  });

  it('adds a note with priority, category and visible roles', async () => {
    let notes: Note[] = [];
    const { requests } = mockApi({
      [`GET ${notesPath}`]: () => jsonResponse(200, notes),
      [`POST ${notesPath}`]: (request) => {
        const body = request.body as { html: string; priority: Note['priority'] };
        const created = note({ id: 'n7', html: body.html, priority: body.priority });
        notes = [created];
        return jsonResponse(201, created);
      },
    });
    renderUi(<NotesPanel subjectId={KIM} applicationId="a1" canAdd />);
    const user = userEvent.setup();
    const form = await screen.findByRole('form', { name: 'Add a note' });

    await user.click(within(form).getByRole('button', { name: 'Add note' }));
    expect(within(form).getByText('This field is required.')).toBeInTheDocument();
    expect(requests.some((r) => r.method === 'POST')).toBe(false);

    await user.click(within(form).getByRole('textbox', { name: 'Note' }));
    await user.keyboard('Asked for weekend shifts');
    await user.selectOptions(within(form).getByLabelText('Priority'), 'high');
    expect(within(form).getByLabelText('Category')).toHaveValue('application');
    await user.click(within(form).getByLabelText('Floor manager'));
    await user.click(within(form).getByRole('button', { name: 'Add note' }));

    expect(await screen.findByText('The note has been added.')).toBeInTheDocument();
    const sent = requests.find((r) => r.method === 'POST');
    expect(sent?.headers.get('X-Crewplots-Csrf')).toBe('1');
    expect(sent?.body).toEqual({
      html: 'Asked for weekend shifts',
      priority: 'high',
      workflow: 'application',
      visibleRoles: ['administrator', 'manager'],
      applicationId: 'a1',
    });
    expect(await screen.findByRole('list', { name: '1 note' })).toHaveTextContent('High');
  });

  it('explains a note that is too large (413)', async () => {
    mockApi({
      [`GET ${notesPath}`]: () => jsonResponse(200, []),
      [`POST ${notesPath}`]: () => errorResponse(413, 'too_large'),
    });
    renderUi(<NotesPanel subjectId={KIM} canAdd />);
    const user = userEvent.setup();
    const form = await screen.findByRole('form', { name: 'Add a note' });
    await user.click(within(form).getByRole('textbox', { name: 'Note' }));
    await user.keyboard('Long story');
    await user.click(within(form).getByRole('button', { name: 'Add note' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent(
      'The note is too long (at most 20,000 characters including formatting).',
    );
  });

  it('edits and deletes a note', async () => {
    let notes = [note()];
    const { requests } = mockApi({
      [`GET ${notesPath}`]: () => jsonResponse(200, notes),
      'PATCH /api/notes/n1': (request) => {
        notes = [{ ...notes[0]!, ...(request.body as Partial<Note>), updatedAt: '2026-11-05T10:00:00Z' }];
        return jsonResponse(200, notes[0]);
      },
      'DELETE /api/notes/n1': () => {
        notes = [];
        return jsonResponse(204);
      },
    });
    renderUi(<NotesPanel subjectId={KIM} canAdd={false} />);
    const user = userEvent.setup();
    await screen.findByRole('list', { name: '1 note' });

    await user.click(within(item('Mila Bakker')).getByRole('button', { name: 'Edit' }));
    const edit = screen.getByRole('form', { name: 'Edit note' });
    await user.selectOptions(within(edit).getByLabelText('Priority'), 'urgent');
    await user.click(within(edit).getByRole('button', { name: 'Save note' }));
    expect(await screen.findByText('The note has been saved.')).toBeInTheDocument();
    expect(requests.find((r) => r.method === 'PATCH')?.body).toEqual({
      priority: 'urgent',
      workflow: 'application',
      visibleRoles: ['administrator', 'manager', 'floor_manager'],
    });
    await waitFor(() => expect(item('Mila Bakker')).toHaveTextContent('Urgent'));

    await user.click(within(item('Mila Bakker')).getByRole('button', { name: 'Delete' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Delete note' });
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    expect(await screen.findByText('The note has been deleted.')).toBeInTheDocument();
    expect(await screen.findByText('No notes yet.')).toBeInTheDocument();
  });
});
