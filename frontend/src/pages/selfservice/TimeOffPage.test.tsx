import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TimeOff } from '../../api/selfServiceTypes';
import { errorResponse, jsonResponse, mockApi, renderApp } from '../../test/utils';
import { crewMe, timeOff } from './testData';

// Wednesday 9 December 2026 in Amsterdam.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-12-09T10:00:00Z'));
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const request = (id: string) => {
  const found = screen.getAllByTestId('time-off').find((el) => el.getAttribute('data-id') === id);
  if (!found) throw new Error(`no request ${id}`);
  return found;
};

describe('time off', () => {
  it('sends a part-day request and puts the server’s field errors on their fields', async () => {
    const posted: unknown[] = [];
    const { requests } = mockApi({
      'GET /api/auth/me': () => jsonResponse(200, crewMe()),
      'GET /api/me/time-off': () => jsonResponse(200, []),
      'POST /api/me/time-off': (r) => {
        posted.push(r.body);
        return errorResponse(422, 'validation_failed', { startTime: 'invalid_local_time', lastDay: 'range_too_long' });
      },
    });
    renderApp('/me/time-off');
    const user = userEvent.setup();
    const form = await screen.findByTestId('time-off-form');
    expect(await screen.findByText('You have not asked for time off yet.')).toBeInTheDocument();

    // The last day follows the first until it is chosen.
    fireEvent.change(within(form).getByLabelText('First day'), { target: { value: '2027-03-27' } });
    expect(within(form).getByLabelText('Last day')).toHaveValue('2027-03-27');

    // A last day before the first is refused here.
    fireEvent.change(within(form).getByLabelText('Last day'), { target: { value: '2027-03-20' } });
    await user.click(within(form).getByRole('button', { name: 'Send request' }));
    expect(form).toHaveTextContent('The last day cannot be before the first day.');
    expect(posted).toHaveLength(0);

    fireEvent.change(within(form).getByLabelText('Last day'), { target: { value: '2027-03-28' } });
    await user.click(within(form).getByLabelText('Only part of a day'));
    expect(form).toHaveTextContent('Times are in Europe/Amsterdam.');
    fireEvent.change(within(form).getByLabelText(/From \(on the first day\)/), { target: { value: '02:30' } });
    await user.selectOptions(within(form).getByLabelText('Kind of leave'), 'personal');
    await user.click(within(form).getByRole('button', { name: 'Send request' }));

    await waitFor(() => expect(posted).toHaveLength(1));
    // No end time typed: the whole last day, so no `endTime` at all.
    expect(posted[0]).toEqual({ firstDay: '2027-03-27', lastDay: '2027-03-28', category: 'personal', startTime: '02:30' });
    expect(requests.find((r) => r.method === 'POST')?.headers.get('X-Crewplots-Csrf')).toBe('1');

    const start = within(form).getByLabelText(/From \(on the first day\)/);
    await waitFor(() => expect(start).toHaveAttribute('aria-invalid', 'true'));
    expect(start.closest('.field')).toHaveTextContent('This time does not exist that day (the clocks move forward)');
    expect(within(form).getByLabelText('Last day').closest('.field')).toHaveTextContent('At most 365 days at a time.');
    expect(within(form).getByLabelText(/Until \(on the last day\)/)).not.toHaveAttribute('aria-invalid');
    expect(within(form).getByRole('alert')).toHaveTextContent('Some fields need your attention.');
  });

  it('lists my requests with their state, and sends a whole-day request', async () => {
    let list: TimeOff[] = [
      timeOff({ id: 't-pending' }),
      timeOff({
        id: 't-approved',
        firstDay: '2026-12-12',
        lastDay: '2026-12-12',
        startTime: '14:00',
        category: 'personal',
        status: 'approved',
        decidedBy: { id: 'm1', name: 'Eva Mulder', role: 'manager' },
        decidedAt: '2026-12-02T10:00:00Z',
      }),
      timeOff({
        id: 't-denied',
        status: 'denied',
        category: 'other',
        decidedBy: { id: 'm1', name: 'Eva Mulder', role: 'manager' },
        decidedAt: '2026-12-03T10:00:00Z',
        reason: 'Christmas is fully booked.',
      }),
    ];
    const posted: unknown[] = [];
    mockApi({
      'GET /api/auth/me': () => jsonResponse(200, crewMe()),
      'GET /api/me/time-off': () => jsonResponse(200, list),
      'POST /api/me/time-off': (r) => {
        posted.push(r.body);
        list = [timeOff({ id: 't-new', firstDay: '2027-01-11', lastDay: '2027-01-11', category: 'sick' }), ...list];
        return jsonResponse(201, list[0]);
      },
    });
    renderApp('/me/time-off');
    await screen.findAllByTestId('time-off');

    expect(request('t-pending')).toHaveTextContent('Mon, Dec 21, 2026 – Thu, Dec 24, 2026');
    expect(request('t-pending')).toHaveTextContent('Waiting');
    expect(request('t-pending')).toHaveTextContent('Vacation');
    expect(within(request('t-pending')).getByRole('button', { name: /Withdraw the request/ })).toBeInTheDocument();

    expect(request('t-approved')).toHaveTextContent('Sat, Dec 12, 2026, 14:00–24:00');
    expect(request('t-approved')).toHaveTextContent('Approved by Eva Mulder');
    expect(within(request('t-approved')).queryByRole('button')).not.toBeInTheDocument();

    expect(request('t-denied')).toHaveTextContent('Denied');
    expect(request('t-denied')).toHaveTextContent('Reason: Christmas is fully booked.');

    const user = userEvent.setup();
    const form = screen.getByTestId('time-off-form');
    fireEvent.change(within(form).getByLabelText('First day'), { target: { value: '2027-01-11' } });
    await user.selectOptions(within(form).getByLabelText('Kind of leave'), 'sick');
    await user.click(within(form).getByRole('button', { name: 'Send request' }));
    await waitFor(() => expect(posted).toEqual([{ firstDay: '2027-01-11', lastDay: '2027-01-11', category: 'sick' }]));
    expect(await screen.findByText('Your request is sent. A manager will decide.')).toBeInTheDocument();
    await waitFor(() => expect(request('t-new')).toHaveTextContent('Sick'));
    // The form is empty again.
    expect(within(form).getByLabelText('First day')).toHaveValue('');
  });

  it('withdraws a pending request after a confirmation, and says so when a manager was first', async () => {
    let list: TimeOff[] = [timeOff({ id: 't1' }), timeOff({ id: 't2', firstDay: '2027-02-01', lastDay: '2027-02-02' })];
    const cancels: string[] = [];
    mockApi({
      'GET /api/auth/me': () => jsonResponse(200, crewMe()),
      'GET /api/me/time-off': () => jsonResponse(200, list),
      'POST /api/me/time-off/t1/cancel': (r) => {
        cancels.push(r.url);
        list = list.map((t) => (t.id === 't1' ? { ...t, status: 'cancelled', decidedAt: '2026-12-09T10:00:00Z' } : t));
        return jsonResponse(200, list[0]);
      },
      'POST /api/me/time-off/t2/cancel': (r) => {
        cancels.push(r.url);
        list = list.map((t) => (t.id === 't2' ? { ...t, status: 'approved' } : t));
        return errorResponse(409, 'request_decided', { status: 'approved' });
      },
    });
    renderApp('/me/time-off');
    const user = userEvent.setup();
    await screen.findAllByTestId('time-off');

    await user.click(within(request('t1')).getByRole('button', { name: /Withdraw/ }));
    let dialog = screen.getByRole('alertdialog', { name: 'Withdraw this request?' });
    expect(dialog).toHaveTextContent('Mon, Dec 21, 2026 – Thu, Dec 24, 2026');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(cancels).toEqual([]);

    await user.click(within(request('t1')).getByRole('button', { name: /Withdraw/ }));
    dialog = screen.getByRole('alertdialog', { name: 'Withdraw this request?' });
    await user.click(within(dialog).getByRole('button', { name: 'Withdraw request' }));
    await waitFor(() => expect(request('t1')).toHaveAttribute('data-status', 'cancelled'));
    expect(request('t1')).toHaveTextContent('Withdrawn');
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();

    await user.click(within(request('t2')).getByRole('button', { name: /Withdraw/ }));
    dialog = screen.getByRole('alertdialog', { name: 'Withdraw this request?' });
    await user.click(within(dialog).getByRole('button', { name: 'Withdraw request' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('A manager already decided on this request: Approved.');
    await waitFor(() => expect(request('t2')).toHaveAttribute('data-status', 'approved'));
    expect(cancels).toEqual(['/api/me/time-off/t1/cancel', '/api/me/time-off/t2/cancel']);
  });
});
