import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HoursLock } from '../../api/exportsTypes';
import { haven, noord, VENUE } from '../../test/crewData';
import { errorResponse, jsonResponse, makeMe, mockApi, renderApp, withPermissions } from '../../test/utils';
import { hoursRangeProblem, lastMonth, optionalRangeProblem } from './exportForm';

const clicks: string[] = [];
beforeEach(() => {
  clicks.length = 0;
  vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:csv'), revokeObjectURL: vi.fn() }));
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    clicks.push(this.download);
  });
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const manager = () => withPermissions(makeMe('manager', { locations: [VENUE] }), 'exports.download');

const lock: HoursLock = {
  id: 'l1',
  from: '2026-10-01',
  to: '2026-10-31',
  lockedAt: '2026-11-02T09:00:00Z',
  lockedBy: { id: 'm1', name: 'Sam Jansen' },
};

function csv(name: string) {
  return () =>
    new Response('\uFEFFkind,location\r\nplanned,Café De Haven\r\n', {
      status: 200,
      headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}"` },
    });
}

function server(extra: Record<string, Parameters<typeof mockApi>[0][string]> = {}) {
  return mockApi({
    'GET /api/auth/me': () => jsonResponse(200, manager()),
    'GET /api/locations': () => jsonResponse(200, [haven, noord]),
    [`GET /api/locations/${haven.id}/hours-locks`]: () => jsonResponse(200, [lock]),
    [`GET /api/locations/${noord.id}/hours-locks`]: () => jsonResponse(200, []),
    'GET /api/exports/hours': csv('crewplots-hours-2026-11-01-2026-11-30.csv'),
    'GET /api/exports/applications': csv('crewplots-applications.csv'),
    ...extra,
  });
}

async function setRange(section: HTMLElement, from: string, to: string) {
  fireEvent.change(within(section).getByLabelText('From'), { target: { value: from } });
  fireEvent.change(within(section).getByLabelText('Until'), { target: { value: to } });
}

describe('the export form checks', () => {
  it('needs both days in order and at most 366 days', () => {
    expect(hoursRangeProblem('2026-11-01', '2026-11-30')).toBeNull();
    expect(hoursRangeProblem('', '2026-11-30')).toBe('required');
    expect(hoursRangeProblem('2026-12-01', '2026-11-30')).toBe('range');
    expect(hoursRangeProblem('2026-01-01', '2026-12-31')).toBeNull();
    expect(hoursRangeProblem('2024-01-01', '2024-12-31')).toBeNull(); // 366 days of a leap year
    expect(hoursRangeProblem('2026-01-01', '2027-01-01')).toBeNull(); // 366 days, both ends counted
    expect(hoursRangeProblem('2026-01-01', '2027-01-02')).toBe('tooLong');
    expect(optionalRangeProblem('', '')).toBeNull();
    expect(optionalRangeProblem('2026-11-01', '')).toBeNull();
    expect(optionalRangeProblem('2026-11-02', '2026-11-01')).toBe('range');
  });

  it('offers last month by default', () => {
    expect(lastMonth(new Date(2026, 0, 15))).toEqual({ from: '2025-12-01', to: '2025-12-31' });
    expect(lastMonth(new Date(2026, 2, 31))).toEqual({ from: '2026-02-01', to: '2026-02-28' });
  });
});

describe('the exports page', () => {
  it('downloads the hours of the chosen venue and period with the chosen separator', async () => {
    const { requests } = server();
    renderApp('/staff/exports');
    const user = userEvent.setup();
    const section = await screen.findByTestId('hours-export');
    await setRange(section, '2026-11-01', '2026-11-30');
    const button = within(section).getByTestId('download-hours');
    expect(button).toHaveAttribute(
      'data-url',
      `/api/exports/hours?location=${haven.id}&from=2026-11-01&to=2026-11-30&delimiter=comma`,
    );
    // Semicolons are for Dutch Excel, and the page says so.
    expect(within(section).getByText(/Choose semicolon for Excel in Dutch/)).toBeInTheDocument();
    await user.click(within(section).getByLabelText('Semicolon (decimal comma)'));
    await user.selectOptions(within(section).getByLabelText('Location'), noord.id);
    await user.click(within(section).getByTestId('download-hours'));
    await waitFor(() => expect(clicks).toEqual(['crewplots-hours-2026-11-01-2026-11-30.csv']));
    const sent = requests.filter((r) => r.url.startsWith('/api/exports/hours'));
    expect(sent.map((r) => r.url)).toEqual([
      `/api/exports/hours?location=${noord.id}&from=2026-11-01&to=2026-11-30&delimiter=semicolon`,
    ]);
    expect(sent[0]?.credentials).toBe('same-origin');
    expect(await screen.findByText('crewplots-hours-2026-11-01-2026-11-30.csv is downloaded.')).toBeInTheDocument();
  });

  it('refuses a range the server would refuse, and shows a refusal of the server', async () => {
    server({ 'GET /api/exports/hours': () => errorResponse(403, 'forbidden') });
    renderApp('/staff/exports');
    const user = userEvent.setup();
    const section = await screen.findByTestId('hours-export');
    await setRange(section, '2026-12-01', '2026-11-01');
    expect(within(section).getByTestId('range-problem')).toHaveTextContent('The last day must not come before the first.');
    expect(within(section).getByTestId('download-hours')).toBeDisabled();
    expect(within(section).getByTestId('lock-period')).toBeDisabled();
    await setRange(section, '2025-01-01', '2026-11-01');
    expect(within(section).getByTestId('range-problem')).toHaveTextContent('One export covers at most 366 days.');
    await setRange(section, '2026-11-01', '2026-11-30');
    await user.click(within(section).getByTestId('download-hours'));
    expect(await within(section).findByRole('alert')).toHaveTextContent('You are not allowed to do this.');
    expect(clicks).toEqual([]);
  });

  it('lists the locked periods and locks one after a confirmation that says what locking does', async () => {
    let locks = [lock];
    const { requests } = server({
      [`GET /api/locations/${haven.id}/hours-locks`]: () => jsonResponse(200, locks),
      [`POST /api/locations/${haven.id}/hours-locks`]: (request) => {
        const made = { ...lock, id: 'l2', ...(request.body as object), lockedAt: '2026-12-01T10:00:00Z' };
        locks = [made, ...locks];
        return jsonResponse(201, made);
      },
    });
    renderApp('/staff/exports');
    const user = userEvent.setup();
    const section = await screen.findByTestId('hours-export');
    const list = await within(section).findByTestId('hours-locks');
    await within(list).findByTestId('hours-lock');
    expect(within(list).getByTestId('hours-lock')).toHaveTextContent('Oct 1, 2026 – Oct 31, 2026');
    expect(within(list).getByTestId('hours-lock')).toHaveTextContent('Sam Jansen');

    await setRange(section, '2026-11-01', '2026-11-30');
    await user.click(within(section).getByTestId('lock-period'));
    const dialog = await screen.findByRole('alertdialog', { name: 'Lock Nov 1, 2026 – Nov 30, 2026 at Café De Haven?' });
    expect(dialog).toHaveTextContent('publishing a change to a shift in this period asks for a reason');
    expect(dialog).toHaveTextContent('can no longer be approved');
    expect(requests.some((r) => r.method === 'POST')).toBe(false);
    await user.click(within(dialog).getByRole('button', { name: 'Lock the period' }));
    expect(await screen.findByText('Nov 1, 2026 – Nov 30, 2026 is locked.')).toBeInTheDocument();
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    await waitFor(() => expect(within(list).getAllByTestId('hours-lock')).toHaveLength(2));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
  });

  it('explains a period that overlaps a locked one (409 period_overlaps)', async () => {
    server({ [`POST /api/locations/${haven.id}/hours-locks`]: () => errorResponse(409, 'period_overlaps') });
    renderApp('/staff/exports');
    const user = userEvent.setup();
    const section = await screen.findByTestId('hours-export');
    await setRange(section, '2026-10-15', '2026-11-15');
    await user.click(within(section).getByTestId('lock-period'));
    const dialog = await screen.findByRole('alertdialog');
    await user.click(within(dialog).getByRole('button', { name: 'Lock the period' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'This period overlaps a period that is already locked. Choose days after the last locked period.',
    );
    expect(screen.getByRole('alertdialog')).toBeInTheDocument();
  });

  it('exports applications with the filters chosen, leaving out the empty ones', async () => {
    const { requests } = server();
    renderApp('/staff/exports');
    const user = userEvent.setup();
    const section = await screen.findByTestId('applications-export');
    const button = within(section).getByTestId('download-applications');
    expect(button).toHaveAttribute('data-url', '/api/exports/applications?delimiter=comma');
    await user.selectOptions(within(section).getByLabelText('Venue'), haven.id);
    await user.selectOptions(within(section).getByLabelText('Status'), 'rejected');
    await user.selectOptions(within(section).getByLabelText('Source'), 'qr');
    await setRange(section, '2026-01-01', '2026-06-30');
    await user.click(within(section).getByLabelText('Semicolon (decimal comma)'));
    await user.click(button);
    await waitFor(() => expect(clicks).toEqual(['crewplots-applications.csv']));
    expect(requests.filter((r) => r.url.startsWith('/api/exports/applications')).map((r) => r.url)).toEqual([
      `/api/exports/applications?location=${haven.id}&status=rejected&source=qr&from=2026-01-01&to=2026-06-30&delimiter=semicolon`,
    ]);
  });
});
