import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { errorResponse, jsonResponse, mockApi, renderApp } from '../../test/utils';
import { BRAM, crewMe, KIM, myShift, myShifts, openShift, requestShift, shiftRequest } from './requestTestData';
import { timeOff } from './testData';

afterEach(() => vi.unstubAllGlobals());

function server(overrides: Record<string, () => Response> = {}) {
  return mockApi({
    'GET /api/auth/me': () => jsonResponse(200, crewMe()),
    'GET /api/me/shifts': () =>
      jsonResponse(200, myShifts({ upcoming: [myShift({ assignmentId: 'a1', date: '2026-12-11' })] })),
    'GET /api/me/open-shifts': () =>
      jsonResponse(200, {
        items: [
          openShift({ shift: requestShift({ shiftId: 'o1', date: '2026-12-12' }) }),
          openShift({ shift: requestShift({ shiftId: 'o2', date: '2026-12-13' }), eligible: false }),
          openShift({ shift: requestShift({ shiftId: 'o3', date: '2026-12-14' }), offer: { requestId: 'r9', by: 'Kim' } }),
          openShift({ shift: requestShift({ shiftId: 'o4', date: '2026-12-15' }), pendingClaimId: 'c1' }),
          openShift({ shift: requestShift({ shiftId: 'o5', date: '2026-12-16' }) }),
        ],
      }),
    'GET /api/me/requests': () =>
      jsonResponse(200, {
        mine: [
          shiftRequest({ id: 'r1', kind: 'claim', status: 'pending_approval' }),
          shiftRequest({
            id: 'r2',
            kind: 'swap',
            status: 'pending_colleague',
            target: KIM,
            targetShift: requestShift({ shiftId: 'sh-9', date: '2026-12-18', localStart: '12:00', localEnd: '18:00' }),
          }),
          shiftRequest({ id: 'r3', kind: 'offer', status: 'approved' }),
        ],
        offers: [],
        toAnswer: [shiftRequest({ id: 'r4', kind: 'swap', status: 'pending_colleague', requester: BRAM, canAccept: true, canDecline: true })],
      }),
    'GET /api/me/time-off': () =>
      jsonResponse(200, [timeOff({ id: 't1' }), timeOff({ id: 't2', status: 'approved', firstDay: '2027-01-05', lastDay: '2027-01-05' })]),
    ...overrides,
  });
}

describe('the crew home (my shifts)', () => {
  it('lists the first three open shifts I can claim, with a link to all of them', async () => {
    server();
    renderApp('/me/shifts');
    const section = await screen.findByTestId('home-open-shifts');
    const cards = await within(section).findAllByTestId('home-open-shift');
    // Only the ones the rules let me take, at most three.
    expect(cards.map((c) => c.getAttribute('data-shift-id'))).toEqual(['o1', 'o3', 'o4']);
    expect(cards[0]).toHaveTextContent('Bar · Café De Haven');
    expect(cards[0]).toHaveTextContent('17:00–23:00');
    expect(cards[1]).toHaveTextContent('offered by Kim');
    expect(cards[2]).toHaveTextContent('your claim waits for approval');
    expect(within(section).getByRole('link', { name: /All open shifts/ })).toHaveAttribute('href', '/me/open-shifts');
  });

  it('lists my pending requests and time off with links, and leaves out the decided ones', async () => {
    server();
    renderApp('/me/shifts');
    const section = await screen.findByTestId('home-pending');
    const items = await within(section).findAllByTestId('home-pending-item');
    expect(items.map((i) => i.getAttribute('data-kind'))).toEqual(['answer', 'claim', 'swap', 'time_off']);
    expect(items[0]).toHaveTextContent('Bram J. asks you');
    expect(within(items[0]!).getByRole('link')).toHaveAttribute('href', '/me/requests');
    expect(items[1]).toHaveTextContent('Waiting for approval');
    expect(within(items[1]!).getByRole('link')).toHaveAttribute('href', '/me/open-shifts');
    expect(items[2]).toHaveTextContent('17:00–23:00 for');
    expect(items[2]).toHaveTextContent('12:00–18:00');
    expect(items[2]).toHaveTextContent('Waiting for colleague');
    expect(items[3]).toHaveTextContent('Time off');
    expect(within(items[3]!).getByRole('link')).toHaveAttribute('href', '/me/time-off');
    expect(within(section).getByRole('link', { name: 'Your requests' })).toHaveAttribute('href', '/me/requests');
  });

  it('says when nothing waits, and keeps a failure small with a retry', async () => {
    let failing = true;
    server({
      'GET /api/me/open-shifts': () => (failing ? errorResponse(503, 'service_unavailable') : jsonResponse(200, { items: [] })),
      'GET /api/me/requests': () => jsonResponse(200, { mine: [], offers: [], toAnswer: [] }),
      'GET /api/me/time-off': () => jsonResponse(200, []),
    });
    renderApp('/me/shifts');
    const pending = await screen.findByTestId('home-pending');
    expect(await within(pending).findByText('Nothing of yours waits for an answer.')).toBeInTheDocument();
    const open = screen.getByTestId('home-open-shifts');
    expect(await within(open).findByText('This could not be loaded.')).toBeInTheDocument();
    failing = false;
    await userEvent.setup().click(within(open).getByRole('button', { name: 'Try again' }));
    expect(await within(open).findByText('No open shifts at your venues right now.')).toBeInTheDocument();
  });
});
