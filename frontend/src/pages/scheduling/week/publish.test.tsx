import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PublishPreview, WeekChange, WeekGrid } from '../../../api/schedulingTypes';
import { errorResponse, jsonResponse, mockApi, renderApp } from '../../../test/utils';
import { grid, jan, kim, LOC, reason, scheduleMe, venue, WEEK, WEEK_ID } from './testData';

afterEach(() => vi.unstubAllGlobals());

const PATH = `/staff/schedule/${LOC}/${WEEK}`;
const GRID = `GET /api/locations/${LOC}/weeks/${WEEK}`;

function base(current: () => WeekGrid) {
  return {
    'GET /api/auth/me': () => jsonResponse(200, scheduleMe('manager')),
    'GET /api/locations': () => jsonResponse(200, [venue]),
    [`GET /api/locations/${LOC}/weeks`]: () => jsonResponse(200, []),
    [GRID]: () => jsonResponse(200, current()),
  };
}

const preview = (version = 7): PublishPreview => ({
  week: { ...grid().week, version },
  notify: [
    { person: kim, changes: ['new: Mon 2 Mar 18:00–23:00 (Bartender)'] },
    { person: jan, changes: ['moved: Fri 6 Mar 21:00–02:00 → Fri 6 Mar 22:00–03:00 (Bartender)'] },
  ],
});

const published = (g: WeekGrid): WeekGrid => ({
  ...g,
  week: { ...g.week, status: 'published', version: 8, publishedVersion: 8, hasUnpublishedChanges: false, publishedAt: '2026-03-01T12:00:00Z' },
  unpublishedChanges: 0,
});

describe('publishing a week', () => {
  it('lists who will be notified with their changes, then publishes as of the version on screen', async () => {
    let current = grid();
    const { requests } = mockApi({
      ...base(() => current),
      [`GET /api/weeks/${WEEK_ID}/publish-preview`]: () => jsonResponse(200, preview()),
      [`POST /api/weeks/${WEEK_ID}/publish`]: () => {
        current = published(current);
        return jsonResponse(200, { week: current.week, notified: 2 });
      },
      [`GET /api/weeks/${WEEK_ID}/changes`]: () => jsonResponse(200, []),
    });
    renderApp(PATH);
    const user = userEvent.setup();
    await screen.findByTestId('week-grid');
    await user.click(screen.getByTestId('publish'));

    const dialog = await screen.findByTestId('publish-dialog');
    await within(dialog).findByText('2 people will be notified:');
    const people = within(dialog).getAllByTestId('notify-person');
    expect(people.map((p) => p.getAttribute('data-user-id'))).toEqual([kim.id, jan.id]);
    expect(people[1]).toHaveTextContent('Jan Smit');
    expect(people[1]).toHaveTextContent('moved: Fri 6 Mar 21:00–02:00 → Fri 6 Mar 22:00–03:00 (Bartender)');

    await user.click(screen.getByTestId('confirm-publish'));
    expect(await screen.findByText('Week 10, 2026 is published. 2 people have been notified.')).toBeInTheDocument();
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual({ expectedVersion: 7 });
    await waitFor(() => expect(screen.getByTestId('week-status')).toHaveTextContent('Published'));
    // 12:00 UTC is 13:00 at the venue (Amsterdam, winter time): times are the venue's, not the browser's.
    expect(screen.getByText(/^published .*(13:00|01:00 PM)/)).toBeInTheDocument();
    expect(screen.queryByTestId('publish-dialog')).not.toBeInTheDocument();
    expect(screen.getByTestId('publish')).toBeDisabled();
  });

  it('reloads the week and says so when someone else changed it before publishing', async () => {
    let gridCalls = 0;
    let version = 7;
    mockApi({
      ...base(() => {
        gridCalls += 1;
        return grid({ week: { ...grid().week, version } });
      }),
      [`GET /api/weeks/${WEEK_ID}/publish-preview`]: () => jsonResponse(200, preview(version)),
      [`POST /api/weeks/${WEEK_ID}/publish`]: () => {
        version = 9;
        return errorResponse(409, 'week_changed', { currentVersion: '9' });
      },
    });
    renderApp(PATH);
    const user = userEvent.setup();
    await screen.findByTestId('week-grid');
    await user.click(screen.getByTestId('publish'));
    const dialog = await screen.findByTestId('publish-dialog');
    await within(dialog).findByText('2 people will be notified:');
    await user.click(screen.getByTestId('confirm-publish'));

    expect(await within(dialog).findByText(/Someone else changed this week in the meantime/)).toBeInTheDocument();
    await waitFor(() => expect(gridCalls).toBeGreaterThan(1));
    await waitFor(() => expect(screen.getByTestId('confirm-publish')).toBeEnabled());
  });

  it('asks for a reason when the week touches a locked hours period, then publishes with it', async () => {
    let current = grid();
    const { requests } = mockApi({
      ...base(() => current),
      [`GET /api/weeks/${WEEK_ID}/publish-preview`]: () => jsonResponse(200, preview()),
      [`POST /api/weeks/${WEEK_ID}/publish`]: (request) => {
        if (!(request.body as { reason?: string }).reason) return errorResponse(409, 'period_locked');
        current = published(current);
        return jsonResponse(200, { week: current.week, notified: 2 });
      },
      [`GET /api/weeks/${WEEK_ID}/changes`]: () => jsonResponse(200, []),
    });
    renderApp(PATH);
    const user = userEvent.setup();
    await screen.findByTestId('week-grid');
    await user.click(screen.getByTestId('publish'));
    const dialog = await screen.findByTestId('publish-dialog');
    await within(dialog).findByText('2 people will be notified:');
    await user.click(screen.getByTestId('confirm-publish'));

    const locked = await within(dialog).findByTestId('publish-locked');
    expect(locked).toHaveTextContent('This week has shifts in a locked hours period');
    expect(within(dialog).queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.getByTestId('confirm-publish')).toHaveTextContent('Publish with this reason');
    // Without a reason nothing is sent again.
    await user.click(screen.getByTestId('confirm-publish'));
    expect(within(locked).getByText('This field is required.')).toBeInTheDocument();
    expect(requests.filter((r) => r.method === 'POST')).toHaveLength(1);

    await user.type(within(locked).getByLabelText('Reason for the correction'), 'Kim was ill on Monday');
    await user.click(screen.getByTestId('confirm-publish'));
    expect(await screen.findByText('Week 10, 2026 is published. 2 people have been notified.')).toBeInTheDocument();
    expect(requests.filter((r) => r.method === 'POST').map((r) => r.body)).toEqual([
      { expectedVersion: 7 },
      { expectedVersion: 7, reason: 'Kim was ill on Monday' },
    ]);
  });

  it('shows the change history of a published week', async () => {
    const history: WeekChange[] = [
      {
        id: 'c1',
        kind: 'assigned',
        at: '2026-03-01T13:00:00Z',
        actor: { id: 'm1', name: 'Sam Jansen', role: 'manager' },
        person: jan,
        old: null,
        new: 'Fri 6 Mar 22:00–03:00 (Bartender)',
        reason: 'Agreed with Jan',
        overridden: ['rest_too_short'],
        shiftId: null,
      },
    ];
    mockApi({
      ...base(() => published(grid())),
      [`GET /api/weeks/${WEEK_ID}/changes`]: () => jsonResponse(200, history),
    });
    renderApp(PATH);
    const user = userEvent.setup();
    await screen.findByTestId('week-grid');
    const panel = screen.getByRole('region', { name: 'Change history' });
    await user.click(within(panel).getByRole('button', { name: 'Show history' }));
    const item = await within(panel).findByText('Assigned');
    const entry = item.closest('li')!;
    expect(entry).toHaveTextContent('Jan Smit');
    expect(entry).toHaveTextContent('Fri 6 Mar 22:00–03:00 (Bartender)');
    expect(entry).toHaveTextContent('Reason: Agreed with Jan');
    expect(entry).toHaveTextContent('Overrode: Rest too short');
    expect(entry).toHaveTextContent('Sam Jansen');
  });

  it('speaks Dutch, with the rule engine’s reasons in Dutch too', async () => {
    mockApi({
      ...base(() =>
        grid({
          people: grid().people.map((p) => ({
            ...p,
            reasons: [{ ...reason('over_weekly_max', 'warning', '50 h this week, maximum 48 h.'), figures: { minutes: 3000, limitMinutes: 2880 } }],
          })),
        }),
      ),
    });
    renderApp(PATH, { language: 'nl' });
    await screen.findByTestId('week-grid');
    expect(screen.getByTestId('week-status')).toHaveTextContent('Concept');
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Rooster van Café De Haven');
    expect(screen.getAllByText('Boven het weekmaximum').length).toBeGreaterThan(0);
    expect(screen.getAllByText('50 u deze week is meer dan het weekmaximum van 48 u.').length).toBe(3);
    expect(screen.queryByText('50 h this week, maximum 48 h.')).not.toBeInTheDocument();
  });
});
