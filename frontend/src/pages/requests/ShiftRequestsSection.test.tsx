import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BulkApproveResult, RequestSettings, ShiftRequestItem } from '../../api/shiftRequestTypes';
import type { Me } from '../../api/types';
import { errorResponse, jsonResponse, mockApi, renderUi, type RecordedRequest } from '../../test/utils';
import { deciderMe, HAVEN, requestShift, shiftRequest } from '../selfservice/requestTestData';
import { RequestSettingsForm } from './RequestSettingsForm';
import { ShiftRequestsSection } from './ShiftRequestsSection';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-12-09T10:00:00Z'));
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

// Staff see full names.
const kim = { id: 'p-kim', name: 'Kim de Vries' };
const bram = { id: 'p-bram', name: 'Bram Jansen' };
const eva = { id: 'p-eva', name: 'Eva Mulder' };

const claim = shiftRequest({
  id: 'r-claim',
  kind: 'claim',
  requester: kim,
  shift: requestShift({ shiftId: 'sh-open' }),
  canApprove: true,
});
const swap = shiftRequest({
  id: 'r-swap',
  kind: 'swap',
  requester: bram,
  target: eva,
  shift: requestShift({ shiftId: 'sh-bram', date: '2026-12-16', positionName: 'Floor' }),
  targetShift: requestShift({
    shiftId: 'sh-eva',
    date: '2026-12-18',
    positionName: 'Kitchen',
    localStart: '12:00',
    localEnd: '18:00',
    startsAt: '2026-12-18T11:00:00Z',
    endsAt: '2026-12-18T17:00:00Z',
  }),
  canApprove: true,
});
const offerOpen = shiftRequest({ id: 'r-offer', kind: 'offer', status: 'open', requester: eva, shift: requestShift({ shiftId: 'sh-o', date: '2026-12-19' }) });
const decided = shiftRequest({
  id: 'r-done',
  kind: 'claim',
  status: 'denied',
  requester: bram,
  decidedBy: { id: 'm-1', name: 'Sam Jansen' },
  decidedAt: '2026-12-05T10:00:00Z',
  reason: 'Already full enough.',
});

const LIST = `GET /api/locations/${HAVEN.id}/requests`;

/** A fake inbox answering `?decided=true` like the server, moved by decisions. */
function inbox(items: ShiftRequestItem[], options: { me?: Me; handlers?: Record<string, (r: RecordedRequest) => Response> } = {}) {
  let list = items;
  const decide = (id: string, status: 'approved' | 'denied', reason: string | null) => {
    list = list.map((r) => (r.id === id ? { ...r, status, reason, canApprove: false, decidedAt: '2026-12-09T10:00:00Z' } : r));
    return list.find((r) => r.id === id)!;
  };
  return mockApi({
    'GET /api/auth/me': () => jsonResponse(200, options.me ?? deciderMe()),
    [LIST]: (r) => {
      const withDecided = new URL(r.url, 'http://x').searchParams.get('decided') === 'true';
      return jsonResponse(200, withDecided ? list : list.filter((i) => ['open', 'pending_colleague', 'pending_approval'].includes(i.status)));
    },
    'POST /api/requests/r-claim/approve': (r) =>
      jsonResponse(200, decide('r-claim', 'approved', (r.body as { reason?: string }).reason ?? null)),
    'POST /api/requests/r-claim/deny': (r) => jsonResponse(200, decide('r-claim', 'denied', (r.body as { reason: string }).reason)),
    ...options.handlers,
  });
}

const card = (id: string) => {
  const found = screen.getAllByTestId('shift-request').find((el) => el.getAttribute('data-id') === id);
  if (!found) throw new Error(`no request ${id}`);
  return found;
};

const posts = (requests: RecordedRequest[]) =>
  requests.filter((r) => r.method === 'POST').map((r) => ({ url: r.url, body: r.body }));

describe('the inbox section of claims, offers and swaps', () => {
  it('lists the requests waiting for approval first, with both shifts and the people', async () => {
    const { requests } = inbox([offerOpen, claim, swap]);
    renderUi(<ShiftRequestsSection locationId={HAVEN.id} />);
    const section = await screen.findByTestId('inbox-shift-requests');
    await waitFor(() => expect(within(section).getAllByTestId('shift-request')).toHaveLength(3));
    expect(within(section).getByRole('heading', { level: 2, name: /Claims, offers and swaps/ })).toBeInTheDocument();
    expect(within(section).getByTestId('shift-requests-pending-count')).toHaveTextContent('2 waiting');
    expect(requests.filter((r) => r.method === 'GET' && r.url.includes('/requests')).map((r) => r.url)).toEqual([
      `/api/locations/${HAVEN.id}/requests`,
    ]);

    const waiting = within(section).getByTestId('shift-requests-waiting');
    expect(within(waiting).getAllByTestId('shift-request').map((c) => c.getAttribute('data-id'))).toEqual(['r-claim', 'r-swap']);
    expect(card('r-claim')).toHaveTextContent('Kim de Vries wants an open place');
    expect(card('r-claim')).toHaveTextContent('Tue, Dec 15 · 17:00–23:00');
    expect(card('r-swap')).toHaveTextContent('Bram Jansen and Eva Mulder want to swap');
    expect(card('r-swap')).toHaveTextContent('Bram Jansen works now');
    expect(card('r-swap')).toHaveTextContent('Wed, Dec 16 · 17:00–23:00');
    expect(card('r-swap')).toHaveTextContent('Eva Mulder works now');
    expect(card('r-swap')).toHaveTextContent('Fri, Dec 18 · 12:00–18:00');
    expect(within(card('r-swap')).getByTestId('request-approve')).toHaveAccessibleName(
      'Approve: Swap · Bram Jansen · Wed, Dec 16 · 17:00–23:00',
    );

    // An offer nobody took yet waits for a colleague: no approval possible, deny is.
    const colleagues = within(section).getByTestId('shift-requests-colleagues');
    expect(within(colleagues).getByTestId('shift-request')).toHaveTextContent('Eva Mulder offers their shift');
    expect(within(card('r-offer')).queryByTestId('request-approve')).not.toBeInTheDocument();
    expect(within(card('r-offer')).getByTestId('request-deny')).toBeInTheDocument();
  });

  it('approves with an optional reason', async () => {
    const { requests } = inbox([claim]);
    renderUi(<ShiftRequestsSection locationId={HAVEN.id} />);
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('request-approve'));
    const dialog = screen.getByRole('dialog', { name: 'Approve the request of Kim de Vries?' });
    expect(within(dialog).getByLabelText(/Reason/)).not.toHaveAttribute('aria-invalid');
    await user.click(within(dialog).getByTestId('decision-confirm'));
    await waitFor(() => expect(posts(requests)).toEqual([{ url: '/api/requests/r-claim/approve', body: {} }]));
    expect(await screen.findByText('The request of Kim de Vries is approved.')).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('inbox-shift-requests')).toHaveTextContent('No claims, offers or swaps wait for approval.'));
  });

  it('shows whose rules stop an approval', async () => {
    inbox([swap], {
      handlers: {
        'POST /api/requests/r-swap/approve': () =>
          errorResponse(409, 'rest_too_short', { reasons: 'rest_too_short', overridable: 'true', userId: eva.id, shiftId: 'sh-bram' }),
      },
    });
    renderUi(<ShiftRequestsSection locationId={HAVEN.id} />);
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('request-approve'));
    const dialog = screen.getByTestId('shift-decision-dialog');
    await user.type(within(dialog).getByLabelText(/Reason/), 'Fine by me');
    await user.click(screen.getByTestId('decision-confirm'));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Eva Mulder: The rules no longer allow this: Rest too short.',
    );
  });

  it('denies only with a reason', async () => {
    const { requests } = inbox([claim]);
    renderUi(<ShiftRequestsSection locationId={HAVEN.id} />);
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('request-deny'));
    const dialog = screen.getByRole('dialog', { name: 'Deny the request of Kim de Vries?' });
    await user.click(within(dialog).getByTestId('decision-confirm'));
    expect(within(dialog).getByLabelText(/Reason/)).toHaveAttribute('aria-invalid', 'true');
    expect(dialog).toHaveTextContent('This field is required.');
    expect(posts(requests)).toEqual([]);

    await user.type(within(dialog).getByLabelText(/Reason/), '  Enough people that night.  ');
    await user.click(within(dialog).getByTestId('decision-confirm'));
    await waitFor(() =>
      expect(posts(requests)).toEqual([{ url: '/api/requests/r-claim/deny', body: { reason: 'Enough people that night.' } }]),
    );
    expect(await screen.findByText('The request of Kim de Vries is denied.')).toBeInTheDocument();
  });

  it('approves several at once and lists the ones left with why', async () => {
    const result: BulkApproveResult = {
      approved: ['r-claim'],
      notApproved: [{ id: 'r-swap', code: 'rest_too_short', message: 'Only 9 h of rest.' }],
    };
    const { requests } = inbox([claim, swap], {
      handlers: { [`POST /api/locations/${HAVEN.id}/requests/approve`]: () => jsonResponse(200, result) },
    });
    renderUi(<ShiftRequestsSection locationId={HAVEN.id} />);
    const user = userEvent.setup();
    await screen.findAllByTestId('request-select');
    expect(screen.getByTestId('approve-selected')).toBeDisabled();
    expect(screen.getByTestId('approve-selected')).toHaveTextContent('Approve selected (0)');

    await user.click(within(card('r-claim')).getByTestId('request-select'));
    expect(screen.getByTestId('approve-selected')).toHaveTextContent('Approve selected (1)');
    await user.click(screen.getByTestId('select-all'));
    expect(screen.getByTestId('approve-selected')).toHaveTextContent('Approve selected (2)');
    await user.click(screen.getByTestId('approve-selected'));

    await waitFor(() =>
      expect(posts(requests)).toEqual([
        { url: `/api/locations/${HAVEN.id}/requests/approve`, body: { ids: ['r-claim', 'r-swap'] } },
      ]),
    );
    const outcome = await screen.findByTestId('bulk-result');
    expect(outcome).toHaveTextContent('1 request approved. 1 could not be approved:');
    const left = within(outcome).getAllByTestId('not-approved');
    expect(left.map((l) => l.getAttribute('data-id'))).toEqual(['r-swap']);
    expect(left[0]).toHaveTextContent('Swap · Bram Jansen · Wed, Dec 16 · 17:00–23:00: The rules no longer allow this: Rest too short.');
    expect(screen.getAllByText('1 request approved.').length).toBeGreaterThan(0);
    await user.click(within(outcome).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByTestId('bulk-result')).not.toBeInTheDocument();
  });

  it('shows decided ones behind the switch', async () => {
    const { requests } = inbox([claim, decided]);
    renderUi(<ShiftRequestsSection locationId={HAVEN.id} />);
    const user = userEvent.setup();
    await screen.findByTestId('request-approve');
    expect(screen.queryByTestId('shift-requests-decided')).not.toBeInTheDocument();
    await user.click(screen.getByTestId('show-decided'));
    const group = await screen.findByTestId('shift-requests-decided');
    await waitFor(() => expect(within(group).getAllByTestId('shift-request').map((c) => c.getAttribute('data-id'))).toEqual(['r-done']));
    expect(card('r-done')).toHaveTextContent('Denied by Sam Jansen');
    expect(card('r-done')).toHaveTextContent('Reason: Already full enough.');
    expect(within(card('r-done')).queryByRole('button')).not.toBeInTheDocument();
    expect(requests.some((r) => r.url === `/api/locations/${HAVEN.id}/requests?decided=true`)).toBe(true);
  });

  it('shows the requests without decision buttons to those who may not decide', async () => {
    inbox([{ ...claim, canApprove: false }], { me: deciderMe('floor_manager', false) });
    renderUi(<ShiftRequestsSection locationId={HAVEN.id} />);
    const request = await screen.findByTestId('shift-request');
    expect(within(request).getByTestId('manager-decides')).toHaveTextContent('A manager decides.');
    expect(within(request).queryByRole('button')).not.toBeInTheDocument();
    expect(screen.queryByTestId('bulk-bar')).not.toBeInTheDocument();
  });

  it('speaks Dutch', async () => {
    inbox([claim, swap]);
    renderUi(<ShiftRequestsSection locationId={HAVEN.id} />, { language: 'nl' });
    expect(await screen.findByTestId('shift-requests-pending-count')).toHaveTextContent('2 wachten');
    expect(card('r-swap')).toHaveTextContent('Bram Jansen en Eva Mulder willen ruilen');
    expect(within(card('r-claim')).getByTestId('request-approve')).toHaveTextContent('Goedkeuren');
  });
});

describe('the request settings of a location', () => {
  const SETTINGS = `/api/locations/${HAVEN.id}/request-settings`;
  const saved: RequestSettings = { claimsNeedApproval: true, swapsNeedApproval: true, cutoffMinutes: 720 };

  it('lets a manager change them', async () => {
    const puts: unknown[] = [];
    mockApi({
      'GET /api/auth/me': () => jsonResponse(200, deciderMe()),
      [`GET ${SETTINGS}`]: () => jsonResponse(200, saved),
      [`PUT ${SETTINGS}`]: (r) => {
        puts.push(r.body);
        return jsonResponse(200, r.body);
      },
    });
    renderUi(<RequestSettingsForm locationId={HAVEN.id} />);
    const user = userEvent.setup();
    const form = await screen.findByTestId('request-settings');
    const hours = within(form).getByTestId('settings-cutoff');
    expect(hours).toHaveValue('12');
    expect(within(form).getByLabelText('Claims of open shifts need a manager’s approval')).toBeChecked();

    await user.clear(hours);
    await user.type(hours, 'soon');
    await user.click(within(form).getByTestId('settings-save'));
    expect(hours).toHaveAttribute('aria-invalid', 'true');
    expect(form).toHaveTextContent('This number is outside the allowed range.');
    expect(puts).toEqual([]);

    await user.clear(hours);
    await user.type(hours, '1,5');
    await user.click(within(form).getByLabelText('Claims of open shifts need a manager’s approval'));
    await user.click(within(form).getByTestId('settings-save'));
    await waitFor(() => expect(puts).toEqual([{ claimsNeedApproval: false, swapsNeedApproval: true, cutoffMinutes: 90 }]));
    expect(await screen.findByText('The settings are saved.')).toBeInTheDocument();
  });

  it('puts the server’s field error on the hours', async () => {
    mockApi({
      'GET /api/auth/me': () => jsonResponse(200, deciderMe()),
      [`GET ${SETTINGS}`]: () => jsonResponse(200, saved),
      [`PUT ${SETTINGS}`]: () => errorResponse(422, 'validation_failed', { cutoffMinutes: 'out_of_range' }),
    });
    renderUi(<RequestSettingsForm locationId={HAVEN.id} />);
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('settings-save'));
    await waitFor(() => expect(screen.getByTestId('settings-cutoff')).toHaveAttribute('aria-invalid', 'true'));
    expect(screen.getByTestId('request-settings')).toHaveTextContent('This number is outside the allowed range.');
  });

  it('shows them read-only to a floor manager', async () => {
    mockApi({
      'GET /api/auth/me': () => jsonResponse(200, deciderMe('floor_manager')),
      [`GET ${SETTINGS}`]: () => jsonResponse(200, { ...saved, swapsNeedApproval: false }),
    });
    renderUi(<RequestSettingsForm locationId={HAVEN.id} />);
    const summary = await screen.findByTestId('request-settings');
    expect(summary.tagName).toBe('DL');
    expect(summary).toHaveTextContent('Offers and swaps need a manager’s approvalNo');
    expect(summary).toHaveTextContent('12 hours before the shift');
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
  });
});
