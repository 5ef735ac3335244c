import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Availability, AvailabilityPattern } from '../../api/selfServiceTypes';
import { errorResponse, jsonResponse, mockApi, renderApp } from '../../test/utils';
import { availability, crewMe } from './testData';

// Wednesday 9 December 2026, 11:00 in Amsterdam.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-12-09T10:00:00Z'));
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const current: AvailabilityPattern = {
  effectiveFrom: '2026-11-02',
  windows: [
    { weekday: 2, kind: 'unavailable' },
    { weekday: 5, kind: 'preferred', start: '18:00', end: '02:00' },
  ],
};

const day = (name: string) => screen.getByRole('group', { name });

describe('my availability', () => {
  it('shows the pattern per weekday, sends the edited week and puts a 422 on the window it is about', async () => {
    let saved: unknown = null;
    const { requests } = mockApi({
      'GET /api/auth/me': () => jsonResponse(200, crewMe()),
      'GET /api/me/availability': () => jsonResponse(200, availability({ patterns: [current] })),
      'PUT /api/me/availability': (r) => {
        saved = r.body;
        return errorResponse(422, 'validation_failed', { 'windows[2].start': 'overlaps_other_window' });
      },
    });
    renderApp('/me/availability');
    const user = userEvent.setup();
    await screen.findByRole('group', { name: 'Monday' });
    expect(screen.getByTestId('current-pattern')).toHaveTextContent('This pattern applies since Mon, Nov 2, 2026.');

    // The pattern as it is: Tuesday unavailable all day, Friday preferred into the night, the rest free.
    expect(day('Monday')).toHaveTextContent('Available all day');
    const tuesday = within(day('Tuesday')).getByTestId('availability-window');
    expect(tuesday).toHaveAttribute('data-kind', 'unavailable');
    expect(within(tuesday).getByLabelText('Whole day')).toBeChecked();
    expect(within(tuesday).queryByLabelText('From')).not.toBeInTheDocument();
    const friday = within(day('Friday')).getByTestId('availability-window');
    expect(within(friday).getByLabelText('Kind')).toHaveValue('preferred');
    expect(within(friday).getByLabelText('From')).toHaveValue('18:00');
    expect(within(friday).getByLabelText('Until')).toHaveValue('02:00');
    expect(friday).toHaveTextContent('Ends the next day.');

    // Monday: available only 10:00–16:00.
    await user.click(screen.getByRole('button', { name: 'Add times on Monday' }));
    const monday = within(day('Monday')).getByTestId('availability-window');
    await user.selectOptions(within(monday).getByLabelText('Kind'), 'available');
    await user.click(within(monday).getByLabelText('Whole day'));
    fireEvent.change(within(monday).getByLabelText('From'), { target: { value: '10:00' } });
    fireEvent.change(within(monday).getByLabelText('Until'), { target: { value: '16:00' } });
    expect(screen.getByLabelText('Applies from')).toHaveValue('2026-12-09');
    await user.click(screen.getByRole('button', { name: 'Save my availability' }));

    // Monday to Sunday, whole days without times.
    await waitFor(() => expect(saved).not.toBeNull());
    expect(saved).toEqual({
      effectiveFrom: '2026-12-09',
      windows: [
        { weekday: 1, kind: 'available', start: '10:00', end: '16:00' },
        { weekday: 2, kind: 'unavailable' },
        { weekday: 5, kind: 'preferred', start: '18:00', end: '02:00' },
      ],
    });
    expect(requests.filter((r) => r.method === 'PUT')).toHaveLength(1);

    // windows[2] is Friday's window: the error is there, and nowhere else.
    await waitFor(() => expect(friday).toHaveTextContent('These times overlap other times'));
    expect(friday).toHaveClass('is-invalid');
    expect(within(friday).getByLabelText('From')).toHaveAttribute('aria-invalid', 'true');
    expect(day('Monday')).not.toHaveTextContent('overlap');
    expect(day('Tuesday')).not.toHaveTextContent('overlap');
    expect(screen.getByRole('alert')).toHaveTextContent('Some fields need your attention.');

    // Changing Friday's window takes its error away.
    fireEvent.change(within(friday).getByLabelText('From'), { target: { value: '19:00' } });
    expect(friday).not.toHaveTextContent('overlap');
  });

  it('checks times before sending and saves a pattern from a later date', async () => {
    let saved: unknown = null;
    const after: Availability = availability({
      patterns: [current, { effectiveFrom: '2027-01-04', windows: [{ weekday: 6, kind: 'unavailable' }] }],
    });
    const { requests } = mockApi({
      'GET /api/auth/me': () => jsonResponse(200, crewMe()),
      'GET /api/me/availability': () => jsonResponse(200, availability({ patterns: [current] })),
      'PUT /api/me/availability': (r) => {
        saved = r.body;
        return jsonResponse(200, after);
      },
    });
    renderApp('/me/availability');
    const user = userEvent.setup();
    await screen.findByRole('group', { name: 'Saturday' });

    // A second window on Saturday with an end equal to its start is refused here.
    await user.click(screen.getByRole('button', { name: 'Add times on Saturday' }));
    await user.click(screen.getByRole('button', { name: 'Add times on Saturday' }));
    const [, second] = within(day('Saturday')).getAllByTestId('availability-window');
    fireEvent.change(within(second!).getByLabelText('From'), { target: { value: '17:00' } });
    fireEvent.change(within(second!).getByLabelText('Until'), { target: { value: '17:00' } });
    await user.click(screen.getByRole('button', { name: 'Save my availability' }));
    expect(second).toHaveTextContent('The end must differ from the start');
    expect(requests.filter((r) => r.method === 'PUT')).toHaveLength(0);

    await user.click(within(second!).getByRole('button', { name: 'Remove these times on Saturday' }));
    fireEvent.change(screen.getByLabelText('Applies from'), { target: { value: '2027-01-04' } });
    // The Tuesday and Friday windows of the current pattern stay in the edited week.
    await user.click(screen.getByRole('button', { name: 'Save my availability' }));
    await waitFor(() => expect(saved).not.toBeNull());
    expect(saved).toEqual({
      effectiveFrom: '2027-01-04',
      windows: [
        { weekday: 2, kind: 'unavailable' },
        { weekday: 5, kind: 'preferred', start: '18:00', end: '02:00' },
        { weekday: 6, kind: 'unavailable' },
      ],
    });
    expect(await screen.findByText('Your availability is saved.')).toBeInTheDocument();
    const planned = screen.getByTestId('planned-pattern');
    expect(planned).toHaveTextContent('From Mon, Jan 4, 2027');
    expect(planned).toHaveTextContent('Saturday: Unavailable all day');
  });

  it('shows "nothing declared" as available every day, and warns that saving replaces a planned change', async () => {
    const nothing = { weekday: 1, kind: 'available' as const };
    mockApi({
      'GET /api/auth/me': () => jsonResponse(200, crewMe()),
      'GET /api/me/availability': () =>
        jsonResponse(
          200,
          availability({
            patterns: [
              { effectiveFrom: '2026-10-01', windows: [nothing] },
              { effectiveFrom: '2026-12-20', windows: [nothing] },
            ],
          }),
        ),
    });
    renderApp('/me/availability');
    expect(await screen.findByTestId('current-pattern')).toHaveTextContent('you are available every day');
    // The marker is not a Monday window in the editor.
    expect(within(day('Monday')).queryByTestId('availability-window')).not.toBeInTheDocument();
    expect(day('Monday')).toHaveTextContent('Available all day');
    const planned = screen.getByTestId('planned-pattern');
    expect(planned).toHaveTextContent('From Sun, Dec 20, 2026');
    expect(planned).toHaveTextContent('Available every day');
    expect(screen.getByTestId('replaces')).toHaveTextContent('Saving replaces the change planned from Sun, Dec 20, 2026.');

    // Editing the planned one loads its date.
    const user = userEvent.setup();
    await user.click(within(planned).getByRole('button', { name: 'Change the pattern from Sun, Dec 20, 2026' }));
    expect(screen.getByLabelText('Applies from')).toHaveValue('2026-12-20');
    expect(screen.getByText('You are changing the pattern planned from Sun, Dec 20, 2026.')).toBeInTheDocument();
  });

  it('adds and removes single unavailable days', async () => {
    let days = ['2026-12-31'];
    const { requests } = mockApi({
      'GET /api/auth/me': () => jsonResponse(200, crewMe()),
      'GET /api/me/availability': () => jsonResponse(200, availability({ unavailableDays: days })),
      'PUT /api/me/unavailable-days/2027-01-05': () => {
        days = [...days, '2027-01-05'];
        return jsonResponse(200, availability({ unavailableDays: days }));
      },
      'DELETE /api/me/unavailable-days/2026-12-31': () => {
        days = days.filter((d) => d !== '2026-12-31');
        return jsonResponse(200, availability({ unavailableDays: days }));
      },
    });
    renderApp('/me/availability');
    const user = userEvent.setup();
    const section = await screen.findByRole('region', { name: 'Days you cannot work' });
    expect(within(section).getAllByTestId('unavailable-day').map((d) => d.getAttribute('data-date'))).toEqual(['2026-12-31']);

    // A day in the past is refused before asking.
    fireEvent.change(within(section).getByLabelText('Day'), { target: { value: '2026-12-01' } });
    await user.click(within(section).getByRole('button', { name: 'Mark as unavailable' }));
    expect(section).toHaveTextContent('This day has passed.');
    expect(requests.filter((r) => r.method !== 'GET')).toHaveLength(0);

    fireEvent.change(within(section).getByLabelText('Day'), { target: { value: '2027-01-05' } });
    await user.click(within(section).getByRole('button', { name: 'Mark as unavailable' }));
    await waitFor(() =>
      expect(within(section).getAllByTestId('unavailable-day').map((d) => d.getAttribute('data-date'))).toEqual([
        '2026-12-31',
        '2027-01-05',
      ]),
    );
    await user.click(within(section).getByRole('button', { name: 'Remove Thu, Dec 31, 2026' }));
    await waitFor(() =>
      expect(within(section).getAllByTestId('unavailable-day').map((d) => d.getAttribute('data-date'))).toEqual(['2027-01-05']),
    );
    expect(requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.url}`)).toEqual([
      'PUT /api/me/unavailable-days/2027-01-05',
      'DELETE /api/me/unavailable-days/2026-12-31',
    ]);
  });
});
