import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Competency, CompetencyRequest, Position, PositionRequest } from '../../api/schedulingTypes';
import {
  COCKTAILS,
  competencies,
  competency,
  crewMe,
  haven,
  position,
  positions,
  REGISTER,
  VENUE,
  WINE,
} from '../../test/crewData';
import { errorResponse, jsonResponse, mockApi, renderApp, type RecordedRequest } from '../../test/utils';

afterEach(() => vi.unstubAllGlobals());

const RUNNER = '20000000-0000-4000-8000-000000000009';
const FIRST_AID = '21000000-0000-4000-8000-000000000009';
const PATH = `/staff/crew?location=${VENUE.id}&tab=catalog`;

type Answer = (request: RecordedRequest) => Response | null;

/** A small in-memory catalog behind the API; `override` answers first when it returns a response. */
function catalogApi(role: 'manager' | 'floor_manager' = 'manager', override: Answer = () => null) {
  let positionList = positions();
  // The archived one first: the panel lists it last.
  let competencyList = [competencies()[2]!, ...competencies().slice(0, 2)];
  const patchPosition = (id: string, request: RecordedRequest) => {
    const body = request.body as PositionRequest;
    let saved: Position | undefined;
    positionList = positionList.map((p) => {
      if (p.id !== id) return p;
      saved = {
        ...p,
        ...(body.name != null ? { name: body.name } : {}),
        ...(body.archived != null ? { archived: body.archived } : {}),
        ...(body.requirements != null ? { requirements: body.requirements } : {}),
      };
      return saved;
    });
    return jsonResponse(200, saved);
  };
  const patchCompetency = (id: string, request: RecordedRequest) => {
    const body = request.body as CompetencyRequest;
    let saved: Competency | undefined;
    competencyList = competencyList.map((c) => {
      if (c.id !== id) return c;
      saved = {
        ...c,
        ...(body.name != null ? { name: body.name } : {}),
        ...(body.archived != null ? { archived: body.archived } : {}),
      };
      return saved;
    });
    return jsonResponse(200, saved);
  };
  const handlers: Record<string, (request: RecordedRequest) => Response> = {
    'GET /api/auth/me': () => jsonResponse(200, crewMe(role)),
    'GET /api/locations': () => jsonResponse(200, [haven]),
    [`GET /api/locations/${VENUE.id}/positions`]: () => jsonResponse(200, positionList),
    [`GET /api/locations/${VENUE.id}/competencies`]: () => jsonResponse(200, competencyList),
    [`POST /api/locations/${VENUE.id}/positions`]: (request) => {
      const created = position({ id: RUNNER, name: (request.body as PositionRequest).name! });
      positionList = [...positionList, created];
      return jsonResponse(201, created);
    },
    [`POST /api/locations/${VENUE.id}/competencies`]: (request) => {
      const created = competency({ id: FIRST_AID, name: (request.body as CompetencyRequest).name! });
      competencyList = [...competencyList, created];
      return jsonResponse(201, created);
    },
  };
  for (const p of positions().concat(position({ id: RUNNER }))) {
    handlers[`PATCH /api/positions/${p.id}`] = (request) => patchPosition(p.id, request);
  }
  for (const c of competencies()) {
    handlers[`PATCH /api/competencies/${c.id}`] = (request) => patchCompetency(c.id, request);
  }
  const wrapped = Object.fromEntries(
    Object.entries(handlers).map(([key, handler]) => [key, (request: RecordedRequest) => override(request) ?? handler(request)]),
  );
  return mockApi(wrapped);
}

const positionsCard = () => screen.getByRole('region', { name: 'Positions' });
const competenciesCard = () => screen.getByRole('region', { name: 'Competencies' });
const itemOf = (card: HTMLElement, name: string) => within(card).getByText(name, { selector: 'strong' }).closest('li')!;
const writes = (requests: RecordedRequest[]) => requests.filter((r) => r.method !== 'GET');

describe('positions and competencies', () => {
  it('lists positions with their minimum levels and competencies with archived ones last', async () => {
    catalogApi();
    renderApp(PATH);
    expect(await screen.findByRole('tab', { name: 'Positions & competencies' })).toHaveAttribute('aria-selected', 'true');
    await within(positionsCard()).findByText('Bartender');
    expect(itemOf(positionsCard(), 'Bartender')).toHaveTextContent('Needs: Cocktails ≥ 2');
    expect(itemOf(positionsCard(), 'Waiter')).not.toHaveTextContent('Needs');
    expect(itemOf(positionsCard(), 'Dishwasher')).toHaveTextContent('archived');
    // An archived position can be restored but not renamed or given levels.
    expect(within(itemOf(positionsCard(), 'Dishwasher')).getAllByRole('button').map((b) => b.textContent)).toEqual(['Restore']);
    expect(within(itemOf(positionsCard(), 'Waiter')).getAllByRole('button').map((b) => b.textContent)).toEqual([
      'Minimum levels',
      'Rename',
      'Archive',
    ]);

    await within(competenciesCard()).findByText('Cocktails');
    const names = within(competenciesCard()).getAllByRole('listitem').map((li) => li.querySelector('strong')!.textContent);
    expect(names).toEqual(['Cocktails', 'Cash register', 'Wine']);
    expect(itemOf(competenciesCard(), 'Wine')).toHaveTextContent('archived');
  });

  it('is read-only for a floor manager', async () => {
    catalogApi('floor_manager');
    renderApp(PATH);
    await within(await screen.findByRole('region', { name: 'Positions' })).findByText('Bartender');
    await within(competenciesCard()).findByText('Cocktails');
    expect(within(positionsCard()).queryByRole('button')).not.toBeInTheDocument();
    expect(within(competenciesCard()).queryByRole('button')).not.toBeInTheDocument();
    expect(screen.queryByLabelText('New position')).not.toBeInTheDocument();
    expect(screen.queryByLabelText('New competency')).not.toBeInTheDocument();
  });

  it('adds a position and then gives it minimum competency levels', async () => {
    const { requests } = catalogApi();
    renderApp(PATH);
    const user = userEvent.setup();
    await within(await screen.findByRole('region', { name: 'Positions' })).findByText('Bartender');
    await within(competenciesCard()).findByText('Cocktails');

    // Checked before sending.
    await user.click(within(positionsCard()).getByRole('button', { name: 'Add position' }));
    expect(within(positionsCard()).getByText('This field is required.')).toBeInTheDocument();
    await user.type(within(positionsCard()).getByLabelText('New position'), 'x'.repeat(61));
    await user.click(within(positionsCard()).getByRole('button', { name: 'Add position' }));
    expect(within(positionsCard()).getByText('This name is too long.')).toBeInTheDocument();
    expect(writes(requests)).toHaveLength(0);

    await user.clear(within(positionsCard()).getByLabelText('New position'));
    await user.type(within(positionsCard()).getByLabelText('New position'), '  Runner ');
    await user.click(within(positionsCard()).getByRole('button', { name: 'Add position' }));
    expect(await screen.findByText('Position Runner added.')).toBeInTheDocument();
    expect(writes(requests)).toHaveLength(1);
    expect(writes(requests)[0]!.url).toBe(`/api/locations/${VENUE.id}/positions`);
    expect(writes(requests)[0]!.body).toEqual({ name: 'Runner' } satisfies PositionRequest);
    expect(within(positionsCard()).getByLabelText('New position')).toHaveValue('');
    await within(positionsCard()).findByText('Runner', { selector: 'strong' });

    await user.click(within(itemOf(positionsCard(), 'Runner')).getByRole('button', { name: 'Minimum levels' }));
    const dialog = await screen.findByRole('dialog', { name: 'Minimum levels for Runner' });
    expect(within(dialog).getByText('No competencies required.')).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Add a competency' }));
    // The first free competency, level 1; archived ones are not offered.
    const first = within(dialog).getByLabelText('Required competency 1');
    expect(first).toHaveValue(COCKTAILS);
    expect(within(first).getAllByRole('option').map((o) => o.textContent)).toEqual(['Cocktails', 'Cash register']);
    await user.selectOptions(first, 'Cash register');
    await user.selectOptions(within(dialog).getByLabelText('Minimum level of Cash register'), 'level 3 or higher');
    await user.click(within(dialog).getByRole('button', { name: 'Add a competency' }));
    // Each competency only once: the second row offers what is left, and then nothing more can be added.
    expect(within(dialog).getByLabelText('Required competency 2')).toHaveValue(COCKTAILS);
    expect(within(within(dialog).getByLabelText('Required competency 1')).getAllByRole('option')).toHaveLength(1);
    expect(within(dialog).getByRole('button', { name: 'Add a competency' })).toBeDisabled();
    await user.click(within(dialog).getByRole('button', { name: 'Remove Cocktails' }));
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(await screen.findByText('Minimum levels for Runner saved.')).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    const patch = writes(requests).at(-1)!;
    expect(patch.method).toBe('PATCH');
    expect(patch.url).toBe(`/api/positions/${RUNNER}`);
    expect(patch.body).toEqual({ requirements: [{ competencyId: REGISTER, minLevel: 3 }] } satisfies PositionRequest);
    await waitFor(() => expect(itemOf(positionsCard(), 'Runner')).toHaveTextContent('Needs: Cash register ≥ 3'));
  });

  it('shows that a name is taken on the field', async () => {
    const { requests } = catalogApi('manager', (r) =>
      r.method === 'POST' ? errorResponse(409, 'name_taken', { name: 'taken' }) : null,
    );
    renderApp(PATH);
    const user = userEvent.setup();
    await within(await screen.findByRole('region', { name: 'Competencies' })).findByText('Cocktails');
    await user.type(within(competenciesCard()).getByLabelText('New competency'), 'Cocktails');
    await user.click(within(competenciesCard()).getByRole('button', { name: 'Add competency' }));
    expect(await within(competenciesCard()).findByText('This location already has one with that name.')).toBeInTheDocument();
    expect(within(competenciesCard()).getByLabelText('New competency')).toHaveAttribute('aria-invalid', 'true');
    expect(within(competenciesCard()).queryByRole('alert')).not.toBeInTheDocument();
    expect(writes(requests)[0]!.body).toEqual({ name: 'Cocktails' });
    // Typing clears the error.
    await user.type(within(competenciesCard()).getByLabelText('New competency'), ' 2');
    expect(within(competenciesCard()).queryByText('This location already has one with that name.')).not.toBeInTheDocument();
  });

  it('adds a competency', async () => {
    const { requests } = catalogApi();
    renderApp(PATH);
    const user = userEvent.setup();
    await within(await screen.findByRole('region', { name: 'Competencies' })).findByText('Cocktails');
    await user.type(within(competenciesCard()).getByLabelText('New competency'), 'First aid{Enter}');
    expect(await screen.findByText('Competency First aid added.')).toBeInTheDocument();
    expect(writes(requests).map((r) => [r.method, r.url, r.body])).toEqual([
      ['POST', `/api/locations/${VENUE.id}/competencies`, { name: 'First aid' }],
    ]);
    expect(await within(competenciesCard()).findByText('First aid', { selector: 'strong' })).toBeInTheDocument();
  });

  it('renames a competency', async () => {
    let refuse = true;
    const { requests } = catalogApi('manager', (r) => {
      if (r.method === 'PATCH' && refuse) {
        refuse = false;
        return errorResponse(409, 'name_taken', { name: 'taken' });
      }
      return null;
    });
    renderApp(PATH);
    const user = userEvent.setup();
    await within(await screen.findByRole('region', { name: 'Competencies' })).findByText('Cocktails');
    await user.click(within(itemOf(competenciesCard(), 'Cocktails')).getByRole('button', { name: 'Rename' }));
    const input = within(competenciesCard()).getByLabelText('New name for Cocktails');
    expect(input).toHaveValue('Cocktails');
    expect(input).toHaveFocus();

    await user.clear(input);
    await user.click(within(competenciesCard()).getByRole('button', { name: 'Save' }));
    expect(within(competenciesCard()).getByText('This field is required.')).toBeInTheDocument();
    expect(writes(requests)).toHaveLength(0);

    await user.type(input, 'Cash register');
    await user.click(within(competenciesCard()).getByRole('button', { name: 'Save' }));
    expect(await within(competenciesCard()).findByText('This location already has one with that name.')).toBeInTheDocument();

    await user.clear(input);
    await user.type(input, 'Mixology');
    await user.click(within(competenciesCard()).getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Renamed to Mixology.')).toBeInTheDocument();
    expect(writes(requests).map((r) => [r.method, r.url, r.body])).toEqual([
      ['PATCH', `/api/competencies/${COCKTAILS}`, { name: 'Cash register' }],
      ['PATCH', `/api/competencies/${COCKTAILS}`, { name: 'Mixology' }],
    ]);
    expect(within(competenciesCard()).queryByLabelText('New name for Cocktails')).not.toBeInTheDocument();
    expect(within(competenciesCard()).getByText('Mixology', { selector: 'strong' })).toBeInTheDocument();
    // Positions name their competencies again with the new name.
    await waitFor(() => expect(itemOf(positionsCard(), 'Bartender')).toHaveTextContent('Needs: Mixology ≥ 2'));
  });

  it('cancels a rename without sending anything', async () => {
    const { requests } = catalogApi();
    renderApp(PATH);
    const user = userEvent.setup();
    await within(await screen.findByRole('region', { name: 'Positions' })).findByText('Waiter');
    await user.click(within(itemOf(positionsCard(), 'Waiter')).getByRole('button', { name: 'Rename' }));
    await user.type(within(positionsCard()).getByLabelText('New name for Waiter'), 'ess');
    await user.click(within(positionsCard()).getByRole('button', { name: 'Cancel' }));
    expect(within(positionsCard()).getByText('Waiter', { selector: 'strong' })).toBeInTheDocument();
    expect(writes(requests)).toHaveLength(0);
  });

  it('archives and restores a competency', async () => {
    const { requests } = catalogApi();
    renderApp(PATH);
    const user = userEvent.setup();
    await within(await screen.findByRole('region', { name: 'Competencies' })).findByText('Cocktails');
    await user.click(within(itemOf(competenciesCard(), 'Cash register')).getByRole('button', { name: 'Archive' }));
    expect(await screen.findByText('Cash register is archived.')).toBeInTheDocument();
    await waitFor(() => expect(itemOf(competenciesCard(), 'Cash register')).toHaveTextContent('archived'));
    expect(within(itemOf(competenciesCard(), 'Cash register')).queryByRole('button', { name: 'Rename' })).not.toBeInTheDocument();

    await user.click(within(itemOf(competenciesCard(), 'Wine')).getByRole('button', { name: 'Restore' }));
    expect(await screen.findByText('Wine is restored.')).toBeInTheDocument();
    expect(writes(requests).map((r) => [r.method, r.url, r.body])).toEqual([
      ['PATCH', `/api/competencies/${REGISTER}`, { archived: true }],
      ['PATCH', `/api/competencies/${WINE}`, { archived: false }],
    ]);
    await waitFor(() => expect(itemOf(competenciesCard(), 'Wine')).not.toHaveTextContent('archived'));
  });

  it('shows why archiving failed', async () => {
    catalogApi('manager', (r) => (r.method === 'PATCH' ? errorResponse(403, 'forbidden') : null));
    renderApp(PATH);
    const user = userEvent.setup();
    await within(await screen.findByRole('region', { name: 'Competencies' })).findByText('Cocktails');
    await user.click(within(itemOf(competenciesCard(), 'Cocktails')).getByRole('button', { name: 'Archive' }));
    expect(await within(itemOf(competenciesCard(), 'Cocktails')).findByRole('alert')).toHaveTextContent(
      'You are not allowed to do this.',
    );
  });

  it('shows a refused requirement on the levels editor', async () => {
    catalogApi('manager', (r) =>
      r.method === 'PATCH' ? errorResponse(422, 'validation_failed', { requirements: 'unknown_competency' }) : null,
    );
    renderApp(PATH);
    const user = userEvent.setup();
    await within(await screen.findByRole('region', { name: 'Positions' })).findByText('Bartender');
    await within(competenciesCard()).findByText('Cocktails');
    await user.click(within(itemOf(positionsCard(), 'Bartender')).getByRole('button', { name: 'Minimum levels' }));
    const dialog = await screen.findByRole('dialog', { name: 'Minimum levels for Bartender' });
    expect(within(dialog).getByLabelText('Required competency 1')).toHaveValue(COCKTAILS);
    expect(within(dialog).getByLabelText('Minimum level of Cocktails')).toHaveValue('2');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(
      await within(dialog).findByText('One of these competencies is archived or no longer exists.'),
    ).toBeInTheDocument();
    expect(within(dialog).queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.getByRole('dialog', { name: 'Minimum levels for Bartender' })).toBeInTheDocument();
  });

  it('says so when the location has no positions or competencies', async () => {
    mockApi({
      'GET /api/auth/me': () => jsonResponse(200, crewMe('manager')),
      'GET /api/locations': () => jsonResponse(200, [haven]),
      [`GET /api/locations/${VENUE.id}/positions`]: () => jsonResponse(200, []),
      [`GET /api/locations/${VENUE.id}/competencies`]: () => jsonResponse(200, []),
    });
    renderApp(PATH);
    expect(await screen.findByText('No positions yet.')).toBeInTheDocument();
    expect(await screen.findByText('No competencies yet.')).toBeInTheDocument();
  });
});
