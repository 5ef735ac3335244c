import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AssessRequest, CrewPage } from '../../api/schedulingTypes';
import { assessment, COCKTAILS, competency, crewMe, crewPage, KIM, REGISTER, VENUE } from '../../test/crewData';
import { errorResponse, jsonResponse, mockApi, renderApp, renderUi, type RecordedRequest } from '../../test/utils';
import { AssessDialog } from './AssessDialog';

afterEach(() => vi.unstubAllGlobals());

const PAGE = `/api/crew/${KIM}`;
const PUT_COCKTAILS = `PUT /api/crew/${KIM}/competencies/${COCKTAILS}`;

/** Today in Amsterdam as YYYY-MM-DD, like the dialog's default date. */
const todayThere = () => new Intl.DateTimeFormat('en-CA', { timeZone: VENUE.timezone }).format(new Date());

const levelRadio = (dialog: HTMLElement, level: number) =>
  within(dialog).getAllByRole('radio').find((r) => (r as HTMLInputElement).value === String(level))!;

const puts = (requests: RecordedRequest[]) => requests.filter((r) => r.method === 'PUT');

function pageApi(put: (request: RecordedRequest) => Response) {
  let page: CrewPage = crewPage();
  return mockApi({
    'GET /api/auth/me': () => jsonResponse(200, crewMe('manager')),
    [`GET ${PAGE}`]: () => jsonResponse(200, page),
    [PUT_COCKTAILS]: (request) => {
      const response = put(request);
      if (response.ok) {
        const body = request.body as AssessRequest;
        const saved = assessment({
          level: body.level,
          note: body.note ?? null,
          assessedOn: body.assessedOn!,
          recordedAt: '2026-05-01T10:00:00Z',
          assessor: { id: 'me', name: 'Sam Jansen', role: 'manager' },
        });
        page = { ...page, levels: [saved], history: [saved, ...page.history] };
      }
      return response;
    },
  });
}

async function openFor(name: string) {
  const user = userEvent.setup();
  renderApp(`/staff/crew/${KIM}`);
  await screen.findByRole('heading', { level: 1, name: 'Kim de Vries' });
  await user.click(screen.getByRole('button', { name: `Set the level of ${name}` }));
  const dialog = await screen.findByRole('dialog', { name: `${name}: level of Kim de Vries` });
  return { user, dialog };
}

describe('assessing a competency', () => {
  it('posts the level 0–5 with a note and the date, and shows it in the matrix and history', async () => {
    const { requests } = pageApi(() => jsonResponse(200, assessment()));
    const { user, dialog } = await openFor('Cocktails');

    // Six levels, each named; the current level is chosen; today is the default date and the latest allowed.
    const radios = within(dialog).getAllByRole('radio');
    expect(radios.map((r) => (r as HTMLInputElement).value)).toEqual(['0', '1', '2', '3', '4', '5']);
    expect(within(dialog).getByRole('radio', { name: /Independent/ })).toBeChecked();
    expect(within(dialog).getByText('Can train others')).toBeInTheDocument();
    const date = within(dialog).getByLabelText('Assessed on');
    expect(date).toHaveValue(todayThere());
    expect(date).toHaveAttribute('max', todayThere());

    await user.click(levelRadio(dialog, 5));
    expect(levelRadio(dialog, 5)).toBeChecked();
    await user.type(within(dialog).getByLabelText(/^Note/), '  Trained two new bartenders  ');
    await user.click(within(dialog).getByRole('button', { name: 'Save level' }));

    expect(await screen.findByText('Kim de Vries: Cocktails is now level 5.')).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    const sent = puts(requests);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe(`/api/crew/${KIM}/competencies/${COCKTAILS}`);
    expect(sent[0]!.body).toEqual({
      level: 5,
      note: 'Trained two new bartenders',
      assessedOn: todayThere(),
    } satisfies AssessRequest);

    const row = document.querySelector<HTMLElement>(`tr[data-competency="${COCKTAILS}"]`)!;
    await waitFor(() => expect(within(row).getByRole('img', { name: 'Level 5 of 5' })).toBeInTheDocument());
    expect(row).toHaveTextContent('by Sam Jansen — Trained two new bartenders');
    const history = screen.getByRole('heading', { level: 2, name: 'Assessment history' }).closest('section')!;
    expect(within(history).getAllByRole('listitem')).toHaveLength(3);
  });

  it('sends level 0 and no note, with an earlier date', async () => {
    const { requests } = pageApi(() => jsonResponse(200, assessment({ level: 0 })));
    const { user, dialog } = await openFor('Cocktails');
    await user.click(within(dialog).getByRole('radio', { name: /Not able yet/ }));
    await user.clear(within(dialog).getByLabelText('Assessed on'));
    await user.type(within(dialog).getByLabelText('Assessed on'), '2026-01-31');
    await user.type(within(dialog).getByLabelText(/^Note/), '   ');
    await user.click(within(dialog).getByRole('button', { name: 'Save level' }));
    await waitFor(() => expect(puts(requests)).toHaveLength(1));
    expect(puts(requests)[0]!.body).toEqual({ level: 0, note: null, assessedOn: '2026-01-31' });
  });

  it('starts at level 0 for a competency never assessed', async () => {
    pageApi(() => jsonResponse(200, assessment()));
    const { dialog } = await openFor('Cash register');
    expect(levelRadio(dialog, 0)).toBeChecked();
    expect(within(dialog).getAllByRole('radio').filter((r) => (r as HTMLInputElement).checked)).toHaveLength(1);
  });

  it('refuses a date in the future, a missing date and a note over 500 characters before sending', async () => {
    const { requests } = pageApi(() => jsonResponse(200, assessment()));
    const { user, dialog } = await openFor('Cocktails');
    const date = within(dialog).getByLabelText('Assessed on');
    await user.clear(date);
    await user.type(date, '2999-01-01');
    const note = within(dialog).getByLabelText(/^Note/);
    await user.click(note);
    await user.paste('x'.repeat(501));
    await user.click(within(dialog).getByRole('button', { name: 'Save level' }));
    expect(within(dialog).getByText('An assessment cannot be dated in the future.')).toBeInTheDocument();
    expect(date).toHaveAttribute('aria-invalid', 'true');
    expect(within(dialog).getByText('At most 500 characters.')).toBeInTheDocument();
    expect(note).toHaveAttribute('aria-invalid', 'true');

    await user.clear(date);
    await user.click(within(dialog).getByRole('button', { name: 'Save level' }));
    expect(within(dialog).getByText('This field is required.')).toBeInTheDocument();
    expect(puts(requests)).toHaveLength(0);

    // 500 characters (emoji count as one) is fine.
    await user.clear(note);
    await user.paste('🍸'.repeat(500));
    await user.type(date, '2026-02-01');
    await user.click(within(dialog).getByRole('button', { name: 'Save level' }));
    await waitFor(() => expect(puts(requests)).toHaveLength(1));
  });

  it('shows the server’s refusal of an out-of-range level on the level', async () => {
    const { requests } = pageApi(() => errorResponse(422, 'validation_failed', { level: 'out_of_range' }));
    const { user, dialog } = await openFor('Cocktails');
    await user.click(within(dialog).getByRole('button', { name: 'Save level' }));
    expect(await within(dialog).findByText('Choose a level from 0 to 5.')).toBeInTheDocument();
    expect(within(dialog).getByRole('group', { name: 'Level' })).toHaveClass('field--invalid');
    expect(within(dialog).queryByRole('alert')).not.toBeInTheDocument();
    expect(puts(requests)).toHaveLength(1);
  });

  it('shows that the competency was archived meanwhile, once', async () => {
    pageApi(() => errorResponse(422, 'validation_failed', { competencyId: 'archived' }));
    const { user, dialog } = await openFor('Cocktails');
    await user.click(within(dialog).getByRole('button', { name: 'Save level' }));
    await within(dialog).findByText('This competency is archived. Restore it first.');
    expect(within(dialog).getAllByRole('alert')).toHaveLength(1);
  });

  it('shows a banner for an error without fields and stays open', async () => {
    pageApi(() => errorResponse(403, 'forbidden'));
    const { user, dialog } = await openFor('Cocktails');
    await user.click(within(dialog).getByRole('button', { name: 'Save level' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('You are not allowed to do this.');
    expect(screen.getByRole('dialog', { name: 'Cocktails: level of Kim de Vries' })).toBeInTheDocument();
  });

  it('never sends a level outside 0–5, even when the current one is', async () => {
    const { requests } = mockApi({ [PUT_COCKTAILS]: () => jsonResponse(200, assessment()) });
    const onClose = vi.fn();
    renderUi(
      <AssessDialog
        userId={KIM}
        personName="Kim de Vries"
        competency={competency()}
        location={VENUE}
        current={7}
        onClose={onClose}
      />,
    );
    const user = userEvent.setup();
    const dialog = await screen.findByRole('dialog', { name: 'Cocktails: level of Kim de Vries' });
    expect(within(dialog).getAllByRole('radio').filter((r) => (r as HTMLInputElement).checked)).toHaveLength(0);
    await user.click(within(dialog).getByRole('button', { name: 'Save level' }));
    expect(within(dialog).getByText('Choose a level from 0 to 5.')).toBeInTheDocument();
    expect(requests).toHaveLength(0);
    expect(onClose).not.toHaveBeenCalled();

    await user.click(levelRadio(dialog, 4));
    await user.click(within(dialog).getByRole('button', { name: 'Save level' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(requests[0]!.body).toMatchObject({ level: 4 });
  });

  it('closes without sending on Cancel', async () => {
    const { requests } = mockApi({});
    const onClose = vi.fn();
    renderUi(
      <AssessDialog userId={KIM} personName="Kim" competency={competency({ id: REGISTER, name: 'Cash register' })} location={VENUE} current={2} onClose={onClose} />,
    );
    const user = userEvent.setup();
    const dialog = await screen.findByRole('dialog', { name: 'Cash register: level of Kim' });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(onClose).toHaveBeenCalledTimes(1);
    expect(requests).toHaveLength(0);
  });
});
