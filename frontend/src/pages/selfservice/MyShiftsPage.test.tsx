import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { errorResponse, jsonResponse, mockApi, renderApp } from '../../test/utils';
import { crewMe, DOK, myShift, myShifts } from './testData';

afterEach(() => vi.unstubAllGlobals());

// The test browser speaks en-US: "Thu, Dec 10", "Friday, December 11".

const shiftsCalls = (requests: { url: string }[]) => requests.filter((r) => r.url.startsWith('/api/me/shifts')).map((r) => r.url);

const card = (id: string) => {
  const found = screen.getAllByTestId('my-shift').find((el) => el.getAttribute('data-assignment-id') === id);
  if (!found) throw new Error(`no shift ${id}`);
  return found;
};

function fullWeek() {
  return myShifts({
    todayShifts: [
      myShift({
        assignmentId: 'a-today',
        date: '2026-12-10',
        breakMinutes: 30,
        paidMinutes: 330,
        colleagues: ['Bram', 'Cas'],
        note: 'Christmas drinks for the staff',
      }),
    ],
    upcoming: [
      myShift({ assignmentId: 'a-fri-1', date: '2026-12-11', positionName: 'Floor', localStart: '10:00', localEnd: '16:00' }),
      myShift({
        assignmentId: 'a-fri-2',
        date: '2026-12-11',
        location: DOK,
        positionName: 'Kitchen',
        localStart: '22:00',
        localEnd: '02:00',
        paidMinutes: 240,
        colleagues: ['Eva'],
      }),
      myShift({ assignmentId: 'a-mon', date: '2026-12-14' }),
    ],
    past: [
      myShift({ assignmentId: 'p-new', date: '2026-12-08', positionName: 'Runner' }),
      myShift({ assignmentId: 'p-old', date: '2026-12-01' }),
    ],
    hours: { isoWeek: '2026-W50', weekMinutes: 450, month: '2026-12', monthMinutes: 1800, contractedMinutes: 1440 },
  });
}

describe('my shifts', () => {
  it('shows today on top, the coming shifts per day, the folded past and my hours', async () => {
    const { requests } = mockApi({
      'GET /api/auth/me': () => jsonResponse(200, crewMe()),
      'GET /api/me/shifts': () => jsonResponse(200, fullWeek()),
    });
    renderApp('/me/shifts');
    expect(await screen.findByRole('heading', { level: 1, name: 'My shifts' })).toBeInTheDocument();
    const today = await screen.findByTestId('today');
    expect(shiftsCalls(requests)).toEqual(['/api/me/shifts?pastDays=14']);

    // Hours: this week against the contract, and this month, as decimal hours.
    expect(screen.getByTestId('hours-week')).toHaveTextContent('This week (week 50)');
    expect(screen.getByTestId('hours-week')).toHaveTextContent('7.5 h of 24 h');
    expect(screen.getByTestId('hours-month')).toHaveTextContent('This month (December 2026)');
    expect(screen.getByTestId('hours-month')).toHaveTextContent('30 h');

    // Today's card: position · venue, day and local times, break, colleagues and the note.
    const todayCard = within(today).getByTestId('my-shift');
    expect(todayCard).toBe(card('a-today'));
    expect(todayCard).toHaveClass('is-today');
    expect(todayCard).toHaveTextContent('Bar · Café De Haven');
    expect(todayCard).toHaveTextContent('Thu, Dec 10 · 17:00–23:00');
    expect(todayCard).toHaveTextContent('30 min break');
    expect(todayCard).toHaveTextContent('5.5 h paid');
    expect(todayCard).toHaveTextContent('with Bram, Cas');
    expect(todayCard).toHaveTextContent('Christmas drinks for the staff');

    // Coming shifts grouped by day, in the server's order.
    const upcoming = screen.getByTestId('upcoming');
    const days = within(upcoming).getAllByRole('heading', { level: 3 }).map((h) => h.textContent);
    expect(days).toEqual(['Friday, December 11', 'Monday, December 14']);
    const friday = within(upcoming).getByRole('heading', { level: 3, name: 'Friday, December 11' }).closest('li')!;
    expect(within(friday as HTMLElement).getAllByTestId('my-shift').map((c) => c.getAttribute('data-assignment-id'))).toEqual([
      'a-fri-1',
      'a-fri-2',
    ]);
    const night = card('a-fri-2');
    expect(night).toHaveTextContent('Kitchen · Restaurant Het Dok');
    expect(night).toHaveTextContent('22:00–02:00');
    expect(night).toHaveTextContent('+1 day');
    expect(night).toHaveTextContent('No break');
    expect(night).toHaveTextContent('with Eva');
    expect(card('a-fri-1')).not.toHaveTextContent('+1 day');
    expect(card('a-fri-1')).toHaveTextContent('Nobody else on this shift');

    // The past is folded, newest first, each card with its date.
    const past = screen.getByTestId('past');
    const details = past.querySelector('details')!;
    expect(details).not.toHaveAttribute('open');
    expect(past).toHaveTextContent('2 shifts in the last 14 days');
    const user = userEvent.setup();
    await user.click(within(past).getByText('Recent shifts'));
    expect(details).toHaveAttribute('open');
    expect(within(past).getAllByTestId('my-shift').map((c) => c.getAttribute('data-assignment-id'))).toEqual(['p-new', 'p-old']);
    expect(card('p-new')).toHaveTextContent('Tue, Dec 8, 2026 · 17:00–23:00');

    // The other self-service screens are one tap away.
    const links = screen.getByRole('navigation', { name: 'More for you' });
    expect(within(links).getByRole('link', { name: 'Shifts in my calendar' })).toHaveAttribute('href', '/me/calendar');
    expect(within(links).getByRole('link', { name: 'When I can work' })).toHaveAttribute('href', '/me/availability');
    expect(within(links).getByRole('link', { name: 'Ask for time off' })).toHaveAttribute('href', '/me/time-off');
  });

  it('asks for the longer past on request', async () => {
    const { requests } = mockApi({
      'GET /api/auth/me': () => jsonResponse(200, crewMe()),
      'GET /api/me/shifts': (r) =>
        jsonResponse(
          200,
          myShifts({
            upcoming: [myShift({ assignmentId: 'a1', date: '2026-12-12' })],
            past: r.url.endsWith('pastDays=90') ? [myShift({ assignmentId: 'p-old', date: '2026-10-01' })] : [],
          }),
        ),
    });
    renderApp('/me/shifts');
    const past = await screen.findByTestId('past');
    expect(past).toHaveTextContent('0 shifts in the last 14 days');
    const user = userEvent.setup();
    await user.click(within(past).getByText('Recent shifts'));
    expect(past).toHaveTextContent('No shifts in the last 14 days.');
    await user.click(within(past).getByRole('button', { name: 'Show the last 90 days' }));
    await waitFor(() => expect(within(past).getAllByTestId('my-shift')).toHaveLength(1));
    expect(past).toHaveTextContent('1 shift in the last 90 days');
    expect(within(past).queryByRole('button', { name: 'Show the last 90 days' })).not.toBeInTheDocument();
    expect(shiftsCalls(requests)).toEqual(['/api/me/shifts?pastDays=14', '/api/me/shifts?pastDays=90']);
  });

  it('explains that shifts appear once a manager publishes a week', async () => {
    mockApi({
      'GET /api/auth/me': () => jsonResponse(200, crewMe()),
      'GET /api/me/shifts': () => jsonResponse(200, myShifts()),
    });
    renderApp('/me/shifts');
    const empty = await screen.findByTestId('no-shifts');
    expect(empty).toHaveTextContent('No shifts yet');
    expect(empty).toHaveTextContent('once a manager publishes a week');
    expect(screen.queryByTestId('today')).not.toBeInTheDocument();
    // No contract: the hours stand alone.
    expect(screen.getByTestId('hours-week')).toHaveTextContent('0 h');
    expect(screen.getByTestId('hours-week')).toHaveTextContent('No contracted hours');
  });

  it('shows the crew member’s screens in the navigation, and refuses people without self-service', async () => {
    mockApi({
      'GET /api/auth/me': () => jsonResponse(200, crewMe()),
      'GET /api/me/shifts': () => jsonResponse(200, myShifts()),
    });
    const first = renderApp('/me/shifts');
    const nav = await screen.findByRole('navigation', { name: 'Main navigation' });
    expect(within(nav).getAllByRole('link').map((l) => l.textContent)).toEqual([
      'Home',
      'My shifts',
      'Open shifts',
      'Swaps',
      'My schedule',
      'Availability',
      'Time off',
    ]);
    first.unmount();

    mockApi({ 'GET /api/auth/me': () => jsonResponse(200, { ...crewMe(), permissions: ['schedule.view'] }) });
    renderApp('/me/shifts');
    expect(await screen.findByRole('heading', { level: 1, name: 'No access' })).toBeInTheDocument();
    expect(screen.queryByTestId('my-shifts')).not.toBeInTheDocument();
  });

  it('shows errors translated', async () => {
    mockApi({
      'GET /api/auth/me': () => jsonResponse(200, crewMe()),
      'GET /api/me/shifts': () => errorResponse(503, 'service_unavailable'),
    });
    renderApp('/me/shifts');
    expect(await screen.findByRole('alert', {}, { timeout: 8000 })).toHaveTextContent('The service is temporarily unavailable');
  });

  it('speaks Dutch', async () => {
    mockApi({
      'GET /api/auth/me': () => jsonResponse(200, crewMe()),
      'GET /api/me/shifts': () => jsonResponse(200, fullWeek()),
    });
    renderApp('/me/shifts', { language: 'nl' });
    expect(await screen.findByTestId('hours-week')).toHaveTextContent('7,5 van 24 uur');
    expect(card('a-today')).toHaveTextContent('met Bram, Cas');
    expect(screen.getByRole('heading', { level: 3, name: 'vrijdag 11 december' })).toBeInTheDocument();
  });
});
