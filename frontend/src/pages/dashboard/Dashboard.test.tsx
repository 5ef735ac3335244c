import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DashboardView } from '../../api/dashboardTypes';
import { haven, noord, VENUE, NOORD } from '../../test/crewData';
import { errorResponse, jsonResponse, makeMe, mockApi, renderApp, withPermissions } from '../../test/utils';

afterEach(() => vi.unstubAllGlobals());

const manager = () =>
  withPermissions(
    makeMe('manager', { locations: [VENUE, NOORD] }),
    'applications.view',
    'schedule.view',
    'requests.view',
    'dashboard.view',
  );

export function dashboardView(overrides: Partial<DashboardView> = {}): DashboardView {
  return {
    generatedAt: '2026-12-08T09:30:00Z',
    locations: [VENUE, NOORD],
    isoWeek: '2026-W50',
    hiring: {
      newApplications: 3,
      receivedLast7Days: 5,
      interviewsThisWeek: 2,
      pipeline: [
        { status: 'new', count: 3 },
        { status: 'contacted', count: 4 },
        { status: 'interviewed', count: 2 },
        { status: 'short_listed', count: 1 },
        { status: 'hired', count: 6 },
        { status: 'rejected', count: 7 },
        { status: 'withdrawn', count: 0 },
      ],
    },
    crew: { active: 12, onLeave: 1 },
    schedule: {
      shifts: 18,
      scheduledHours: 101.5,
      contractedHours: 240,
      openSlots: 4,
      draftWeeks: 1,
      hoursByWeek: ['2026-W43', '2026-W44', '2026-W45', '2026-W46', '2026-W47', '2026-W48', '2026-W49', '2026-W50'].map(
        (isoWeek, i) => ({ isoWeek, scheduledHours: 90 + i * 2.25, contractedHours: 240 }),
      ),
      coverage: ['2026-12-08', '2026-12-09', '2026-12-10', '2026-12-11', '2026-12-12', '2026-12-13', '2026-12-14'].map(
        (date, i) => ({ date, slots: 4, filled: 4 - (i % 2), open: i % 2 }),
      ),
    },
    requests: { claims: 2, offers: 0, swaps: 1, timeOff: 3 },
    documents: { awaitingReview: 4, expiringWithin30Days: 2 },
    ...overrides,
  };
}

function server(view: () => DashboardView | Response, me = manager()) {
  return mockApi({
    'GET /api/auth/me': () => jsonResponse(200, me),
    'GET /api/locations': () => jsonResponse(200, [haven, noord]),
    'GET /api/dashboard': () => {
      const answer = view();
      return answer instanceof Response ? answer : jsonResponse(200, answer);
    },
    'GET /api/documents/review-queue': () => jsonResponse(200, []),
    'GET /api/documents/expiring': () => jsonResponse(200, []),
  });
}

const tile = (name: string) => screen.getByTestId(`tile-${name}`);

describe('the staff dashboard', () => {
  it('shows the figures of every area, with links to where the work is', async () => {
    const { requests } = server(() => dashboardView());
    renderApp('/staff');
    const dashboard = await screen.findByTestId('dashboard');
    await within(dashboard).findByTestId('tile-new-applications');
    expect(requests.find((r) => r.url.startsWith('/api/dashboard'))?.url).toBe('/api/dashboard');

    expect(tile('new-applications')).toHaveTextContent('3New applications');
    expect(tile('received-7-days')).toHaveTextContent('5');
    expect(tile('interviews')).toHaveTextContent('2');
    expect(tile('crew-active')).toHaveTextContent('12');
    expect(tile('crew-on-leave')).toHaveTextContent('1');
    expect(tile('shifts')).toHaveTextContent('18');
    expect(tile('hours')).toHaveTextContent('101.5 of 240');
    expect(tile('open-slots')).toHaveAttribute('data-value', '4');
    expect(tile('open-slots')).toHaveClass('tile--attention');
    expect(tile('draft-weeks')).toHaveTextContent('1');
    expect(tile('claims')).toHaveTextContent('2');
    expect(tile('offers')).not.toHaveClass('tile--attention');
    expect(tile('swaps')).toHaveTextContent('1');
    expect(tile('time-off')).toHaveTextContent('3');
    expect(tile('awaiting-review')).toHaveTextContent('4');
    expect(tile('expiring')).toHaveTextContent('2');
    expect(within(tile('awaiting-review')).getByRole('link', { name: 'Review them' })).toHaveAttribute('href', '#review-queue');
    expect(within(screen.getByTestId('dashboard-section-requests')).getByRole('link', { name: /Open the requests/ })).toHaveAttribute(
      'href',
      '/staff/requests',
    );
    expect(screen.getByTestId('dashboard-covers')).toHaveTextContent('Week 50 · Café De Haven, Brasserie Noord');
    // The rest of the staff home stays below.
    expect(screen.getByRole('heading', { name: 'Your locations' })).toBeInTheDocument();
  });

  it('draws three charts, each with a title and a table of its figures for screen readers', async () => {
    server(() => dashboardView());
    renderApp('/staff');
    const pipeline = await screen.findByTestId('chart-pipeline');
    expect(screen.getAllByRole('figure')).toHaveLength(3);
    expect(pipeline.tagName).toBe('FIGURE');
    expect(pipeline).toHaveAccessibleName('Applications by status');
    expect(pipeline.querySelector('svg')).toHaveAttribute('aria-hidden', 'true');
    expect(pipeline.querySelectorAll('svg [data-status]')).toHaveLength(7);
    const pipelineTable = within(pipeline).getByRole('table', { name: 'Applications by status' });
    const rows = within(pipelineTable).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.textContent)).toEqual([
      'New3',
      'Contacted4',
      'Interviewed2',
      'Short-listed1',
      'Hired6',
      'Rejected7',
      'Withdrawn0',
    ]);
    expect(pipeline).toHaveTextContent('23 applications in all.');

    const hours = screen.getByTestId('chart-hours');
    expect(hours).toHaveAccessibleName('Hours per week against contracts');
    expect(hours.querySelectorAll('svg [data-week]')).toHaveLength(8);
    const hoursTable = within(hours).getByRole('table');
    expect(within(hoursTable).getAllByRole('columnheader').map((c) => c.textContent)).toEqual([
      'Week',
      'Scheduled hours',
      'Contracted hours',
    ]);
    expect(within(hoursTable).getByRole('row', { name: /Week 50, 2026/ })).toHaveTextContent('Week 50, 2026105.75240');
    expect(hours).toHaveTextContent('This week: 105.75 scheduled of 240 contracted hours.');

    const coverage = screen.getByTestId('chart-coverage');
    expect(coverage.querySelectorAll('svg [data-date]')).toHaveLength(7);
    const coverageRows = within(within(coverage).getByRole('table')).getAllByRole('row').slice(1);
    expect(coverageRows[0]).toHaveTextContent('Tuesday, December 8440');
    expect(coverageRows[1]).toHaveTextContent('Wednesday, December 9431');
    expect(coverage).toHaveTextContent('3 of 28 slots still open.');
    // Open slots are told apart by a pattern too, not by colour alone.
    expect(coverage.querySelector('pattern')).not.toBeNull();
  });

  it('leaves out the areas the caller may not see, and the charts with them', async () => {
    const me = withPermissions(makeMe('floor_manager', { locations: [VENUE] }), 'dashboard.view');
    server(() => dashboardView({ hiring: null, schedule: null, requests: null, documents: null, locations: [VENUE] }), me);
    renderApp('/staff');
    await screen.findByTestId('tile-crew-active');
    expect(screen.getByTestId('dashboard-section-crew')).toBeInTheDocument();
    for (const area of ['hiring', 'schedule', 'requests', 'documents']) {
      expect(screen.queryByTestId(`dashboard-section-${area}`)).not.toBeInTheDocument();
    }
    expect(screen.queryByTestId('tile-new-applications')).not.toBeInTheDocument();
    expect(screen.queryByTestId('chart-pipeline')).not.toBeInTheDocument();
    expect(screen.queryByTestId('chart-hours')).not.toBeInTheDocument();
    expect(screen.queryByRole('figure')).not.toBeInTheDocument();
  });

  it('asks for one venue when one is picked', async () => {
    const { requests } = server(() => dashboardView());
    renderApp('/staff');
    const user = userEvent.setup();
    await screen.findByTestId('tile-crew-active');
    await user.selectOptions(screen.getByLabelText('Figures for'), NOORD.id);
    await waitFor(() => expect(requests.map((r) => r.url)).toContain(`/api/dashboard?location=${NOORD.id}`));
    expect(within(screen.getByTestId('dashboard-section-requests')).getByRole('link', { name: /Open the requests/ })).toHaveAttribute(
      'href',
      `/staff/requests?location=${NOORD.id}`,
    );
    await user.selectOptions(screen.getByLabelText('Figures for'), '');
    expect(screen.getByLabelText('Figures for')).toHaveValue('');
  });

  it('shows a load error with a retry, like the other pages', async () => {
    let fail = true;
    server(() => (fail ? errorResponse(503, 'service_unavailable') : dashboardView()));
    renderApp('/staff');
    const dashboard = await screen.findByTestId('dashboard');
    expect(await within(dashboard).findByRole('alert')).toBeInTheDocument();
    fail = false;
    await userEvent.setup().click(within(dashboard).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('tile-crew-active')).toBeInTheDocument();
  });

  it('is not there for staff without the permission (and its request is not made)', async () => {
    const { requests } = server(() => dashboardView(), makeMe('manager', { locations: [VENUE] }));
    renderApp('/staff');
    await screen.findByRole('heading', { name: 'Your locations' });
    expect(screen.queryByTestId('dashboard')).not.toBeInTheDocument();
    expect(requests.some((r) => r.url.startsWith('/api/dashboard'))).toBe(false);
  });

  it('speaks Dutch with Dutch numbers', async () => {
    server(() => dashboardView());
    renderApp('/staff', { language: 'nl' });
    await screen.findByTestId('tile-hours');
    expect(tile('hours')).toHaveTextContent('101,5 van 240');
    expect(tile('new-applications')).toHaveTextContent('Nieuwe sollicitaties');
    expect(await screen.findByTestId('chart-pipeline')).toHaveAccessibleName('Sollicitaties per status');
  });
});
