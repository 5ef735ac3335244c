import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EmailSetting, NotificationItem } from '../../api/shiftRequestTypes';
import { jsonResponse, mockApi, renderUi, type RecordedRequest } from '../../test/utils';
import { NotificationBell } from '../../components/NotificationBell';
import { NotificationsPage } from './NotificationsPage';
import { crewMe, notification, notificationPage } from './requestTestData';

afterEach(() => vi.unstubAllGlobals());

const newest: NotificationItem[] = [
  notification({
    id: 'n1',
    kind: 'schedule_changed',
    params: { location: 'Café De Haven', isoWeek: '2026-W51', changes: '2' },
    createdAt: '2026-12-09T08:00:00Z',
  }),
  notification({ id: 'n2', kind: 'swap_proposed', params: { by: 'Kim', requestId: 'r1' } }),
  notification({ id: 'n3', kind: 'request_decided', params: { kind: 'claim', status: 'denied', by: 'Eva Mulder', requestId: 'r2' } }),
  notification({
    id: 'n4',
    kind: 'shift_offered',
    params: { by: 'Bram', shift: 'Runner, Tue 8 Dec 18:00–23:00 at Zuid' },
    readAt: '2026-12-08T10:00:00Z',
  }),
  notification({ id: 'n5', kind: 'request_answered', params: { by: 'Kim', answer: 'declined', requestId: 'r3' }, readAt: '2026-12-08T10:00:00Z' }),
];
const older = [
  notification({ id: 'n6', kind: 'request_answered', params: { by: 'Jan', answer: 'accepted', requestId: 'r4' }, readAt: '2026-12-01T10:00:00Z' }),
  notification({ id: 'n7', kind: 'request_decided', params: { kind: 'swap', status: 'approved', by: 'Eva Mulder' }, readAt: '2026-12-01T10:00:00Z' }),
];
const settings: EmailSetting[] = [
  { kind: 'schedule_changed', email: true },
  { kind: 'request_decided', email: true },
  { kind: 'shift_offered', email: true },
  { kind: 'swap_proposed', email: true },
  { kind: 'request_answered', email: false },
];

/** A fake server: two pages (cursor `c1`), marking read, the e-mail settings. */
function server() {
  let items = [...newest, ...older];
  let mail = settings;
  const unread = () => items.filter((i) => !i.readAt).length;
  const api = mockApi({
    'GET /api/auth/me': () => jsonResponse(200, crewMe()),
    'GET /api/me/notifications': (r) => {
      const query = new URL(r.url, 'http://x').searchParams;
      return query.get('cursor') === 'c1'
        ? jsonResponse(200, notificationPage(items.slice(5), unread()))
        : jsonResponse(200, notificationPage(items.slice(0, 5), unread(), 'c1'));
    },
    'POST /api/me/notifications/read': (r) => {
      const ids = (r.body as { ids?: string[] }).ids;
      const before = unread();
      items = items.map((i) => (!ids || ids.includes(i.id) ? { ...i, readAt: i.readAt ?? '2026-12-09T10:00:00Z' } : i));
      return jsonResponse(200, { marked: before - unread(), unread: unread() });
    },
    'GET /api/me/notification-settings': () => jsonResponse(200, mail),
    'PUT /api/me/notification-settings': (r) => {
      const body = r.body as EmailSetting;
      mail = mail.map((s) => (s.kind === body.kind ? body : s));
      return jsonResponse(200, mail);
    },
  });
  return api;
}

const item = (id: string) => {
  const found = screen.getAllByTestId('notification').find((el) => el.getAttribute('data-id') === id);
  if (!found) throw new Error(`no notification ${id}`);
  return found;
};

const posts = (requests: RecordedRequest[]) =>
  requests.filter((r) => r.method !== 'GET').map((r) => ({ method: r.method, url: r.url, body: r.body }));

describe('notifications', () => {
  it('words each kind from its parameters and highlights the unread ones', async () => {
    server();
    renderUi(<NotificationsPage />);
    await screen.findAllByTestId('notification');
    expect(screen.getByRole('heading', { level: 1, name: 'Notifications' })).toBeInTheDocument();
    expect(screen.getByTestId('unread-summary')).toHaveTextContent('3 unread');

    expect(item('n1')).toHaveTextContent('Café De Haven published week 51: 2 changes to your shifts.');
    expect(item('n2')).toHaveTextContent('Kim proposes to swap shifts with you.');
    expect(item('n3')).toHaveTextContent('Eva Mulder denied your claim of an open shift.');
    expect(item('n4')).toHaveTextContent('Bram offers a shift: Runner, Tue 8 Dec 18:00–23:00 at Zuid.');
    expect(item('n5')).toHaveTextContent('Kim declined your swap.');

    expect(item('n1')).toHaveAttribute('data-unread', 'true');
    expect(item('n1')).toHaveClass('is-unread');
    expect(item('n1')).toHaveTextContent('Unread:');
    expect(item('n4')).toHaveAttribute('data-unread', 'false');
    expect(item('n4')).not.toHaveClass('is-unread');
    // Each leads to where it can be acted on.
    expect(within(item('n1')).getByRole('link')).toHaveAttribute('href', '/me/shifts');
    expect(within(item('n2')).getByRole('link')).toHaveAttribute('href', '/me/requests');
    expect(within(item('n4')).getByRole('link')).toHaveAttribute('href', '/me/open-shifts');
  });

  it('marks all as read', async () => {
    const { requests } = server();
    renderUi(<NotificationsPage />);
    const user = userEvent.setup();
    await screen.findAllByTestId('notification');
    await user.click(screen.getByTestId('mark-all-read'));
    await waitFor(() => expect(posts(requests)).toEqual([{ method: 'POST', url: '/api/me/notifications/read', body: {} }]));
    expect(await screen.findByText('All notifications are marked as read.')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('unread-summary')).toHaveTextContent('You have read everything.'));
    expect(item('n1')).toHaveAttribute('data-unread', 'false');
    expect(screen.getByTestId('mark-all-read')).toBeDisabled();
  });

  it('keeps the bell in step', async () => {
    server();
    renderUi(
      <>
        <NotificationBell />
        <NotificationsPage />
      </>,
    );
    const user = userEvent.setup();
    expect(await screen.findByTestId('notification-count')).toHaveTextContent('3');
    await user.click(within(await screen.findByTestId('notifications')).getAllByRole('link')[0]!);
    await waitFor(() => expect(screen.getByTestId('notification-count')).toHaveTextContent('2'));
    await user.click(screen.getByTestId('mark-all-read'));
    await waitFor(() => expect(screen.queryByTestId('notification-count')).not.toBeInTheDocument());
    expect(screen.getByTestId('notification-bell')).toHaveAccessibleName('Notifications');
  });

  it('marks one read when it is opened', async () => {
    const { requests } = server();
    const { router } = renderUi(<NotificationsPage />);
    const user = userEvent.setup();
    await screen.findAllByTestId('notification');
    await user.click(within(item('n2')).getByRole('link'));
    await waitFor(() =>
      expect(posts(requests)).toEqual([{ method: 'POST', url: '/api/me/notifications/read', body: { ids: ['n2'] } }]),
    );
    expect(router.state.location.pathname).toBe('/me/requests');
  });

  it('loads more through the cursor', async () => {
    const { requests } = server();
    renderUi(<NotificationsPage />);
    const user = userEvent.setup();
    await screen.findAllByTestId('notification');
    expect(screen.getAllByTestId('notification')).toHaveLength(5);
    await user.click(screen.getByTestId('notifications-more'));
    await waitFor(() => expect(screen.getAllByTestId('notification')).toHaveLength(7));
    expect(item('n6')).toHaveTextContent('Jan said yes to your swap or offer.');
    expect(item('n7')).toHaveTextContent('Eva Mulder approved your swap.');
    expect(screen.queryByTestId('notifications-more')).not.toBeInTheDocument();
    expect(requests.filter((r) => r.url.startsWith('/api/me/notifications?')).map((r) => r.url)).toEqual([
      '/api/me/notifications?limit=20',
      '/api/me/notifications?limit=20&cursor=c1',
    ]);
  });

  it('switches e-mail per kind', async () => {
    const { requests } = server();
    renderUi(<NotificationsPage />);
    const user = userEvent.setup();
    const section = await screen.findByTestId('email-settings');
    const offered = await within(section).findByTestId('email-switch-shift_offered');
    expect(offered).toBeChecked();
    expect(offered).toHaveAccessibleName('A colleague offers a shift');
    expect(within(section).getByRole('switch', { name: 'A colleague answers my swap or offer' })).not.toBeChecked();

    await user.click(offered);
    await waitFor(() =>
      expect(posts(requests)).toEqual([
        { method: 'PUT', url: '/api/me/notification-settings', body: { kind: 'shift_offered', email: false } },
      ]),
    );
    await waitFor(() => expect(within(section).getByTestId('email-switch-shift_offered')).not.toBeChecked());
    expect(await screen.findByText('E-mail off: A colleague offers a shift')).toBeInTheDocument();
  });

  it('has an empty state, and speaks Dutch', async () => {
    mockApi({
      'GET /api/auth/me': () => jsonResponse(200, crewMe()),
      'GET /api/me/notifications': () => jsonResponse(200, notificationPage([], 0)),
      'GET /api/me/notification-settings': () => jsonResponse(200, settings),
    });
    renderUi(<NotificationsPage />, { language: 'nl' });
    expect(await screen.findByTestId('no-notifications')).toHaveTextContent('Nog geen meldingen');
    expect(screen.getByTestId('mark-all-read')).toHaveTextContent('Alles als gelezen markeren');
    expect(screen.getByTestId('mark-all-read')).toBeDisabled();
  });

  it('words notifications in Dutch', async () => {
    server();
    renderUi(<NotificationsPage />, { language: 'nl' });
    await screen.findAllByTestId('notification');
    expect(item('n1')).toHaveTextContent('Café De Haven heeft week 51 gepubliceerd: 2 wijzigingen in je diensten.');
    expect(item('n3')).toHaveTextContent('Eva Mulder heeft je claim op een open dienst afgewezen.');
    expect(screen.getByTestId('unread-summary')).toHaveTextContent('3 ongelezen');
  });
});
