import { act, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { notificationPage, notification } from '../pages/selfservice/requestTestData';
import { jsonResponse, mockApi, renderUi } from '../test/utils';
import { NotificationBell } from './NotificationBell';

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('the notification bell', () => {
  it('shows the unread count and links to the notifications', async () => {
    const { requests } = mockApi({
      'GET /api/me/notifications': () => jsonResponse(200, notificationPage([notification({ id: 'n1', kind: 'swap_proposed' })], 3, 'c')),
    });
    renderUi(<NotificationBell />);
    const bell = screen.getByTestId('notification-bell');
    expect(bell).toHaveAttribute('href', '/me/notifications');
    expect(await screen.findByTestId('notification-count')).toHaveTextContent('3');
    expect(bell).toHaveAccessibleName('Notifications (3 unread)');
    // Only the count is wanted: one item.
    expect(requests.map((r) => r.url)).toEqual(['/api/me/notifications?limit=1']);
  });

  it('shows no number when all is read, and speaks Dutch', async () => {
    mockApi({ 'GET /api/me/notifications': () => jsonResponse(200, notificationPage([], 0)) });
    renderUi(<NotificationBell />, { language: 'nl' });
    const bell = screen.getByTestId('notification-bell');
    await waitFor(() => expect(bell).toHaveAccessibleName('Meldingen'));
    expect(screen.queryByTestId('notification-count')).not.toBeInTheDocument();
  });

  it('asks again every minute', async () => {
    // Only the interval is faked: the test's own waiting keeps real timeouts.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let unread = 1;
    const { requests } = mockApi({
      'GET /api/me/notifications': () => jsonResponse(200, notificationPage([], unread)),
    });
    renderUi(<NotificationBell />);
    expect(await screen.findByTestId('notification-count')).toHaveTextContent('1');

    unread = 4;
    await act(async () => {
      vi.advanceTimersByTime(59_000);
    });
    expect(requests).toHaveLength(1);
    await act(async () => {
      vi.advanceTimersByTime(1_000);
    });
    await waitFor(() => expect(screen.getByTestId('notification-count')).toHaveTextContent('4'));
    expect(requests).toHaveLength(2);
    expect(screen.getByTestId('notification-bell')).toHaveAccessibleName('Notifications (4 unread)');
  });

  it('shows 99+ for many', async () => {
    mockApi({ 'GET /api/me/notifications': () => jsonResponse(200, notificationPage([], 250)) });
    renderUi(<NotificationBell />);
    expect(await screen.findByTestId('notification-count')).toHaveTextContent('99+');
  });
});
