import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OpenShiftItem } from '../../api/shiftRequestTypes';
import { errorResponse, jsonResponse, mockApi, renderUi, type RecordedRequest } from '../../test/utils';
import { OpenShiftsPage } from './OpenShiftsPage';
import { crewMe, openShift, requestShift, shiftRequest } from './requestTestData';

// Wednesday 9 December 2026.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-12-09T10:00:00Z'));
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const eligible = openShift({ shift: requestShift({ shiftId: 'sh-open' }), openSlots: 2, note: 'Christmas market' });
const refused = openShift({
  shift: requestShift({ shiftId: 'sh-refused', date: '2026-12-16', startsAt: '2026-12-16T06:00:00Z', endsAt: '2026-12-16T12:00:00Z', localStart: '07:00', localEnd: '13:00' }),
  eligible: false,
  reasons: [
    {
      code: 'rest_too_short',
      severity: 'overridable',
      message: 'Only 8 h of rest before this shift; the minimum is 11 h.',
      figures: { minutes: 480, limitMinutes: 660 },
    },
    { code: 'unavailable', severity: 'overridable', message: 'Outside your availability.', figures: {} },
  ],
});
const offered = openShift({
  shift: requestShift({ shiftId: 'sh-offered', date: '2026-12-17', positionName: 'Kitchen', localStart: '22:00', localEnd: '02:00', startsAt: '2026-12-17T21:00:00Z', endsAt: '2026-12-18T01:00:00Z' }),
  offer: { requestId: 'r-offer', by: 'Bram' },
  needsApproval: false,
  reasons: [{ code: 'over_contract_hours', severity: 'warning', message: '38 h this week is more than the 32 h contracted.', figures: { minutes: 2280, limitMinutes: 1920 } }],
});

/** A fake server: the open shifts as they stand, changed by claims and interest like the real one. */
function server(items: OpenShiftItem[], handlers: Record<string, (r: RecordedRequest) => Response> = {}) {
  let list = items;
  const update = (shiftId: string, change: Partial<OpenShiftItem>) => {
    list = list.map((i) => (i.shift.shiftId === shiftId && !i.offer ? { ...i, ...change } : i));
  };
  return mockApi({
    'GET /api/auth/me': () => jsonResponse(200, crewMe()),
    'GET /api/me/open-shifts': () => jsonResponse(200, { items: list }),
    'POST /api/shifts/sh-open/claim': () => {
      update('sh-open', { pendingClaimId: 'r-claim' });
      return jsonResponse(201, shiftRequest({ id: 'r-claim', kind: 'claim', shift: eligible.shift, canWithdraw: true }));
    },
    'PUT /api/shifts/sh-open/interest': () => {
      update('sh-open', { interested: true });
      return jsonResponse(204);
    },
    'DELETE /api/shifts/sh-open/interest': () => {
      update('sh-open', { interested: false });
      return jsonResponse(204);
    },
    ...handlers,
  });
}

const card = (shiftId: string) => {
  const found = screen.getAllByTestId('open-shift').find((el) => el.getAttribute('data-shift-id') === shiftId);
  if (!found) throw new Error(`no open shift ${shiftId}`);
  return found;
};

const posts = (requests: RecordedRequest[]) => requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.url}`);

describe('open shifts', () => {
  it('shows what I may take, and why not where I may not', async () => {
    const { requests } = server([offered, refused, eligible]);
    renderUi(<OpenShiftsPage />);
    await screen.findAllByTestId('open-shift');
    expect(screen.getByRole('heading', { level: 1, name: 'Open shifts' })).toBeInTheDocument();
    // Per day, earliest first.
    expect(screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent)).toEqual([
      'Tuesday, December 15',
      'Wednesday, December 16',
      'Thursday, December 17',
    ]);

    const open = card('sh-open');
    expect(open).toHaveAttribute('data-eligible', 'true');
    expect(open).toHaveTextContent('Bar · Café De Haven');
    expect(open).toHaveTextContent('Tue, Dec 15 · 17:00–23:00');
    expect(open).toHaveTextContent('2 open places');
    expect(open).toHaveTextContent('Christmas market');
    // 04:00 UTC is 05:00 in Amsterdam.
    expect(open).toHaveTextContent('Requests close Tue, Dec 15, 05:00');
    expect(within(open).getByTestId('claim-button')).toHaveTextContent('Claim');
    expect(within(open).getByTestId('needs-approval')).toHaveTextContent('A manager approves this first.');
    expect(within(open).queryByTestId('refused')).not.toBeInTheDocument();

    const no = card('sh-refused');
    expect(no).toHaveAttribute('data-eligible', 'false');
    expect(within(no).queryByRole('button', { name: /Claim/ })).not.toBeInTheDocument();
    const reasons = within(no).getByTestId('refused');
    expect(reasons).toHaveTextContent('You can’t claim this shift:');
    expect(reasons).toHaveTextContent('Rest too short Only 8 h of rest before this shift; the minimum is 11 h.');
    expect(reasons).toHaveTextContent('Unavailable');
    // Interest can still be marked: a manager may override.
    expect(within(no).getByTestId('interest-toggle')).toHaveAttribute('aria-pressed', 'false');

    const offer = card('sh-offered');
    expect(offer).toHaveAttribute('data-kind', 'offer');
    expect(within(offer).getByTestId('offer-badge')).toHaveTextContent('On offer by Bram');
    expect(offer).toHaveTextContent('22:00–02:00');
    expect(offer).toHaveTextContent('+1 day');
    expect(within(offer).getByTestId('take-offer')).toHaveTextContent('Take shift');
    expect(within(offer).getByTestId('no-approval')).toHaveTextContent('No approval needed');
    expect(within(offer).getByTestId('warnings')).toHaveTextContent('Over contract hours');
    expect(within(offer).queryByTestId('interest-toggle')).not.toBeInTheDocument();
    expect(offer).not.toHaveTextContent('open place');

    expect(posts(requests)).toEqual([]);
  });

  it('claims after asking, and then shows the claim waiting for approval', async () => {
    const { requests } = server([eligible]);
    renderUi(<OpenShiftsPage />);
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('claim-button'));

    const dialog = screen.getByRole('alertdialog', { name: 'Take this open shift?' });
    expect(dialog).toHaveTextContent('Tue, Dec 15 · 17:00–23:00');
    expect(dialog).toHaveTextContent('A manager approves this first.');
    expect(posts(requests)).toEqual([]);
    await user.click(within(dialog).getByTestId('take-confirm'));

    await waitFor(() => expect(posts(requests)).toEqual(['POST /api/shifts/sh-open/claim']));
    expect(requests.find((r) => r.method === 'POST')?.headers.get('X-Crewplots-Csrf')).toBe('1');
    expect(await screen.findByText('Claimed: Bar, Tue, Dec 15 17:00–23:00. A manager will approve it.')).toBeInTheDocument();
    await waitFor(() => expect(card('sh-open')).toHaveAttribute('data-pending', 'true'));
    expect(within(card('sh-open')).getByTestId('claim-pending')).toHaveTextContent('Waiting for approval');
    expect(within(card('sh-open')).queryByTestId('claim-button')).not.toBeInTheDocument();
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
  });

  it('says in words why a claim was refused', async () => {
    server([eligible], {
      'POST /api/shifts/sh-open/claim': () =>
        errorResponse(409, 'rest_too_short', { reasons: 'rest_too_short,unavailable', overridable: 'true', userId: 'me', shiftId: 'sh-open' }),
    });
    renderUi(<OpenShiftsPage />);
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('claim-button'));
    await user.click(screen.getByTestId('take-confirm'));
    expect(await screen.findByRole('alert')).toHaveTextContent('You can’t take this shift: Rest too short, Unavailable.');
    expect(card('sh-open')).toHaveAttribute('data-pending', 'false');
  });

  it('says so when someone was quicker', async () => {
    server([eligible], { 'POST /api/shifts/sh-open/claim': () => errorResponse(409, 'slots_full') });
    renderUi(<OpenShiftsPage />);
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('claim-button'));
    await user.click(screen.getByTestId('take-confirm'));
    expect(await screen.findByRole('alert')).toHaveTextContent('Someone was quicker: every place on this shift is taken now.');
  });

  it('takes a colleague’s offered shift through the request', async () => {
    const { requests } = server([offered], {
      'POST /api/requests/r-offer/accept': () =>
        jsonResponse(200, shiftRequest({ id: 'r-offer', kind: 'offer', status: 'approved', shift: offered.shift })),
    });
    renderUi(<OpenShiftsPage />);
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('take-offer'));
    const dialog = screen.getByRole('alertdialog', { name: 'Take the shift Bram offers?' });
    expect(dialog).toHaveTextContent('The shift is yours at once');
    await user.click(within(dialog).getByRole('button', { name: 'Take shift' }));
    await waitFor(() => expect(posts(requests)).toEqual(['POST /api/requests/r-offer/accept']));
    expect(await screen.findByText('The shift is yours: Kitchen, Thu, Dec 17 22:00–02:00.')).toBeInTheDocument();
  });

  it('marks and takes back interest', async () => {
    const { requests } = server([eligible]);
    renderUi(<OpenShiftsPage />);
    const user = userEvent.setup();
    const toggle = await screen.findByTestId('interest-toggle');
    expect(toggle).toHaveAttribute('aria-pressed', 'false');
    expect(toggle).toHaveAccessibleName('I’d take this');

    await user.click(toggle);
    await waitFor(() => expect(screen.getByTestId('interest-toggle')).toHaveAttribute('aria-pressed', 'true'));
    expect(card('sh-open')).toHaveTextContent('Your manager sees you are interested.');
    await user.click(screen.getByTestId('interest-toggle'));
    await waitFor(() => expect(screen.getByTestId('interest-toggle')).toHaveAttribute('aria-pressed', 'false'));
    expect(posts(requests)).toEqual(['PUT /api/shifts/sh-open/interest', 'DELETE /api/shifts/sh-open/interest']);
  });

  it('puts interest back when the server refuses it', async () => {
    server([eligible], { 'PUT /api/shifts/sh-open/interest': () => errorResponse(409, 'past_cutoff') });
    renderUi(<OpenShiftsPage />);
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('interest-toggle'));
    expect(await screen.findByRole('alert')).toHaveTextContent('Requests for this shift have closed: it starts too soon.');
    await waitFor(() => expect(screen.getByTestId('interest-toggle')).toHaveAttribute('aria-pressed', 'false'));
  });

  it('has a friendly empty state, and speaks Dutch', async () => {
    server([]);
    renderUi(<OpenShiftsPage />, { language: 'nl' });
    expect(await screen.findByTestId('no-open-shifts')).toHaveTextContent('Nu geen open diensten');
    expect(screen.getByRole('heading', { level: 1, name: 'Open diensten' })).toBeInTheDocument();
  });

  it('words the reasons and the offer in Dutch', async () => {
    server([refused, offered]);
    renderUi(<OpenShiftsPage />, { language: 'nl' });
    await screen.findAllByTestId('open-shift');
    expect(within(card('sh-offered')).getByTestId('offer-badge')).toHaveTextContent('Aangeboden door Bram');
    expect(within(card('sh-offered')).getByTestId('take-offer')).toHaveTextContent('Dienst nemen');
    const reasons = within(card('sh-refused')).getByTestId('refused');
    expect(reasons).toHaveTextContent('Je kunt deze dienst niet claimen:');
    // The rule's name in Dutch and the sentence made from the figures, not the server's English.
    expect(reasons).toHaveTextContent('Te weinig rust Maar 8 u rust tussen twee diensten; het minimum is 11 u.');
    expect(reasons).not.toHaveTextContent('Only 8 h of rest');
  });
});
