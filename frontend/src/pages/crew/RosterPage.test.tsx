import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AddCrewRequest, CrewMember, UpdateCrewRequest } from '../../api/schedulingTypes';
import {
  ALI,
  BAR,
  crewMe,
  DISHES,
  EVA,
  haven,
  JAN,
  KIM,
  member,
  noord,
  NOORD,
  positions,
  roster,
  VENUE,
  WAITER,
} from '../../test/crewData';
import { errorResponse, jsonResponse, mockApi, renderApp, type RecordedRequest } from '../../test/utils';

afterEach(() => vi.unstubAllGlobals());

const CREW = `/api/locations/${VENUE.id}/crew`;

function base(role: 'manager' | 'floor_manager' | 'administrator' = 'manager') {
  return {
    'GET /api/auth/me': () => jsonResponse(200, crewMe(role)),
    'GET /api/locations': () => jsonResponse(200, [haven]),
    [`GET /api/locations/${VENUE.id}/positions`]: () => jsonResponse(200, positions()),
  };
}

const rowOf = (name: string) => screen.getByRole('link', { name }).closest('tr')!;
const crewGets = (requests: RecordedRequest[]) =>
  requests.filter((r) => r.method === 'GET' && new URL(r.url, 'http://x').pathname === CREW).map((r) => r.url);

describe('the roster', () => {
  it('lists the crew with positions, contracted hours, start date and status', async () => {
    const { requests } = mockApi({ ...base(), [`GET ${CREW}`]: () => jsonResponse(200, roster()) });
    renderApp('/staff/crew');
    expect(await screen.findByRole('heading', { level: 1, name: 'Crew' })).toBeInTheDocument();
    await screen.findByRole('link', { name: 'Kim de Vries' });
    expect(screen.getByText('The crew of Café De Haven: positions, contracted hours and status.')).toBeInTheDocument();
    expect(screen.getByText('3 crew members')).toBeInTheDocument();
    expect(crewGets(requests)).toEqual([CREW]);

    const kim = rowOf('Kim de Vries');
    expect(within(kim).getByRole('link', { name: 'Kim de Vries' })).toHaveAttribute('href', `/staff/crew/${KIM}`);
    expect(kim).toHaveTextContent('Crew member');
    expect(kim).toHaveTextContent('Bartender');
    expect(kim).toHaveTextContent('24 h');
    expect(kim).toHaveTextContent('Mar 1, 2026');
    expect(kim).toHaveTextContent('Active');

    const jan = rowOf('Jan Smit');
    expect(jan).toHaveTextContent('Floor manager');
    expect(jan).toHaveTextContent('Bartender, Waiter');
    expect(jan).toHaveTextContent('30.5 h');
    expect(jan).toHaveTextContent('—');
    expect(jan).toHaveTextContent('On leave');

    const eva = rowOf('Eva Mulder');
    expect(eva).toHaveTextContent('No position');
    expect(eva).toHaveTextContent('Flexible');
    expect(eva).toHaveTextContent('Nov 15, 2025');
    expect(eva).toHaveTextContent('Inactive');

    // Managers change memberships and add crew.
    expect(within(kim).getByRole('button', { name: 'Edit the membership of Kim de Vries' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Add crew from another venue' })).toBeInTheDocument();
  });

  it('shows Dutch decimals in Dutch', async () => {
    mockApi({ ...base(), [`GET ${CREW}`]: () => jsonResponse(200, roster()) });
    renderApp('/staff/crew', { language: 'nl' });
    await screen.findByRole('link', { name: 'Jan Smit' });
    expect(rowOf('Jan Smit')).toHaveTextContent('30,5');
  });

  it('filters by position and status, sending them to the server and keeping them in the address', async () => {
    const { requests } = mockApi({
      ...base(),
      [`GET ${CREW}`]: (request) => {
        const query = new URL(request.url, 'http://x').searchParams;
        if (query.get('status') === 'inactive') return jsonResponse(200, []);
        if (query.get('position') === WAITER) return jsonResponse(200, roster().filter((m) => m.positionIds.includes(WAITER)));
        return jsonResponse(200, roster());
      },
    });
    const { router } = renderApp(`/staff/crew?location=${VENUE.id}`);
    const user = userEvent.setup();
    await screen.findByRole('link', { name: 'Kim de Vries' });
    const filters = screen.getByRole('search', { name: 'Filter the crew' });
    const positionSelect = within(filters).getByLabelText('Position');
    // Archived positions stay filterable, marked as such.
    expect(within(positionSelect).getAllByRole('option').map((o) => o.textContent)).toEqual([
      'All positions',
      'Bartender',
      'Waiter',
      'Dishwasher (archived)',
    ]);

    await user.selectOptions(positionSelect, 'Waiter');
    await waitFor(() => expect(screen.queryByRole('link', { name: 'Kim de Vries' })).not.toBeInTheDocument());
    expect(screen.getByRole('link', { name: 'Jan Smit' })).toBeInTheDocument();
    expect(screen.getByText('1 crew member')).toBeInTheDocument();
    expect(crewGets(requests).at(-1)).toBe(`${CREW}?position=${WAITER}`);

    await user.selectOptions(within(filters).getByLabelText('Status'), 'Inactive');
    expect(await screen.findByText('Nobody matches these filters.')).toBeInTheDocument();
    expect(crewGets(requests).at(-1)).toBe(`${CREW}?position=${WAITER}&status=inactive`);
    expect(router.state.location.search).toBe(`?location=${VENUE.id}&position=${WAITER}&status=inactive`);

    await user.selectOptions(within(filters).getByLabelText('Position'), 'All positions');
    await waitFor(() => expect(crewGets(requests).at(-1)).toBe(`${CREW}?status=inactive`));
  });

  it('reads the filters from the address and ignores an unknown status', async () => {
    const { requests } = mockApi({ ...base(), [`GET ${CREW}`]: () => jsonResponse(200, []) });
    renderApp(`/staff/crew?position=${DISHES}&status=fired`);
    expect(await screen.findByText('Nobody matches these filters.')).toBeInTheDocument();
    expect(crewGets(requests)).toEqual([`${CREW}?position=${DISHES}`]);
    expect(screen.getByLabelText('Status')).toHaveValue('');
    expect(screen.getByLabelText('Position')).toHaveValue(DISHES);
  });

  it('says so when nobody is on the crew yet', async () => {
    mockApi({ ...base(), [`GET ${CREW}`]: () => jsonResponse(200, []) });
    renderApp('/staff/crew');
    expect(await screen.findByText('Nobody is on the crew of this location yet.')).toBeInTheDocument();
  });

  it('is read-only for a floor manager', async () => {
    mockApi({ ...base('floor_manager'), [`GET ${CREW}`]: () => jsonResponse(200, roster()) });
    renderApp('/staff/crew');
    await screen.findByRole('link', { name: 'Kim de Vries' });
    expect(screen.queryByRole('button', { name: /Edit the membership/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Add crew from another venue' })).not.toBeInTheDocument();
  });

  it('is forbidden without crew.view', async () => {
    mockApi({ ...base(), 'GET /api/auth/me': () => jsonResponse(200, crewMe('crew_member')) });
    renderApp('/staff/crew');
    expect(await screen.findByRole('heading', { level: 1, name: 'No access' })).toBeInTheDocument();
    expect(screen.queryByRole('heading', { level: 1, name: 'Crew' })).not.toBeInTheDocument();
  });

  it('switches venue with the picker, remembers it and drops the filters', async () => {
    const noordCrew = [member({ person: { id: ALI, name: 'Ali Yilmaz', role: 'crew_member' }, locationId: NOORD.id, positionIds: [] })];
    const { requests } = mockApi({
      ...base(),
      'GET /api/locations': () => jsonResponse(200, [haven, noord]),
      [`GET ${CREW}`]: () => jsonResponse(200, roster()),
      [`GET /api/locations/${NOORD.id}/positions`]: () => jsonResponse(200, []),
      [`GET /api/locations/${NOORD.id}/crew`]: () => jsonResponse(200, noordCrew),
    });
    const { router } = renderApp(`/staff/crew?location=${VENUE.id}&status=active`);
    const user = userEvent.setup();
    await screen.findByRole('link', { name: 'Kim de Vries' });
    await user.selectOptions(screen.getByLabelText('Location'), 'Brasserie Noord');
    expect(await screen.findByRole('link', { name: 'Ali Yilmaz' })).toBeInTheDocument();
    expect(screen.getByText('The crew of Brasserie Noord: positions, contracted hours and status.')).toBeInTheDocument();
    expect(router.state.location.search).toBe(`?location=${NOORD.id}`);
    expect(requests.some((r) => r.url === `/api/locations/${NOORD.id}/crew`)).toBe(true);
    expect(localStorage.getItem('crewplots.crew.location')).toBe(NOORD.id);
  });

  it('opens on the venue chosen last time', async () => {
    localStorage.setItem('crewplots.crew.location', NOORD.id);
    mockApi({
      ...base(),
      'GET /api/locations': () => jsonResponse(200, [haven, noord]),
      [`GET /api/locations/${NOORD.id}/positions`]: () => jsonResponse(200, []),
      [`GET /api/locations/${NOORD.id}/crew`]: () => jsonResponse(200, []),
    });
    renderApp('/staff/crew');
    expect(await screen.findByText('The crew of Brasserie Noord: positions, contracted hours and status.')).toBeInTheDocument();
    expect(screen.getByLabelText('Location')).toHaveValue(NOORD.id);
  });

  it('moves between the tabs with the arrow keys', async () => {
    mockApi({
      ...base(),
      [`GET ${CREW}`]: () => jsonResponse(200, roster()),
      [`GET /api/locations/${VENUE.id}/competencies`]: () => jsonResponse(200, []),
    });
    const { router } = renderApp('/staff/crew');
    const user = userEvent.setup();
    await screen.findByRole('link', { name: 'Kim de Vries' });
    const crewTab = screen.getByRole('tab', { name: 'Crew members' });
    expect(crewTab).toHaveAttribute('aria-selected', 'true');
    crewTab.focus();
    await user.keyboard('{ArrowRight}');
    const catalogTab = screen.getByRole('tab', { name: 'Positions & competencies' });
    expect(catalogTab).toHaveAttribute('aria-selected', 'true');
    expect(catalogTab).toHaveFocus();
    expect(router.state.location.search).toBe('?tab=catalog');
    expect(await screen.findByRole('heading', { level: 2, name: 'Positions' })).toBeInTheDocument();
    await user.keyboard('{ArrowRight}');
    expect(screen.getByRole('tab', { name: 'Crew members' })).toHaveAttribute('aria-selected', 'true');
    expect(router.state.location.search).toBe('');
  });
});

describe('changing a membership', () => {
  function setup(patch: (request: RecordedRequest) => Response) {
    let current = roster();
    const api = mockApi({
      ...base(),
      [`GET ${CREW}`]: () => jsonResponse(200, current),
      [`PATCH ${CREW}/${KIM}`]: (request) => {
        const response = patch(request);
        if (response.ok) {
          const body = request.body as UpdateCrewRequest;
          current = current.map((m) =>
            m.person.id === KIM
              ? {
                  ...m,
                  positionIds: body.positionIds ?? m.positionIds,
                  contractedHours: body.contractedHours ?? m.contractedHours ?? null,
                  status: body.status ?? m.status,
                  startDate: body.startDate ?? m.startDate ?? null,
                }
              : m,
          );
        }
        return response;
      },
    });
    return api;
  }

  it('sends the positions, hours, start date and status and refreshes the roster', async () => {
    const { requests } = setup(() => jsonResponse(200, member()));
    renderApp('/staff/crew');
    const user = userEvent.setup();
    await screen.findByRole('link', { name: 'Kim de Vries' });
    await user.click(screen.getByRole('button', { name: 'Edit the membership of Kim de Vries' }));
    const dialog = await screen.findByRole('dialog', { name: 'Kim de Vries at Café De Haven' });

    // Archived positions are not offered to someone who does not hold one.
    const positionsGroup = within(dialog).getByRole('group', { name: 'Positions' });
    expect(within(positionsGroup).getAllByRole('checkbox').map((c) => c.parentElement!.textContent)).toEqual([
      'Bartender',
      'Waiter',
    ]);
    expect(within(positionsGroup).getByLabelText('Bartender')).toBeChecked();
    expect(within(dialog).getByLabelText(/^Contracted hours per week/)).toHaveValue('24');
    expect(within(dialog).getByLabelText(/^Start date/)).toHaveValue('2026-03-01');
    expect(within(dialog).getByLabelText(/^Status/)).toHaveValue('active');

    await user.click(within(positionsGroup).getByLabelText('Waiter'));
    await user.clear(within(dialog).getByLabelText(/^Contracted hours per week/));
    await user.type(within(dialog).getByLabelText(/^Contracted hours per week/), '32,5');
    await user.selectOptions(within(dialog).getByLabelText(/^Status/), 'On leave');
    expect(within(dialog).getByText('Stays on the crew but cannot be scheduled for now.')).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(await screen.findByText('The membership of Kim de Vries is saved.')).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    const sent = requests.filter((r) => r.method === 'PATCH');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe(`${CREW}/${KIM}`);
    expect(sent[0]!.body).toEqual({
      positionIds: [BAR, WAITER],
      status: 'on_leave',
      contractedHours: 32.5,
      startDate: '2026-03-01',
    } satisfies UpdateCrewRequest);
    await waitFor(() => expect(rowOf('Kim de Vries')).toHaveTextContent('On leave'));
    expect(rowOf('Kim de Vries')).toHaveTextContent('Bartender, Waiter');
    expect(rowOf('Kim de Vries')).toHaveTextContent('32.5 h');
  });

  it('leaves out hours and start date that were never set', async () => {
    const { requests } = mockApi({
      ...base(),
      [`GET ${CREW}`]: () => jsonResponse(200, roster()),
      [`PATCH ${CREW}/${EVA}`]: () => jsonResponse(200, roster()[2]),
    });
    renderApp('/staff/crew');
    const user = userEvent.setup();
    await screen.findByRole('link', { name: 'Eva Mulder' });
    await user.click(screen.getByRole('button', { name: 'Edit the membership of Eva Mulder' }));
    const dialog = await screen.findByRole('dialog', { name: 'Eva Mulder at Café De Haven' });
    // Never set: optional and empty (the start date is set, so it is not optional).
    expect(within(dialog).getByLabelText('Contracted hours per week (optional)')).toHaveValue('');
    await user.selectOptions(within(dialog).getByLabelText(/^Status/), 'Active');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(requests.some((r) => r.method === 'PATCH')).toBe(true));
    expect(requests.find((r) => r.method === 'PATCH')!.body).toEqual({
      positionIds: [],
      status: 'active',
      startDate: '2025-11-15',
    });
  });

  it('refuses hours out of range and clearing set hours or date before sending', async () => {
    const { requests } = setup(() => jsonResponse(200, member()));
    renderApp('/staff/crew');
    const user = userEvent.setup();
    await screen.findByRole('link', { name: 'Kim de Vries' });
    await user.click(screen.getByRole('button', { name: 'Edit the membership of Kim de Vries' }));
    const dialog = await screen.findByRole('dialog', { name: 'Kim de Vries at Café De Haven' });
    const hours = within(dialog).getByLabelText(/^Contracted hours per week/);

    await user.clear(hours);
    await user.type(hours, '81');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(within(dialog).getByText('Enter a number of hours from 0 to 80.')).toBeInTheDocument();
    expect(hours).toHaveAttribute('aria-invalid', 'true');

    await user.clear(hours);
    await user.type(hours, 'many');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(within(dialog).getByText('Enter a number of hours from 0 to 80.')).toBeInTheDocument();

    await user.clear(hours);
    await user.clear(within(dialog).getByLabelText(/^Start date/));
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(
      within(dialog).getByText('Contracted hours can be changed but not removed. Enter 0 for a zero-hours contract.'),
    ).toBeInTheDocument();
    expect(within(dialog).getByText('A start date can be changed but not removed.')).toBeInTheDocument();
    expect(requests.filter((r) => r.method === 'PATCH')).toHaveLength(0);

    // 0 is a zero-hours contract, not "no hours".
    await user.type(hours, '0');
    await user.type(within(dialog).getByLabelText(/^Start date/), '2026-04-01');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(requests.filter((r) => r.method === 'PATCH')).toHaveLength(1));
    expect(requests.find((r) => r.method === 'PATCH')!.body).toMatchObject({ contractedHours: 0, startDate: '2026-04-01' });
  });

  it('shows the server’s field errors on their fields and keeps the dialog open', async () => {
    const { requests } = setup(() =>
      errorResponse(422, 'validation_failed', { positionIds: 'unknown_position', contractedHours: 'out_of_range' }),
    );
    renderApp('/staff/crew');
    const user = userEvent.setup();
    await screen.findByRole('link', { name: 'Kim de Vries' });
    await user.click(screen.getByRole('button', { name: 'Edit the membership of Kim de Vries' }));
    const dialog = await screen.findByRole('dialog', { name: 'Kim de Vries at Café De Haven' });
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(await within(dialog).findByText('Choose one of the active positions of this location.')).toBeInTheDocument();
    expect(within(dialog).getByRole('group', { name: 'Positions' })).toHaveClass('field--invalid');
    expect(within(dialog).getByText('Enter a number of hours from 0 to 80.')).toBeInTheDocument();
    expect(within(dialog).getByLabelText(/^Contracted hours per week/)).toHaveAttribute('aria-invalid', 'true');
    // The fields say it all: no generic banner.
    expect(within(dialog).queryByText('Some fields need your attention.')).not.toBeInTheDocument();
    expect(screen.queryByText('The membership of Kim de Vries is saved.')).not.toBeInTheDocument();
    expect(requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
  });

  it('shows a banner for an error without fields', async () => {
    setup(() => errorResponse(403, 'forbidden'));
    renderApp('/staff/crew');
    const user = userEvent.setup();
    await screen.findByRole('link', { name: 'Kim de Vries' });
    await user.click(screen.getByRole('button', { name: 'Edit the membership of Kim de Vries' }));
    const dialog = await screen.findByRole('dialog', { name: 'Kim de Vries at Café De Haven' });
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('You are not allowed to do this.');
  });
});

describe('adding crew from another venue', () => {
  const candidates: CrewMember[] = [
    member({ person: { id: ALI, name: 'Ali Yilmaz', role: 'crew_member' }, locationId: NOORD.id, positionIds: [] }),
    member({ person: { id: JAN, name: 'Jan Smit', role: 'floor_manager' }, locationId: NOORD.id }),
  ];

  function setup(post: (request: RecordedRequest) => Response) {
    let current = roster().slice(0, 1);
    return mockApi({
      ...base(),
      'GET /api/locations': () => jsonResponse(200, [haven, noord]),
      [`GET ${CREW}`]: () => jsonResponse(200, current),
      [`GET ${CREW}/candidates`]: () => jsonResponse(200, candidates),
      [`POST ${CREW}`]: (request) => {
        const response = post(request);
        if (response.ok) {
          const body = request.body as AddCrewRequest;
          current = [
            ...current,
            member({
              person: candidates[0]!.person,
              positionIds: body.positionIds ?? [],
              contractedHours: body.contractedHours ?? null,
              startDate: body.startDate ?? null,
            }),
          ];
        }
        return response;
      },
    });
  }

  it('lists the candidates and posts the new membership', async () => {
    const { requests } = setup(() => jsonResponse(201, member({ person: candidates[0]!.person })));
    renderApp(`/staff/crew?location=${VENUE.id}`);
    const user = userEvent.setup();
    await screen.findByRole('link', { name: 'Kim de Vries' });
    await user.click(screen.getByRole('button', { name: 'Add crew from another venue' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add crew to Café De Haven' });
    const list = await within(dialog).findByRole('list', { name: 'Crew of other venues' });
    const items = within(list).getAllByRole('listitem');
    expect(items.map((i) => i.textContent)).toEqual([
      expect.stringContaining('Ali Yilmaz'),
      expect.stringContaining('Jan Smit'),
    ]);
    expect(items[0]).toHaveTextContent('Crew member · works at Brasserie Noord');
    expect(items[1]).toHaveTextContent('Floor manager · works at Brasserie Noord');

    await user.click(within(dialog).getByRole('button', { name: 'Choose Ali Yilmaz' }));
    expect(screen.getByRole('dialog', { name: 'Add Ali Yilmaz to Café De Haven' })).toBe(dialog);
    const group = within(dialog).getByRole('group', { name: 'Positions' });
    expect(within(group).getAllByRole('checkbox')).toHaveLength(2);
    expect(within(group).queryByLabelText('Dishwasher')).not.toBeInTheDocument();
    await user.click(within(group).getByLabelText('Waiter'));
    await user.type(within(dialog).getByLabelText(/^Contracted hours per week/), '20,5');
    await user.type(within(dialog).getByLabelText(/^Start date/), '2026-06-01');
    await user.click(within(dialog).getByRole('button', { name: 'Add to the crew' }));

    expect(await screen.findByText('Ali Yilmaz is now on the crew of Café De Haven.')).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    const posts = requests.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.url).toBe(CREW);
    expect(posts[0]!.body).toEqual({
      userId: ALI,
      positionIds: [WAITER],
      contractedHours: 20.5,
      startDate: '2026-06-01',
    } satisfies AddCrewRequest);
    expect(await screen.findByRole('link', { name: 'Ali Yilmaz' })).toBeInTheDocument();
    expect(rowOf('Ali Yilmaz')).toHaveTextContent('Waiter');
    expect(rowOf('Ali Yilmaz')).toHaveTextContent('20.5 h');
  });

  it('sends null for hours and date left empty', async () => {
    const { requests } = setup(() => jsonResponse(201, member({ person: candidates[0]!.person })));
    renderApp('/staff/crew');
    const user = userEvent.setup();
    await screen.findByRole('link', { name: 'Kim de Vries' });
    await user.click(screen.getByRole('button', { name: 'Add crew from another venue' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(await within(dialog).findByRole('button', { name: 'Choose Ali Yilmaz' }));
    await user.click(within(dialog).getByRole('button', { name: 'Add to the crew' }));
    await waitFor(() => expect(requests.some((r) => r.method === 'POST')).toBe(true));
    expect(requests.find((r) => r.method === 'POST')!.body).toEqual({
      userId: ALI,
      positionIds: [],
      contractedHours: null,
      startDate: null,
    });
  });

  it('refuses hours out of range, and shows the server’s refusals', async () => {
    let answer: Response = errorResponse(409, 'already_crew');
    const { requests } = setup(() => answer);
    renderApp('/staff/crew');
    const user = userEvent.setup();
    await screen.findByRole('link', { name: 'Kim de Vries' });
    await user.click(screen.getByRole('button', { name: 'Add crew from another venue' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(await within(dialog).findByRole('button', { name: 'Choose Ali Yilmaz' }));
    const hours = within(dialog).getByLabelText(/^Contracted hours per week/);
    await user.type(hours, '90');
    await user.click(within(dialog).getByRole('button', { name: 'Add to the crew' }));
    expect(within(dialog).getByText('Enter a number of hours from 0 to 80.')).toBeInTheDocument();
    expect(requests.filter((r) => r.method === 'POST')).toHaveLength(0);

    await user.clear(hours);
    await user.type(hours, '12');
    await user.click(within(dialog).getByRole('button', { name: 'Add to the crew' }));
    expect(await within(dialog).findByText('This person is already on the crew of this location.')).toBeInTheDocument();

    answer = errorResponse(422, 'validation_failed', { userId: 'not_crew_elsewhere' });
    await user.click(within(dialog).getByRole('button', { name: 'Add to the crew' }));
    expect(
      await within(dialog).findByText('This person is not on the crew of one of your other venues.'),
    ).toBeInTheDocument();
    // One message, not a generic banner on top of it.
    expect(within(dialog).getAllByRole('alert')).toHaveLength(1);

    answer = errorResponse(422, 'validation_failed', { positionIds: 'unknown_position', startDate: 'invalid_date' });
    await user.click(within(dialog).getByRole('button', { name: 'Add to the crew' }));
    expect(await within(dialog).findByText('Choose one of the active positions of this location.')).toBeInTheDocument();
    expect(within(dialog).getByLabelText(/^Start date/)).toHaveAttribute('aria-invalid', 'true');
    expect(within(dialog).queryByRole('alert')).not.toBeInTheDocument();
    expect(requests.filter((r) => r.method === 'POST')).toHaveLength(3);

    // Back to the list, with the error gone.
    await user.click(within(dialog).getByRole('button', { name: 'Choose someone else' }));
    expect(within(dialog).getByRole('button', { name: 'Choose Jan Smit' })).toBeInTheDocument();
  });

  it('says so when there is nobody to add', async () => {
    mockApi({
      ...base(),
      [`GET ${CREW}`]: () => jsonResponse(200, roster()),
      [`GET ${CREW}/candidates`]: () => jsonResponse(200, []),
    });
    renderApp('/staff/crew');
    const user = userEvent.setup();
    await screen.findByRole('link', { name: 'Kim de Vries' });
    await user.click(screen.getByRole('button', { name: 'Add crew from another venue' }));
    expect(
      await screen.findByText('Everyone on the crew of your other venues already works here.'),
    ).toBeInTheDocument();
  });

  it('searches a long list by name', async () => {
    const many = ['Anna', 'Bram', 'Cas', 'Daan', 'Emma', 'Fleur', 'Gijs'].map((name, i) =>
      member({ person: { id: `3100000${i}-0000-4000-8000-000000000000`, name: `${name} Visser`, role: 'crew_member' } }),
    );
    mockApi({
      ...base(),
      [`GET ${CREW}`]: () => jsonResponse(200, roster()),
      [`GET ${CREW}/candidates`]: () => jsonResponse(200, many),
    });
    renderApp('/staff/crew');
    const user = userEvent.setup();
    await screen.findByRole('link', { name: 'Kim de Vries' });
    await user.click(screen.getByRole('button', { name: 'Add crew from another venue' }));
    const dialog = await screen.findByRole('dialog');
    const list = await within(dialog).findByRole('list', { name: 'Crew of other venues' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(7);
    await user.type(within(dialog).getByLabelText('Search by name'), 'fLEU');
    expect(within(list).getAllByRole('listitem').map((i) => i.querySelector('strong')!.textContent)).toEqual(['Fleur Visser']);
    await user.type(within(dialog).getByLabelText('Search by name'), 'x');
    expect(within(dialog).getByText('Nobody matches this name.')).toBeInTheDocument();
  });
});
