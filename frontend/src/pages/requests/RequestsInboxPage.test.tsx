import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TimeOffItem, TimeOffList } from '../../api/selfServiceTypes';
import { errorResponse, jsonResponse, mockApi, renderApp, type RecordedRequest } from '../../test/utils';
import { crewMe, HAVEN, havenLocation, managerMe, timeOff, timeOffItem } from '../selfservice/testData';

afterEach(() => vi.unstubAllGlobals());

const LIST = `GET /api/locations/${HAVEN.id}/time-off`;
const kim = { id: 'p-kim', name: 'Kim de Vries', role: 'crew_member' as const };
const jan = { id: 'p-jan', name: 'Jan Smit', role: 'crew_member' as const };

function kimsRequest(canDecide = true): TimeOffItem {
  return timeOffItem(timeOff({ id: 'r-kim', person: kim, firstDay: '2026-12-16', lastDay: '2026-12-17' }), {
    canDecide,
    collisions: [
      {
        shiftId: 'sh-1',
        locationName: 'Zuid',
        date: '2026-12-16',
        startsAt: '2026-12-16T11:00:00Z',
        endsAt: '2026-12-16T17:00:00Z',
      },
    ],
  });
}

const approvedJan = timeOffItem(
  timeOff({
    id: 'r-jan',
    person: jan,
    status: 'approved',
    decidedBy: { id: 'm1', name: 'Eva Mulder', role: 'manager' },
    decidedAt: '2026-12-02T10:00:00Z',
  }),
  { canDecide: false },
);

/** A fake inbox: pending and approved requests, answering `?status=` like the server. */
function inbox(items: TimeOffItem[], decide?: (r: RecordedRequest) => Response) {
  let all = items;
  const answer = (status: string | null): TimeOffList => {
    const shown = status ? all.filter((i) => i.request.status === status) : all;
    return { items: shown, pending: shown.filter((i) => i.request.status === 'pending').length };
  };
  const api = mockApi({
    'GET /api/auth/me': () => jsonResponse(200, managerMe()),
    'GET /api/locations': () => jsonResponse(200, [havenLocation]),
    [LIST]: (r) => jsonResponse(200, answer(new URL(r.url, 'http://x').searchParams.get('status'))),
    'POST /api/time-off/r-kim/decision': (r) => {
      const result = decide?.(r);
      if (result && !result.ok) return result;
      const body = r.body as { decision: 'approved' | 'denied'; reason?: string };
      all = all.map((i) =>
        i.request.id === 'r-kim'
          ? { ...i, canDecide: false, request: { ...i.request, status: body.decision, reason: body.reason ?? null } }
          : i,
      );
      return jsonResponse(200, all.find((i) => i.request.id === 'r-kim')!.request);
    },
  });
  return api;
}

const card = (id: string) => {
  const found = screen.getAllByTestId('time-off-request').find((el) => el.getAttribute('data-id') === id);
  if (!found) throw new Error(`no request ${id}`);
  return found;
};

const decisions = (requests: RecordedRequest[]) => requests.filter((r) => r.method === 'POST').map((r) => r.body);

describe('the request inbox', () => {
  it('shows pending time off with the colliding shifts, and the count in the navigation', async () => {
    const { requests } = inbox([kimsRequest(), approvedJan]);
    renderApp('/staff/requests');
    const section = await screen.findByTestId('inbox-time-off');
    await waitFor(() => expect(within(section).getAllByTestId('time-off-request')).toHaveLength(1));
    expect(screen.getByRole('heading', { level: 1, name: 'Requests' })).toBeInTheDocument();
    expect(within(section).getByRole('heading', { level: 2, name: /Time off/ })).toBeInTheDocument();
    expect(within(section).getByTestId('pending-count')).toHaveTextContent('1 waiting');

    const kimCard = card('r-kim');
    expect(kimCard).toHaveTextContent('Kim de Vries');
    expect(kimCard).toHaveTextContent('Wed, Dec 16, 2026 – Thu, Dec 17, 2026');
    expect(kimCard).toHaveTextContent('Vacation');
    expect(kimCard).toHaveTextContent('Kim de Vries is scheduled for 1 shift in this period:');
    // The shift's times in Amsterdam: 11:00 UTC is 12:00 there.
    expect(within(kimCard).getByTestId('collision')).toHaveTextContent('works Wed, Dec 16 12:00–18:00 at Zuid');
    expect(within(kimCard).getByRole('button', { name: 'Approve the time off of Kim de Vries' })).toBeInTheDocument();
    expect(within(kimCard).getByRole('button', { name: 'Deny the time off of Kim de Vries' })).toBeInTheDocument();

    // The navigation counts the venue's waiting requests.
    const nav = screen.getByRole('navigation', { name: 'Main navigation' });
    const link = within(nav).getByRole('link', { name: /Requests/ });
    expect(link).toHaveAttribute('href', '/staff/requests');
    await waitFor(() => expect(within(link).getByTestId('nav-pending')).toHaveTextContent('1'));
    expect(link).toHaveAccessibleName('Requests (1 request waiting)');
    expect(requests.some((r) => r.url === `/api/locations/${HAVEN.id}/time-off?status=pending`)).toBe(true);

    // Decided ones behind the filter.
    const user = userEvent.setup();
    await user.selectOptions(within(section).getByLabelText('Show'), 'approved');
    await waitFor(() => expect(within(section).getAllByTestId('time-off-request').map((c) => c.getAttribute('data-id'))).toEqual(['r-jan']));
    expect(card('r-jan')).toHaveTextContent('Approved by Eva Mulder');
    expect(within(card('r-jan')).queryByRole('button')).not.toBeInTheDocument();
    expect(requests.some((r) => r.url === `/api/locations/${HAVEN.id}/time-off?status=approved`)).toBe(true);
  });

  it('denies only with a reason', async () => {
    const { requests } = inbox([kimsRequest()]);
    renderApp('/staff/requests');
    const user = userEvent.setup();
    await screen.findAllByTestId('time-off-request');

    await user.click(screen.getByRole('button', { name: 'Deny the time off of Kim de Vries' }));
    const dialog = screen.getByRole('dialog', { name: 'Deny the time off of Kim de Vries?' });
    expect(within(dialog).getByTestId('collision')).toHaveTextContent('works Wed, Dec 16 12:00–18:00 at Zuid');
    await user.click(within(dialog).getByRole('button', { name: 'Deny' }));
    expect(within(dialog).getByLabelText(/Reason/)).toHaveAttribute('aria-invalid', 'true');
    expect(dialog).toHaveTextContent('This field is required.');
    expect(decisions(requests)).toEqual([]);

    await user.type(within(dialog).getByLabelText(/Reason/), 'Two people are off already.');
    await user.click(within(dialog).getByRole('button', { name: 'Deny' }));
    await waitFor(() => expect(decisions(requests)).toEqual([{ decision: 'denied', reason: 'Two people are off already.' }]));
    expect(await screen.findByText('The time off of Kim de Vries is denied.')).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    // It left the pending list.
    await waitFor(() => expect(screen.getByTestId('inbox-time-off')).toHaveTextContent('No time off waits for a decision.'));
  });

  it('approves with an optional reason', async () => {
    const { requests } = inbox([kimsRequest()]);
    renderApp('/staff/requests');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Approve the time off of Kim de Vries' }));
    const dialog = screen.getByRole('dialog', { name: 'Approve the time off of Kim de Vries?' });
    expect(within(dialog).getByLabelText(/Reason/)).not.toHaveAttribute('aria-invalid');
    await user.click(within(dialog).getByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(decisions(requests)).toEqual([{ decision: 'approved' }]));
    expect(await screen.findByText('The time off of Kim de Vries is approved.')).toBeInTheDocument();
  });

  it('says so when someone else decided first, and shows a server-side reason error on the field', async () => {
    let calls = 0;
    inbox([kimsRequest()], () => {
      calls += 1;
      return calls === 1
        ? errorResponse(422, 'validation_failed', { reason: 'too_long' })
        : errorResponse(409, 'request_decided', { status: 'approved' });
    });
    renderApp('/staff/requests');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Approve the time off of Kim de Vries' }));
    const dialog = screen.getByRole('dialog');
    await user.type(within(dialog).getByLabelText(/Reason/), 'Fine');
    await user.click(within(dialog).getByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(within(dialog).getByLabelText(/Reason/)).toHaveAttribute('aria-invalid', 'true'));
    expect(dialog).toHaveTextContent('This is too long.');

    await user.click(within(dialog).getByRole('button', { name: 'Approve' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Someone else already decided on this request (Approved).');
    expect(within(dialog).getByRole('button', { name: 'Approve' })).toBeDisabled();
  });

  it('shows floor managers the requests without the decision buttons', async () => {
    mockApi({
      'GET /api/auth/me': () => jsonResponse(200, crewMe('floor_manager')),
      'GET /api/locations': () => jsonResponse(200, [havenLocation]),
      [LIST]: () => jsonResponse(200, { items: [kimsRequest(false)], pending: 1 }),
    });
    renderApp('/staff/requests');
    const kimCard = await screen.findByTestId('time-off-request');
    expect(kimCard).toHaveTextContent('Kim de Vries');
    expect(within(kimCard).getByTestId('manager-decides')).toHaveTextContent('A manager decides.');
    expect(within(kimCard).queryByRole('button')).not.toBeInTheDocument();
    // A floor manager also has their own screens, grouped after the staff ones.
    const nav = screen.getByRole('navigation', { name: 'Main navigation' });
    expect(within(nav).getByRole('link', { name: 'My shifts' })).toHaveClass('mainnav__link--group');
  });

  it('is refused to crew members', async () => {
    mockApi({ 'GET /api/auth/me': () => jsonResponse(200, crewMe()) });
    renderApp('/staff/requests');
    expect(await screen.findByRole('heading', { level: 1, name: 'No access' })).toBeInTheDocument();
  });
});
