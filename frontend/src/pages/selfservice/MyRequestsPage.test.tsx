import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MyRequests, ShiftRequestItem } from '../../api/shiftRequestTypes';
import { errorResponse, jsonResponse, mockApi, renderUi, type RecordedRequest } from '../../test/utils';
import { MyRequestsPage } from './MyRequestsPage';
import {
  BRAM,
  crewMe,
  HAVEN,
  KIM,
  ME_ID,
  myShift,
  myShifts,
  publishedShift,
  publishedWeek,
  requestShift,
  SAM,
  shiftRequest,
} from './requestTestData';

// Wednesday 9 December 2026.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-12-09T10:00:00Z'));
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const myBar = requestShift({ shiftId: 'sh-mine' });
const kimsKitchen = requestShift({
  shiftId: 'sh-kim',
  date: '2026-12-17',
  positionName: 'Kitchen',
  startsAt: '2026-12-17T11:00:00Z',
  endsAt: '2026-12-17T17:00:00Z',
  localStart: '12:00',
  localEnd: '18:00',
});

const proposal = shiftRequest({
  id: 'r-swap',
  kind: 'swap',
  status: 'pending_colleague',
  requester: KIM,
  target: SAM,
  shift: kimsKitchen,
  targetShift: myBar,
  canAccept: true,
  canDecline: true,
});
const bramsOffer = shiftRequest({
  id: 'r-offer',
  kind: 'offer',
  status: 'open',
  requester: BRAM,
  shift: requestShift({ shiftId: 'sh-bram', date: '2026-12-19', positionName: 'Floor' }),
  canAccept: true,
});
const myClaim = shiftRequest({ id: 'r-claim', kind: 'claim', shift: requestShift({ shiftId: 'sh-open', date: '2026-12-20' }), canWithdraw: true });
const oldSwap = shiftRequest({
  id: 'r-old',
  kind: 'swap',
  status: 'denied',
  target: KIM,
  shift: requestShift({ shiftId: 'sh-x', date: '2026-12-11' }),
  targetShift: requestShift({ shiftId: 'sh-y', date: '2026-12-12' }),
  decidedBy: { id: 'm-1', name: 'Eva Mulder' },
  decidedAt: '2026-12-05T10:00:00Z',
  reason: 'Kim is already on many late shifts.',
});

function server(initial: MyRequests, handlers: Record<string, (r: RecordedRequest) => Response> = {}) {
  let data = initial;
  const move = (id: string, change: Partial<ShiftRequestItem>) => {
    const apply = (list: ShiftRequestItem[]) => list.map((r) => (r.id === id ? { ...r, ...change } : r));
    data = { mine: apply(data.mine), toAnswer: apply(data.toAnswer), offers: apply(data.offers) };
    return [...data.mine, ...data.toAnswer, ...data.offers].find((r) => r.id === id)!;
  };
  const api = mockApi({
    'GET /api/auth/me': () => jsonResponse(200, crewMe()),
    'GET /api/me/requests': () => jsonResponse(200, data),
    'GET /api/me/shifts': () =>
      jsonResponse(
        200,
        myShifts({
          upcoming: [
            myShift({ assignmentId: 'a1', shiftId: 'sh-mine', date: '2026-12-15' }),
            myShift({ assignmentId: 'a2', shiftId: 'sh-next', date: '2026-12-18', positionName: 'Floor' }),
          ],
        }),
      ),
    'POST /api/requests/r-swap/accept': () =>
      jsonResponse(200, move('r-swap', { status: 'pending_approval', canAccept: false, canDecline: false })),
    'POST /api/requests/r-swap/decline': () =>
      jsonResponse(200, move('r-swap', { status: 'declined', canAccept: false, canDecline: false, decidedAt: '2026-12-09T10:00:00Z' })),
    'POST /api/requests/r-offer/accept': () => jsonResponse(200, move('r-offer', { status: 'approved', canAccept: false, taker: SAM })),
    'POST /api/requests/r-claim/withdraw': () =>
      jsonResponse(200, move('r-claim', { status: 'withdrawn', canWithdraw: false, decidedAt: '2026-12-09T10:00:00Z' })),
    ...handlers,
  });
  return api;
}

const all = (): MyRequests => ({ toAnswer: [proposal], offers: [bramsOffer], mine: [myClaim, oldSwap] });

const request = (id: string) => {
  const found = screen.getAllByTestId('request').find((el) => el.getAttribute('data-id') === id);
  if (!found) throw new Error(`no request ${id}`);
  return found;
};

const steps = (requests: RecordedRequest[]) => requests.filter((r) => r.method === 'POST').map((r) => r.url);

describe('my requests (the swap screen)', () => {
  it('shows the swap proposed to me with both shifts, offers, and my own requests', async () => {
    server(all());
    renderUi(<MyRequestsPage />);
    const toAnswer = await screen.findByTestId('to-answer');
    expect(screen.getByRole('heading', { level: 1, name: 'Swaps & offers' })).toBeInTheDocument();

    const swap = within(toAnswer).getByTestId('request');
    expect(swap).toHaveTextContent('Kim V. proposes a swap');
    expect(within(swap).getByTestId('request-status')).toHaveTextContent('Waiting for colleague');
    // I give my own shift (the target's) and get Kim's.
    expect(within(swap).getByTestId('give-shift')).toHaveTextContent('You give');
    expect(within(swap).getByTestId('give-shift')).toHaveTextContent('Tue, Dec 15 · 17:00–23:00');
    expect(within(swap).getByTestId('give-shift')).toHaveTextContent('Bar');
    expect(within(swap).getByTestId('get-shift')).toHaveTextContent('Thu, Dec 17 · 12:00–18:00');
    expect(within(swap).getByTestId('get-shift')).toHaveTextContent('Kitchen');
    expect(within(swap).getByTestId('swap-accept')).toHaveAccessibleName('Accept the swap with Kim V.');
    expect(within(swap).getByTestId('swap-decline')).toHaveAccessibleName('Decline the swap with Kim V.');

    const offer = within(screen.getByTestId('offers')).getByTestId('request');
    expect(offer).toHaveTextContent('Bram J. offers a shift');
    expect(within(offer).getByTestId('offer-take')).toBeInTheDocument();

    const mine = screen.getByTestId('mine');
    expect(within(mine).getAllByTestId('request').map((r) => r.getAttribute('data-id'))).toEqual(['r-claim', 'r-old']);
    expect(request('r-claim')).toHaveTextContent('You claimed an open shift');
    expect(within(request('r-claim')).getByTestId('request-status')).toHaveTextContent('Waiting for approval');
    expect(within(request('r-claim')).getByTestId('request-withdraw')).toBeInTheDocument();
    expect(request('r-old')).toHaveTextContent('You proposed a swap with Kim V.');
    expect(request('r-old')).toHaveTextContent('Denied by Eva Mulder');
    expect(request('r-old')).toHaveTextContent('Reason: Kim is already on many late shifts.');
    expect(within(request('r-old')).queryByRole('button')).not.toBeInTheDocument();
  });

  it('accepts a swap; it then waits for a manager', async () => {
    const { requests } = server(all());
    renderUi(<MyRequestsPage />);
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('swap-accept'));
    await waitFor(() => expect(steps(requests)).toEqual(['/api/requests/r-swap/accept']));
    expect(requests.find((r) => r.method === 'POST')?.headers.get('X-Crewplots-Csrf')).toBe('1');
    expect(await screen.findByText('You agreed to the swap. A manager will approve it.')).toBeInTheDocument();
    await waitFor(() => expect(request('r-swap')).toHaveAttribute('data-status', 'pending_approval'));
    expect(request('r-swap')).toHaveTextContent('You agreed. A manager approves the swap.');
    expect(within(request('r-swap')).queryByTestId('swap-accept')).not.toBeInTheDocument();
  });

  it('declines a swap', async () => {
    const { requests } = server(all());
    renderUi(<MyRequestsPage />);
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('swap-decline'));
    await waitFor(() => expect(steps(requests)).toEqual(['/api/requests/r-swap/decline']));
    expect(await screen.findByText('You declined the swap.')).toBeInTheDocument();
    await waitFor(() => expect(within(request('r-swap')).getByTestId('request-status')).toHaveTextContent('Declined'));
  });

  it('says in words why accepting did not work', async () => {
    server(all(), {
      'POST /api/requests/r-swap/accept': () => errorResponse(409, 'request_changed', { status: 'withdrawn' }),
    });
    renderUi(<MyRequestsPage />);
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('swap-accept'));
    expect(await screen.findByRole('alert')).toHaveTextContent('This request changed in the meantime: it is “Withdrawn” now.');
  });

  it('withdraws my request after a confirmation', async () => {
    const { requests } = server(all());
    renderUi(<MyRequestsPage />);
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('request-withdraw'));
    let dialog = screen.getByRole('alertdialog', { name: 'Withdraw this request?' });
    expect(dialog).toHaveTextContent('Claim: Bar, Sun, Dec 20 17:00–23:00');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(steps(requests)).toEqual([]);

    await user.click(screen.getByTestId('request-withdraw'));
    dialog = screen.getByRole('alertdialog', { name: 'Withdraw this request?' });
    await user.click(within(dialog).getByRole('button', { name: 'Withdraw request' }));
    await waitFor(() => expect(request('r-claim')).toHaveAttribute('data-status', 'withdrawn'));
    expect(steps(requests)).toEqual(['/api/requests/r-claim/withdraw']);
    expect(screen.getByText('Your request is withdrawn.')).toBeInTheDocument();
    expect(within(request('r-claim')).getByTestId('request-status')).toHaveTextContent('Withdrawn');
    expect(within(request('r-claim')).queryByTestId('request-withdraw')).not.toBeInTheDocument();
  });

  it('shows in the dialog why withdrawing failed', async () => {
    server(all(), { 'POST /api/requests/r-claim/withdraw': () => errorResponse(409, 'request_changed', { status: 'approved' }) });
    renderUi(<MyRequestsPage />);
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('request-withdraw'));
    const dialog = screen.getByRole('alertdialog');
    await user.click(within(dialog).getByRole('button', { name: 'Withdraw request' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('it is “Approved” now');
  });

  it('takes a colleague’s offer after asking', async () => {
    const { requests } = server(all());
    renderUi(<MyRequestsPage />);
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('offer-take'));
    const dialog = screen.getByRole('alertdialog', { name: 'Take the shift Bram J. offers?' });
    await user.click(within(dialog).getByTestId('take-confirm'));
    await waitFor(() => expect(steps(requests)).toEqual(['/api/requests/r-offer/accept']));
    expect(await screen.findByText('The shift is yours.')).toBeInTheDocument();
    await waitFor(() => expect(request('r-offer')).toHaveTextContent('You take this shift.'));
  });

  it('has empty states', async () => {
    server({ toAnswer: [], offers: [], mine: [] });
    renderUi(<MyRequestsPage />);
    expect(await screen.findByText('No swaps wait for your answer.')).toBeInTheDocument();
    expect(screen.getByText('No colleague offers a shift right now.')).toBeInTheDocument();
    expect(screen.getByText('You have not asked for anything yet.')).toBeInTheDocument();
  });
});

describe('offering or swapping one of my shifts', () => {
  const week51 = publishedWeek('2026-W51', [
    // My own shift: not offered as a target.
    publishedShift({ id: 'sh-mine', date: '2026-12-15', mine: true, people: [{ id: ME_ID, name: 'Sam J.', assignmentId: 'a1' }] }),
    publishedShift({
      id: 'sh-kim',
      date: '2026-12-17',
      positionName: 'Kitchen',
      localStart: '12:00',
      localEnd: '18:00',
      startsAt: '2026-12-17T11:00:00Z',
      endsAt: '2026-12-17T17:00:00Z',
      people: [
        { id: KIM.id, name: 'Kim V.', assignmentId: 'a-kim' },
        { id: BRAM.id, name: 'Bram J.', assignmentId: 'a-bram' },
      ],
    }),
  ]);

  it('proposes a swap for a colleague’s shift from the venue’s published week', async () => {
    const posted: unknown[] = [];
    const { requests } = server(
      { toAnswer: [], offers: [], mine: [] },
      {
        [`GET /api/locations/${HAVEN.id}/schedule/2026-W51`]: () => jsonResponse(200, week51),
        'POST /api/assignments/a1/swap': (r) => {
          posted.push(r.body);
          return jsonResponse(201, shiftRequest({ id: 'r-new', kind: 'swap', status: 'pending_colleague', target: KIM }));
        },
      },
    );
    renderUi(<MyRequestsPage />);
    const user = userEvent.setup();
    const upcoming = await screen.findByTestId('my-upcoming');
    const rows = await within(upcoming).findAllByTestId('upcoming-shift');
    expect(rows.map((r) => r.getAttribute('data-assignment-id'))).toEqual(['a1', 'a2']);
    await user.click(within(rows[0]!).getByTestId('offer-swap-open'));

    const dialog = screen.getByTestId('offer-swap-dialog');
    expect(dialog).toHaveTextContent('Tue, Dec 15 · 17:00–23:00');
    await user.click(within(dialog).getByTestId('mode-swap'));
    expect(within(dialog).getByTestId('mode-swap')).toHaveAttribute('aria-pressed', 'true');
    expect(within(dialog).getByTestId('swap-week')).toHaveTextContent('Week 51');
    const options = await within(dialog).findAllByTestId('swap-target');
    // Two colleagues on Kim's shift, never me or my own shift.
    expect(options.map((o) => o.getAttribute('data-assignment-id'))).toEqual(['a-kim', 'a-bram']);
    expect(screen.getByTestId('swap-submit')).toBeDisabled();

    await user.click(within(dialog).getByLabelText(/Kim V\./));
    expect(screen.getByTestId('swap-submit')).toHaveTextContent('Propose swap to Kim V.');
    await user.click(screen.getByTestId('swap-submit'));
    await waitFor(() => expect(posted).toEqual([{ targetAssignmentId: 'a-kim' }]));
    expect(await screen.findByText('Swap proposed: Kim V. gets a message and answers.')).toBeInTheDocument();
    expect(screen.queryByTestId('offer-swap-dialog')).not.toBeInTheDocument();
    expect(requests.some((r) => r.url === `/api/locations/${HAVEN.id}/schedule/2026-W51`)).toBe(true);
  });

  it('offers my shift to colleagues, and says why the rules refuse a swap', async () => {
    const { requests } = server(
      { toAnswer: [], offers: [], mine: [] },
      {
        [`GET /api/locations/${HAVEN.id}/schedule/2026-W51`]: () => jsonResponse(200, week51),
        'POST /api/assignments/a1/swap': () =>
          errorResponse(409, 'overlap', { reasons: 'overlap', overridable: 'false', userId: KIM.id, shiftId: 'sh-mine' }),
        'POST /api/assignments/a1/offer': () => jsonResponse(201, shiftRequest({ id: 'r-new', kind: 'offer', status: 'open' })),
      },
    );
    renderUi(<MyRequestsPage />);
    const user = userEvent.setup();
    await user.click((await screen.findAllByTestId('offer-swap-open'))[0]!);
    const dialog = screen.getByTestId('offer-swap-dialog');
    await user.click(within(dialog).getByTestId('mode-swap'));
    await user.click((await within(dialog).findAllByTestId('swap-target'))[0]!);
    await user.click(screen.getByTestId('swap-submit'));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('The rules don’t allow this swap: Overlap.');

    await user.click(within(dialog).getByTestId('mode-offer'));
    expect(within(dialog).queryByRole('alert')).not.toBeInTheDocument();
    await user.click(screen.getByTestId('offer-submit'));
    expect(await screen.findByText('Your shift is offered to your colleagues.')).toBeInTheDocument();
    expect(steps(requests)).toEqual(['/api/assignments/a1/swap', '/api/assignments/a1/offer']);
  });

  it('says when the week is not published, and steps to the next one', async () => {
    server(
      { toAnswer: [], offers: [], mine: [] },
      {
        [`GET /api/locations/${HAVEN.id}/schedule/2026-W51`]: () => errorResponse(404, 'week_not_found'),
        [`GET /api/locations/${HAVEN.id}/schedule/2026-W52`]: () =>
          jsonResponse(200, publishedWeek('2026-W52', [publishedShift({ id: 'sh-z', date: '2026-12-22', people: [{ id: KIM.id, name: 'Kim V.', assignmentId: 'a-z' }] })])),
      },
    );
    renderUi(<MyRequestsPage />);
    const user = userEvent.setup();
    await user.click((await screen.findAllByTestId('offer-swap-open'))[0]!);
    const dialog = screen.getByTestId('offer-swap-dialog');
    await user.click(within(dialog).getByTestId('mode-swap'));
    expect(await within(dialog).findByTestId('swap-none')).toHaveTextContent('This week is not published yet.');
    expect(within(dialog).getByTestId('swap-week-prev')).toBeDisabled();
    await user.click(within(dialog).getByTestId('swap-week-next'));
    expect(within(dialog).getByTestId('swap-week')).toHaveTextContent('Week 52');
    expect(await within(dialog).findAllByTestId('swap-target')).toHaveLength(1);
  });

  it('does not offer to start a second request for a shift that has one open', async () => {
    server({
      toAnswer: [],
      offers: [],
      mine: [shiftRequest({ id: 'r-open', kind: 'offer', status: 'open', shift: myBar, canWithdraw: true })],
    });
    renderUi(<MyRequestsPage />);
    const rows = await screen.findAllByTestId('upcoming-shift');
    expect(within(rows[0]!).getByTestId('request-open')).toHaveTextContent('Request open');
    expect(within(rows[0]!).queryByTestId('offer-swap-open')).not.toBeInTheDocument();
    expect(within(rows[1]!).getByTestId('offer-swap-open')).toBeInTheDocument();
  });
});
