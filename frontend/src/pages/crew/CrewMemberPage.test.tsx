import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CrewPage, UpdateCrewRequest } from '../../api/schedulingTypes';
import {
  assessment,
  BAR,
  COCKTAILS,
  competency,
  crewMe,
  crewPage,
  KIM,
  member,
  membership,
  NOORD,
  position,
  reason,
  REGISTER,
  upcoming,
  VENUE,
  WAITER,
  WINE,
} from '../../test/crewData';
import { errorResponse, jsonResponse, mockApi, renderApp } from '../../test/utils';

afterEach(() => vi.unstubAllGlobals());

const PAGE = `/api/crew/${KIM}`;
const PATH = `/staff/crew/${KIM}`;

function base(page: () => CrewPage, role: 'manager' | 'floor_manager' = 'manager') {
  return {
    'GET /api/auth/me': () => jsonResponse(200, crewMe(role)),
    [`GET ${PAGE}`]: () => jsonResponse(200, page()),
  };
}

const section = (name: string) => screen.getByRole('heading', { level: 2, name }).closest('section')!;
const matrixRow = (competencyId: string) => document.querySelector<HTMLElement>(`tr[data-competency="${competencyId}"]`)!;

const NOORD_SKILL = '21000000-0000-4000-8000-000000000020';
const noordMembership = membership({
  location: NOORD,
  member: member({ locationId: NOORD.id, positionIds: [], contractedHours: null, startDate: null, status: 'on_leave' }),
  positions: [],
  competencies: [competency({ id: NOORD_SKILL, locationId: NOORD.id, name: 'Espresso' })],
  canManage: false,
});

describe('a crew member’s page', () => {
  it('shows this week’s hours against the contract with the rule engine’s warnings', async () => {
    mockApi(base(() => crewPage()));
    renderApp(PATH);
    expect(await screen.findByRole('heading', { level: 1, name: 'Kim de Vries' })).toBeInTheDocument();
    expect(screen.getByText('Crew member', { selector: 'p' })).toBeInTheDocument();
    const week = screen.getByRole('region', { name: 'This week (week 19)' });
    expect(week).toHaveTextContent('2026-W19');
    expect(week).toHaveTextContent('30 h scheduled of 24 h contracted');
    expect(week.querySelector('.hours-bar')).toHaveClass('is-over');
    const warnings = within(week).getByRole('status');
    expect(warnings).toHaveTextContent('Warnings');
    expect(within(warnings).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      '30 h this week is more than the 24 h contracted.',
    ]);
  });

  it('writes the week number without a leading zero and every warning in its own words', async () => {
    mockApi(
      base(() =>
        crewPage({
          thisWeek: {
            isoWeek: '2026-W09',
            minutes: 2790,
            contractMinutes: null,
            reasons: [
              reason({
                code: 'rest_too_short',
                figures: { minutes: 600, limitMinutes: 660, otherLocation: 'Brasserie Noord' },
              }),
              reason({ code: 'seventh_day', figures: { days: 7 } }),
              reason({ code: 'over_weekly_max', figures: { minutes: 2790, limitMinutes: 2400 } }),
              reason({ code: 'something_new', message: 'A rule the UI does not know yet.', figures: {} }),
            ],
          },
        }),
      ),
    );
    renderApp(PATH);
    const week = await screen.findByRole('region', { name: 'This week (week 9)' });
    expect(week).toHaveTextContent('46.5 h scheduled (no contracted hours)');
    expect(week.querySelector('.hours-bar')).not.toHaveClass('is-over');
    expect(within(within(week).getByRole('status')).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'Only 10 h of rest before or after a shift at Brasserie Noord; the minimum is 11 h.',
      'No day off in 7 days in a row.',
      '46.5 h this week is more than the weekly maximum of 40 h.',
      'A rule the UI does not know yet.',
    ]);
  });

  it('has no warnings box and no over-bar when within the contract', async () => {
    mockApi(base(() => crewPage({ thisWeek: { isoWeek: '2026-W19', minutes: 720, contractMinutes: 1440, reasons: [] } })));
    renderApp(PATH);
    const week = await screen.findByRole('region', { name: 'This week (week 19)' });
    expect(week).toHaveTextContent('12 h scheduled of 24 h contracted');
    expect(within(week).queryByRole('status')).not.toBeInTheDocument();
    expect(week.querySelector<HTMLElement>('.hours-bar__fill')!.style.width).toBe('50%');
    expect(week.querySelector('.hours-bar')).not.toHaveClass('is-over');
  });

  it('shows the memberships, the competency levels with the last assessment, the history and upcoming shifts', async () => {
    mockApi(base(() => crewPage()));
    renderApp(PATH);
    await screen.findByRole('heading', { level: 1, name: 'Kim de Vries' });

    const card = screen.getByRole('article', { name: 'Café De Haven' });
    expect(card).toHaveTextContent('Active');
    expect(card).toHaveTextContent('PositionsBartender');
    expect(card).toHaveTextContent('Hours per week24 h');
    expect(card).toHaveTextContent('Start dateMar 1, 2026');
    expect(within(card).getByRole('button', { name: 'Edit the membership at Café De Haven' })).toBeInTheDocument();

    const matrix = screen.getByRole('table', { name: 'Café De Haven' });
    expect(within(matrix).getAllByRole('row')).toHaveLength(3); // header, Cocktails, Cash register (archived Wine at 0 is left out)
    expect(matrixRow(WINE)).toBeNull();
    const cocktails = matrixRow(COCKTAILS);
    expect(within(cocktails).getByRole('img', { name: 'Level 3 of 5' })).toBeInTheDocument();
    expect(cocktails.querySelectorAll('.level-dots__dot.is-on')).toHaveLength(3);
    expect(cocktails).toHaveTextContent('Apr 10, 2026 by Mila Bakker — Made 40 cocktails on a busy Saturday');
    const register = matrixRow(REGISTER);
    expect(within(register).getByRole('img', { name: 'Level 0 of 5' })).toBeInTheDocument();
    expect(register).toHaveTextContent('Not assessed yet');
    expect(within(register).getByRole('button', { name: 'Set the level of Cash register' })).toBeInTheDocument();

    const history = within(section('Assessment history')).getAllByRole('listitem');
    expect(history).toHaveLength(2);
    expect(history[0]).toHaveTextContent('Cocktails');
    expect(within(history[0]!).getByRole('img', { name: 'Level 3 of 5' })).toBeInTheDocument();
    expect(history[0]).toHaveTextContent('Apr 10, 2026 by Mila Bakker');
    expect(history[1]).toHaveTextContent('Jan 5, 2026 by Sam Jansen');
    expect(history[1]).toHaveTextContent('First week behind the bar');
    expect(within(history[1]!).getByRole('img', { name: 'Level 1 of 5' })).toBeInTheDocument();
    // One location: no location names in the history.
    expect(history[0]).not.toHaveTextContent('Café De Haven');

    const shifts = within(section('Upcoming shifts')).getAllByRole('listitem');
    expect(shifts).toHaveLength(1);
    expect(shifts[0]).toHaveTextContent('Fri, May 8');
    expect(shifts[0]).toHaveTextContent('17:00–23:30');
    expect(shifts[0]).toHaveTextContent('Bartender');
    expect(shifts[0]).toHaveTextContent('6 h paid');
    expect(shifts[0]).not.toHaveTextContent('Not published yet');
  });

  it('names the location of each membership, assessment and shift when there are several', async () => {
    mockApi(
      base(() =>
        crewPage({
          memberships: [
            membership({ member: member({ positionIds: [BAR, WAITER] }), positions: [position(), position({ id: WAITER, name: 'Waiter' })] }),
            noordMembership,
          ],
          levels: [assessment(), assessment({ competencyId: NOORD_SKILL, level: 5, note: null, assessor: null, assessedOn: '2026-02-02' })],
          history: [assessment({ competencyId: NOORD_SKILL, level: 5, note: null, assessor: null, assessedOn: '2026-02-02' }), assessment()],
          upcoming: [
            upcoming(),
            upcoming({
              shiftId: '40000000-0000-4000-8000-000000000002',
              location: NOORD,
              positionName: 'Barista',
              date: '2026-05-09',
              localStart: '08:00',
              localEnd: '12:15',
              paidMinutes: 255,
              published: false,
            }),
          ],
        }),
      ),
    );
    renderApp(PATH);
    await screen.findByRole('heading', { level: 1, name: 'Kim de Vries' });

    expect(screen.getByRole('article', { name: 'Café De Haven' })).toHaveTextContent('Bartender, Waiter');
    const noordCard = screen.getByRole('article', { name: 'Brasserie Noord' });
    expect(noordCard).toHaveTextContent('On leave');
    expect(noordCard).toHaveTextContent('No position');
    expect(noordCard).toHaveTextContent('Flexible');
    expect(noordCard).toHaveTextContent('Start date—');
    // Not a manager there: no changes.
    expect(within(noordCard).queryByRole('button')).not.toBeInTheDocument();
    const noordMatrix = screen.getByRole('table', { name: 'Brasserie Noord' });
    expect(within(noordMatrix).queryByRole('button')).not.toBeInTheDocument();
    expect(matrixRow(NOORD_SKILL)).toHaveTextContent('Feb 2, 2026');
    expect(within(matrixRow(NOORD_SKILL)).getByRole('img', { name: 'Level 5 of 5' })).toBeInTheDocument();

    const history = within(section('Assessment history')).getAllByRole('listitem');
    expect(history[0]).toHaveTextContent('Espresso · Brasserie Noord');
    expect(history[1]).toHaveTextContent('Cocktails · Café De Haven');

    const shifts = within(section('Upcoming shifts')).getAllByRole('listitem');
    expect(shifts[0]).toHaveTextContent('Bartender · Café De Haven');
    expect(shifts[1]).toHaveTextContent('Sat, May 9');
    expect(shifts[1]).toHaveTextContent('08:00–12:15');
    expect(shifts[1]).toHaveTextContent('Barista · Brasserie Noord');
    expect(shifts[1]).toHaveTextContent('4.25 h paid');
    expect(shifts[1]).toHaveTextContent('Not published yet');
  });

  it('keeps an archived competency while the person holds a level in it, without a button', async () => {
    mockApi(base(() => crewPage({ levels: [assessment(), assessment({ competencyId: WINE, level: 2 })] })));
    renderApp(PATH);
    await screen.findByRole('heading', { level: 1, name: 'Kim de Vries' });
    const wine = matrixRow(WINE);
    expect(wine).toHaveTextContent('Wine');
    expect(wine).toHaveTextContent('archived');
    expect(within(wine).queryByRole('button')).not.toBeInTheDocument();
  });

  it('shows the first ten assessments and the rest on request', async () => {
    const history = Array.from({ length: 12 }, (_, i) =>
      assessment({ level: i % 6, assessedOn: `2026-01-${String(20 - i).padStart(2, '0')}`, recordedAt: `2026-01-${String(20 - i).padStart(2, '0')}T10:00:00Z` }),
    );
    mockApi(base(() => crewPage({ history })));
    renderApp(PATH);
    const user = userEvent.setup();
    await screen.findByRole('heading', { level: 1, name: 'Kim de Vries' });
    expect(within(section('Assessment history')).getAllByRole('listitem')).toHaveLength(10);
    await user.click(screen.getByRole('button', { name: 'Show all 12 assessments' }));
    expect(within(section('Assessment history')).getAllByRole('listitem')).toHaveLength(12);
    expect(screen.queryByRole('button', { name: /Show all/ })).not.toBeInTheDocument();
  });

  it('says so when there is nothing to show', async () => {
    mockApi(
      base(() =>
        crewPage({
          memberships: [membership({ competencies: [] })],
          levels: [],
          history: [],
          upcoming: [],
        }),
      ),
    );
    renderApp(PATH);
    await screen.findByRole('heading', { level: 1, name: 'Kim de Vries' });
    expect(screen.getByText('This location has no competencies yet.')).toBeInTheDocument();
    expect(screen.getByText('No assessments yet.')).toBeInTheDocument();
    expect(screen.getByText('No upcoming shifts.')).toBeInTheDocument();
  });

  it('is read-only for a floor manager (the server says so per membership)', async () => {
    mockApi(base(() => crewPage({ memberships: [membership({ canManage: false })] }), 'floor_manager'));
    renderApp(PATH);
    await screen.findByRole('heading', { level: 1, name: 'Kim de Vries' });
    expect(screen.queryByRole('button', { name: /Edit the membership/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Set the level/ })).not.toBeInTheDocument();
  });

  it('says when the person is not on any of the caller’s crews', async () => {
    mockApi({
      'GET /api/auth/me': () => jsonResponse(200, crewMe('manager')),
      [`GET ${PAGE}`]: () => errorResponse(404, 'not_found'),
    });
    renderApp(PATH);
    expect(await screen.findByText('This person is not on the crew of any of your locations.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /Back to the crew/ })).toHaveAttribute('href', '/staff/crew');
  });

  it('changes the membership at one location and shows the new values', async () => {
    let page = crewPage();
    const { requests } = mockApi({
      'GET /api/auth/me': () => jsonResponse(200, crewMe('manager')),
      [`GET ${PAGE}`]: () => jsonResponse(200, page),
      [`PATCH /api/locations/${VENUE.id}/crew/${KIM}`]: (request) => {
        const body = request.body as UpdateCrewRequest;
        const updated = member({ positionIds: body.positionIds!, contractedHours: body.contractedHours!, status: body.status! });
        page = crewPage({ memberships: [membership({ member: updated })] });
        return jsonResponse(200, updated);
      },
    });
    renderApp(PATH);
    const user = userEvent.setup();
    await screen.findByRole('heading', { level: 1, name: 'Kim de Vries' });
    await user.click(screen.getByRole('button', { name: 'Edit the membership at Café De Haven' }));
    const dialog = await screen.findByRole('dialog', { name: 'Kim de Vries at Café De Haven' });
    await user.click(within(dialog).getByLabelText('Bartender'));
    await user.click(within(dialog).getByLabelText('Waiter'));
    await user.clear(within(dialog).getByLabelText(/^Contracted hours per week/));
    await user.type(within(dialog).getByLabelText(/^Contracted hours per week/), '16');
    await user.selectOptions(within(dialog).getByLabelText(/^Status/), 'Inactive');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('The membership of Kim de Vries is saved.')).toBeInTheDocument();
    expect(requests.find((r) => r.method === 'PATCH')!.body).toEqual({
      positionIds: [WAITER],
      status: 'inactive',
      contractedHours: 16,
      startDate: '2026-03-01',
    });
    const card = screen.getByRole('article', { name: 'Café De Haven' });
    await waitFor(() => expect(card).toHaveTextContent('Inactive'));
    expect(card).toHaveTextContent('PositionsWaiter');
    expect(card).toHaveTextContent('16 h');
  });
});
