import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CalendarFeed, CalendarFeedCreated } from '../../api/selfServiceTypes';
import { jsonResponse, mockApi, renderApp } from '../../test/utils';
import { qrPath } from './QrCode';
import { crewMe } from './testData';

afterEach(() => vi.unstubAllGlobals());

const URL_1 = 'https://crew.example.nl/api/calendar/Zm9vYmFyYmF6cXV4cXV1eGNvcmdl.ics';
const URL_2 = 'https://crew.example.nl/api/calendar/c2Vjb25kLXNlY3JldC10b2tlbi1oZXJl.ics';

function created(url: string): CalendarFeedCreated {
  return { url, webcalUrl: url.replace(/^https:/, 'webcal:'), createdAt: '2026-12-09T10:00:00Z' };
}

/** A fake server: the feed's state, changed by POST and DELETE. */
function feedServer(initial: CalendarFeed, answers: CalendarFeedCreated[]) {
  let state = initial;
  const queue = [...answers];
  return mockApi({
    'GET /api/auth/me': () => jsonResponse(200, crewMe()),
    'GET /api/me/shifts': () => jsonResponse(200, { today: '2026-12-09', timezone: 'Europe/Amsterdam', todayShifts: [], upcoming: [], past: [], hours: { isoWeek: '2026-W50', weekMinutes: 0, month: '2026-12', monthMinutes: 0, contractedMinutes: null } }),
    'GET /api/me/calendar-feed': () => jsonResponse(200, state),
    'POST /api/me/calendar-feed': () => {
      const answer = queue.shift()!;
      state = { active: true, createdAt: answer.createdAt, lastUsedAt: null };
      return jsonResponse(201, answer);
    },
    'DELETE /api/me/calendar-feed': () => {
      state = { active: false, createdAt: null, lastUsedAt: null };
      return jsonResponse(204);
    },
  });
}

const posts = (requests: { method: string; url: string }[]) =>
  requests.filter((r) => r.method === 'POST' && r.url === '/api/me/calendar-feed').length;

describe('the calendar subscription', () => {
  it('makes the address and shows it only this once, with the subscribe link and a QR code', async () => {
    const { requests } = feedServer({ active: false, createdAt: null, lastUsedAt: null }, [created(URL_1)]);
    const { router } = renderApp('/me/calendar');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Make my calendar address' }));

    const field = await screen.findByTestId('feed-url');
    expect(field).toHaveValue(URL_1);
    expect(field).toHaveAttribute('readonly');
    expect(screen.getByTestId('feed-new')).toHaveTextContent('This address is shown only now');
    expect(screen.getByRole('link', { name: 'Add to calendar' })).toHaveAttribute('href', URL_1.replace('https:', 'webcal:'));
    const qr = await screen.findByTestId('qr-code');
    expect(qr).toHaveAccessibleName('QR code of your calendar address');
    // The code encodes the https address (drawn from the same encoder the page uses).
    const expected = await qrPath(URL_1);
    expect(qr.querySelector('path')).toHaveAttribute('d', expected.d);
    expect(qr.querySelector('path')?.getAttribute('d')).not.toBe((await qrPath(URL_1.replace('https:', 'webcal:'))).d);
    // A real QR symbol: at least version 1 (21 modules), a finder pattern in the corner (7 dark modules).
    expect(Number(qr.getAttribute('data-modules'))).toBeGreaterThanOrEqual(21);
    expect(expected.d.startsWith('M0 0h7v1h-7z')).toBe(true);
    expect(posts(requests)).toBe(1);
    expect(screen.getByText('Not yet')).toBeInTheDocument();

    // Leave and come back: the server cannot give the address again, and neither does the page.
    await act(() => router.navigate('/me/shifts'));
    await act(() => router.navigate('/me/calendar'));
    expect(await screen.findByText(/For your safety the address cannot be shown again/)).toBeInTheDocument();
    expect(screen.queryByTestId('feed-url')).not.toBeInTheDocument();
    expect(screen.queryByText(URL_1)).not.toBeInTheDocument();
    expect(posts(requests)).toBe(1);
  });

  it('copies the address, or selects it with an explanation when the clipboard refuses', async () => {
    feedServer({ active: false, createdAt: null, lastUsedAt: null }, [created(URL_1)]);
    renderApp('/me/calendar');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Make my calendar address' }));
    const field = await screen.findByTestId<HTMLInputElement>('feed-url');

    await user.click(screen.getByRole('button', { name: 'Copy' }));
    expect(await navigator.clipboard.readText()).toBe(URL_1);
    expect(screen.getByTestId('copy-status')).toHaveTextContent('Copied.');

    vi.spyOn(navigator.clipboard, 'writeText').mockRejectedValue(new DOMException('denied', 'NotAllowedError'));
    await user.click(screen.getByRole('button', { name: 'Copy' }));
    await waitFor(() => expect(screen.getByTestId('copy-status')).toHaveTextContent('Copying did not work here'));
    expect(document.activeElement).toBe(field);
    expect(field.selectionStart).toBe(0);
    expect(field.selectionEnd).toBe(URL_1.length);
  });

  it('makes a new address only after a confirmation that the old one stops working', async () => {
    const { requests } = feedServer(
      { active: true, createdAt: '2026-11-01T09:00:00Z', lastUsedAt: '2026-12-08T07:30:00Z' },
      [created(URL_2)],
    );
    renderApp('/me/calendar');
    const user = userEvent.setup();
    expect(await screen.findByTestId('feed-last-used')).not.toHaveTextContent('Not yet');
    expect(screen.queryByTestId('feed-url')).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'New address' }));
    let dialog = screen.getByRole('alertdialog', { name: 'Make a new address?' });
    expect(dialog).toHaveTextContent('Your current address stops working at once');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(posts(requests)).toBe(0);

    await user.click(screen.getByRole('button', { name: 'New address' }));
    dialog = screen.getByRole('alertdialog', { name: 'Make a new address?' });
    await user.click(within(dialog).getByRole('button', { name: 'Make a new address' }));
    expect(await screen.findByTestId('feed-url')).toHaveValue(URL_2);
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(posts(requests)).toBe(1);
  });

  it('removes the address after a confirmation', async () => {
    const { requests } = feedServer({ active: true, createdAt: '2026-11-01T09:00:00Z', lastUsedAt: null }, []);
    renderApp('/me/calendar');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Remove' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Remove your calendar address?' });
    await user.click(within(dialog).getByRole('button', { name: 'Remove the address' }));
    expect(await screen.findByRole('button', { name: 'Make my calendar address' })).toBeInTheDocument();
    expect(requests.filter((r) => r.method === 'DELETE').map((r) => r.url)).toEqual(['/api/me/calendar-feed']);
    expect(screen.getByText('Your calendar address is removed.')).toBeInTheDocument();
  });

  it('says how Google Calendar differs from calendar apps on the device', async () => {
    feedServer({ active: false, createdAt: null, lastUsedAt: null }, []);
    renderApp('/me/calendar');
    const help = await screen.findByRole('region', { name: 'Good to know' });
    expect(help).toHaveTextContent('every 8 to 24 hours');
    expect(help).toHaveTextContent('can be reached from the internet');
    expect(help).toHaveTextContent('Apple Calendar, Outlook and Thunderbird');
  });
});
