import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CreatedWeek, WeekGrid } from '../../api/schedulingTypes';
import { errorResponse, jsonResponse, mockApi, renderApp } from '../../test/utils';
import { currentIsoWeek } from './isoWeek';
import {
  eva,
  grid,
  jan,
  kim,
  LOC,
  reason,
  S_MON,
  S_SAT,
  scheduleMe,
  summary,
  venue,
  WEEK,
  WEEK_ID,
} from './week/testData';

afterEach(() => vi.unstubAllGlobals());

// The test browser speaks en-US: "Mon, Mar 2".

const PATH = `/staff/schedule/${LOC}/${WEEK}`;
const GRID = `GET /api/locations/${LOC}/weeks/${WEEK}`;

function base(role: 'manager' | 'floor_manager' = 'manager') {
  return {
    'GET /api/auth/me': () => jsonResponse(200, scheduleMe(role)),
    'GET /api/locations': () => jsonResponse(200, [venue]),
    [`GET /api/locations/${LOC}/weeks`]: () => jsonResponse(200, [summary('2026-W09'), summary('2026-W11', 'draft')]),
    [`GET /api/locations/${LOC}/templates`]: () => jsonResponse(200, []),
  };
}

const shiftCard = (id: string) => document.querySelector<HTMLElement>(`[data-testid="shift"][data-shift-id="${id}"]`)!;

describe('the manager’s week', () => {
  it('draws the grid: shifts with times, position, people and open slots, the state and the coverage', async () => {
    mockApi({ ...base(), [GRID]: () => jsonResponse(200, grid()) });
    renderApp(PATH);
    expect(await screen.findByRole('heading', { level: 1, name: 'Schedule of Café De Haven' })).toBeInTheDocument();
    await screen.findByTestId('week-grid');

    expect(screen.getByTestId('week-status')).toHaveTextContent('Draft');
    expect(screen.getByText('5 unpublished changes')).toBeInTheDocument();
    expect(screen.getByTestId('publish')).toHaveTextContent('Publish');

    const cards = screen.getAllByTestId('shift');
    expect(cards).toHaveLength(3);
    const monday = shiftCard(S_MON);
    expect(monday).toHaveAttribute('data-date', '2026-03-02');
    expect(monday).toHaveAttribute('data-position', 'Bartender');
    expect(monday).toHaveTextContent('18:00–23:00');
    expect(monday).toHaveTextContent('1/2 filled');
    expect(within(monday).getAllByTestId('assignee').map((a) => a.getAttribute('data-user-id'))).toEqual([kim.id]);
    expect(within(monday).getAllByTestId('assign')).toHaveLength(1);

    const friday = screen.getAllByTestId('shift').find((c) => c.getAttribute('data-date') === '2026-03-06')!;
    expect(friday).toHaveTextContent('22:00–03:00');
    expect(friday).toHaveTextContent('+1 day');
    const janChip = within(friday).getByTestId('assignee');
    expect(janChip).toHaveAttribute('data-user-id', jan.id);
    expect(janChip).toHaveTextContent('Override');
    expect(janChip).toHaveTextContent('Rest too short');
    expect(within(friday).queryByTestId('assign')).not.toBeInTheDocument();

    const saturday = shiftCard(S_SAT);
    expect(saturday).toHaveAttribute('data-position', 'Waiter');
    expect(within(saturday).getAllByTestId('assign')).toHaveLength(2);
    expect(saturday).toHaveTextContent('30 min break');
    expect(saturday).toHaveTextContent('Terrace');

    const coverage = screen.getByTestId('coverage');
    expect(coverage).toHaveTextContent('2 of 5 slots filled');
    expect(within(coverage).getByText('Bartender: 1 open of 2')).toBeInTheDocument();
    expect(within(coverage).getByText('Waiter: 2 open of 2')).toBeInTheDocument();

    const crew = screen.getByRole('region', { name: 'Crew' });
    expect(crew).toHaveTextContent('45 of 20 h this week');
    expect(crew).toHaveTextContent('5 h here');
    expect(crew).toHaveTextContent('Over contract hours');
    expect(within(crew).getByRole('button', { name: /Drag Kim de Vries/ })).toBeInTheDocument();
    // Drafts have no history.
    expect(screen.queryByRole('region', { name: 'Change history' })).not.toBeInTheDocument();
  });

  it('opens this week of the remembered location from /staff/schedule', async () => {
    mockApi({ ...base(), [`GET /api/locations/${LOC}/weeks/${currentIsoWeek(venue.timezone)}`]: () => jsonResponse(200, grid()) });
    const { router } = renderApp('/staff/schedule');
    await waitFor(() => expect(router.state.location.pathname).toBe(`/staff/schedule/${LOC}/${currentIsoWeek(venue.timezone)}`));
    await screen.findByTestId('week-grid');
  });

  it('navigates between weeks', async () => {
    mockApi({ ...base(), [GRID]: () => jsonResponse(200, grid()) });
    const { router } = renderApp(PATH);
    const user = userEvent.setup();
    await screen.findByTestId('week-grid');
    await user.click(screen.getByRole('button', { name: 'Next week (Week 11, 2026)' }));
    expect(router.state.location.pathname).toBe(`/staff/schedule/${LOC}/2026-W11`);
    await user.selectOptions(await screen.findByLabelText('Go to week'), '2026-W09');
    expect(router.state.location.pathname).toBe(`/staff/schedule/${LOC}/2026-W09`);
  });

  it('offers to create a missing week and posts the chosen source, then lists who was not copied', async () => {
    let exists = false;
    const created: CreatedWeek = {
      week: grid().week,
      shifts: 3,
      assignmentsCopied: 1,
      notCopied: [{ person: jan, shiftId: S_MON, reasons: [reason('rest_too_short', 'overridable', 'Rest 9 h, minimum 11 h.')] }],
    };
    const { requests } = mockApi({
      ...base(),
      [GRID]: () => (exists ? jsonResponse(200, grid()) : errorResponse(404, 'week_not_found', { isoWeek: WEEK })),
      [`POST /api/locations/${LOC}/weeks`]: () => {
        exists = true;
        return jsonResponse(201, created);
      },
    });
    renderApp(PATH);
    const user = userEvent.setup();
    const form = await screen.findByTestId('create-week');
    expect(form).toHaveTextContent('Week 10, 2026 has not been created yet');
    expect(within(form).getByLabelText('A template')).toBeDisabled();

    await user.click(within(form).getByLabelText('A copy of another week'));
    expect(within(form).getByLabelText('Week to copy')).toHaveValue('2026-W09');
    await user.click(within(form).getByLabelText(/Also copy who works which shift/));
    await user.click(within(form).getByRole('button', { name: 'Create week' }));

    await screen.findByTestId('week-grid');
    const sent = requests.find((r) => r.method === 'POST');
    expect(sent?.body).toEqual({ isoWeek: WEEK, source: 'copy', copyFrom: '2026-W09', withAssignments: true });
    const notCopied = screen.getByTestId('not-copied');
    expect(notCopied).toHaveAttribute('data-user-id', jan.id);
    expect(notCopied).toHaveTextContent('Jan Smit');
    expect(notCopied).toHaveTextContent('Mon, Mar 2 18:00–23:00, Bartender');
    expect(notCopied).toHaveTextContent('Rest 9 h, minimum 11 h.');
    expect(screen.getByText('1 person could not be copied:')).toBeInTheDocument();
  });

  it('creates an empty week with the minimal request', async () => {
    const { requests } = mockApi({
      ...base(),
      [GRID]: () => errorResponse(404, 'week_not_found'),
      [`POST /api/locations/${LOC}/weeks`]: () => errorResponse(409, 'week_exists'),
    });
    renderApp(PATH);
    const user = userEvent.setup();
    const form = await screen.findByTestId('create-week');
    await user.click(within(form).getByRole('button', { name: 'Create week' }));
    expect(await within(form).findByText('This week already exists. It has been loaded.')).toBeInTheDocument();
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual({ isoWeek: WEEK, source: 'empty', withAssignments: false });
  });

  it('shows a floor manager no create panel, no publish button and no shift editing once published', async () => {
    mockApi({ ...base('floor_manager'), [GRID]: () => errorResponse(404, 'week_not_found') });
    renderApp(PATH);
    expect(await screen.findByText('A manager of this location can create it.')).toBeInTheDocument();
    expect(screen.queryByTestId('create-week')).not.toBeInTheDocument();
  });

  it('lets a floor manager assign in a published week but not change its shifts', async () => {
    const published: WeekGrid = grid({
      week: { ...grid().week, status: 'published', publishedVersion: 6, publishedAt: '2026-02-27T10:00:00Z' },
    });
    mockApi({ ...base('floor_manager'), [GRID]: () => jsonResponse(200, published), [`GET /api/weeks/${WEEK_ID}/changes`]: () => jsonResponse(200, []) });
    renderApp(PATH);
    await screen.findByTestId('week-grid');
    expect(screen.getByTestId('week-status')).toHaveTextContent('Published');
    expect(screen.queryByTestId('publish')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Add shift' })).not.toBeInTheDocument();
    expect(within(shiftCard(S_MON)).queryByRole('button', { name: /^Edit/ })).not.toBeInTheDocument();
    expect(within(shiftCard(S_MON)).getByTestId('assign')).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Change history' })).toBeInTheDocument();
  });

  it('adds a shift, and reloads the week when someone else changed it first (409 week_changed)', async () => {
    let gridCalls = 0;
    let version = 7;
    const { requests } = mockApi({
      ...base(),
      [GRID]: () => {
        gridCalls += 1;
        return jsonResponse(200, grid({ week: { ...grid().week, version } }));
      },
      [`POST /api/weeks/${WEEK_ID}/shifts`]: () => {
        version = 8;
        return errorResponse(409, 'week_changed', { currentVersion: '8' });
      },
    });
    renderApp(PATH);
    const user = userEvent.setup();
    await screen.findByTestId('week-grid');
    expect(gridCalls).toBe(1);

    await user.click(screen.getByRole('button', { name: 'Add a Waiter shift on Tuesday, March 3' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add a shift on Tuesday, March 3' });
    expect(within(dialog).getByLabelText('Position')).toHaveValue(grid().positions[1]!.id);
    await user.clear(within(dialog).getByLabelText('Start'));
    await user.type(within(dialog).getByLabelText('Start'), '22:00');
    await user.clear(within(dialog).getByLabelText('End'));
    await user.type(within(dialog).getByLabelText('End'), '02:00');
    expect(within(dialog).getByText('+1 day')).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Add shift' }));

    expect(await within(dialog).findByText(/Someone else changed this week in the meantime/)).toBeInTheDocument();
    await waitFor(() => expect(gridCalls).toBe(2));
    const sent = requests.find((r) => r.method === 'POST');
    expect(sent?.body).toMatchObject({
      date: '2026-03-03',
      positionId: grid().positions[1]!.id,
      start: '22:00',
      end: '02:00',
      breakMinutes: 0,
      slots: 1,
      expectedVersion: 7,
    });
  });

  it('shows the server’s field errors on the shift form', async () => {
    mockApi({
      ...base(),
      [GRID]: () => jsonResponse(200, grid()),
      [`PATCH /api/shifts/${S_MON}`]: () => errorResponse(422, 'validation_failed', { start: 'invalid_local_time' }),
    });
    renderApp(PATH);
    const user = userEvent.setup();
    await screen.findByTestId('week-grid');
    await user.click(within(shiftCard(S_MON)).getByRole('button', { name: /^Edit/ }));
    const dialog = await screen.findByRole('dialog', { name: /^Edit Mon, Mar 2 18:00–23:00/ });
    await user.click(within(dialog).getByRole('button', { name: 'Save shift' }));
    expect(await within(dialog).findByText(/This time does not exist that day/)).toBeInTheDocument();
    expect(within(dialog).getByLabelText('Start')).toHaveAttribute('aria-invalid', 'true');
  });

  it('marks approved time off on the days it covers, without its category', async () => {
    const week = grid();
    week.people = week.people.map((p) =>
      p.person.id === kim.id
        ? {
            ...p,
            // Wednesday 4 March 00:00 until Friday 6 March 00:00 in Amsterdam: Wednesday and Thursday.
            timeOff: [{ startsAt: '2026-03-03T23:00:00Z', endsAt: '2026-03-05T23:00:00Z' }],
          }
        : p.person.id === jan.id
          ? // From the Sunday before until after the week: all of it.
            { ...p, timeOff: [{ startsAt: '2026-03-01T10:00:00Z', endsAt: '2026-03-10T12:00:00Z' }] }
          : p,
    );
    mockApi({ ...base(), [GRID]: () => jsonResponse(200, week) });
    renderApp(PATH);
    const crew = await screen.findByRole('region', { name: 'Crew' });
    const person = (id: string) => crew.querySelector<HTMLElement>(`[data-user-id="${id}"]`)!;
    expect(within(person(kim.id)).getByTestId('person-time-off')).toHaveTextContent('Time off: Wed, Mar 4, Thu, Mar 5');
    expect(person(kim.id)).not.toHaveTextContent('Fri, Mar 6');
    expect(within(person(jan.id)).getByTestId('person-time-off')).toHaveTextContent('Time off all week');
    expect(within(person(eva.id)).queryByTestId('person-time-off')).not.toBeInTheDocument();
  });
});
