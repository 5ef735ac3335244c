import { act, renderHook, screen, waitFor, within } from '@testing-library/react';
import userEvent, { type UserEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApplySuggestionsResult } from '../../../api/autofillTypes';
import type { WeekGrid } from '../../../api/schedulingTypes';
import { errorResponse, jsonResponse, makeMe, mockApi, renderApp, renderUi } from '../../../test/utils';
import { useElapsedSeconds } from './SuggestFillDialog';
import { janAtKade, K_FRI, KADE, kade, kadeWeeks, NOOR, proposal, ZUID, zuid } from './suggestFillData';
import { EVA, grid, JAN, LOC, S_MON, S_SAT, scheduleMe, venue, WEEK, WEEK_ID } from './testData';
import { WeekBoard } from './WeekBoard';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

// The test browser speaks en-US: "Mon, Mar 2", "Saturday, March 7".
const PATH = `/staff/schedule/${LOC}/${WEEK}`;
const GRID = `GET /api/locations/${LOC}/weeks/${WEEK}`;
const SUGGEST = `POST /api/weeks/${WEEK_ID}/suggest-fill`;
const APPLY = `POST /api/weeks/${WEEK_ID}/suggestions/apply`;

function base(current: () => WeekGrid = () => grid(), role: 'manager' | 'floor_manager' = 'manager') {
  return {
    'GET /api/auth/me': () => jsonResponse(200, scheduleMe(role)),
    'GET /api/locations': () => jsonResponse(200, [venue, kade, zuid]),
    [`GET /api/locations/${LOC}/weeks`]: () => jsonResponse(200, []),
    [`GET /api/locations/${KADE}/weeks`]: () => jsonResponse(200, kadeWeeks()),
    [`GET /api/locations/${ZUID}/weeks`]: () => jsonResponse(200, []),
    [GRID]: () => jsonResponse(200, current()),
  };
}

const card = (id: string) => document.querySelector<HTMLElement>(`[data-testid="shift"][data-shift-id="${id}"]`)!;
const item = (shiftId: string, userId: string) =>
  document.querySelector<HTMLElement>(`[data-testid="suggestion"][data-shift-id="${shiftId}"][data-user-id="${userId}"]`)!;
const chip = (shiftId: string, userId: string) =>
  document.querySelector<HTMLElement>(`[data-testid="proposed-assignee"][data-shift-id="${shiftId}"][data-user-id="${userId}"]`)!;

/** Opens the dialog, optionally ticks De Kade and sets the budget, and asks. */
async function suggest(user: UserEvent, { withKade = true, seconds }: { withKade?: boolean; seconds?: string } = {}) {
  await user.click(await screen.findByTestId('suggest-fill'));
  const dialog = await screen.findByRole('dialog', { name: 'Suggest fill for Week 10, 2026' });
  if (withKade) {
    const box = await within(dialog).findByRole('checkbox', { name: 'De Kade' });
    await waitFor(() => expect(box).toBeEnabled());
    await user.click(box);
  }
  if (seconds !== undefined) {
    const budget = within(dialog).getByLabelText('Time budget (seconds)');
    await user.clear(budget);
    await user.type(budget, seconds);
  }
  await user.click(within(dialog).getByRole('button', { name: 'Suggest' }));
  return dialog;
}

function applied(overrides: Partial<ApplySuggestionsResult> = {}): ApplySuggestionsResult {
  return {
    applied: [{ shiftId: S_MON, userId: NOOR, assignmentId: 'a-noor' }],
    conflicts: [{ shiftId: K_FRI, userId: JAN, code: 'rest_too_short', message: 'Rest 9 h, minimum 11 h.' }],
    weeks: [{ weekId: WEEK_ID, version: 8 }],
    ...overrides,
  };
}

/** The grid once Noor's suggestion is a real assignment. */
function withNoor(g: WeekGrid): WeekGrid {
  return {
    ...g,
    week: { ...g.week, version: 8 },
    shifts: g.shifts.map((s) =>
      s.id === S_MON
        ? { ...s, open: 0, assignments: [...s.assignments, { id: 'a-noor', person: { id: NOOR, name: 'Noor Bakker', role: 'crew_member' }, overridden: [], overrideReason: null }] }
        : s,
    ),
  };
}

describe('suggest fill', () => {
  it('lists the venues, shows the search with its elapsed time, then the proposal in the grid and the panel', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { requests } = mockApi({
      ...base(),
      [SUGGEST]: async () => {
        await gate;
        return jsonResponse(200, proposal());
      },
    });
    renderApp(PATH);
    const user = userEvent.setup();
    await screen.findByTestId('week-grid');
    await user.click(screen.getByTestId('suggest-fill'));
    const dialog = await screen.findByRole('dialog', { name: 'Suggest fill for Week 10, 2026' });

    // De Kade has a draft of W10 and can be added; Bar Zuid has none and is listed disabled with the reason.
    const venues = within(dialog).getByTestId('suggest-venues');
    const kadeBox = await within(venues).findByRole('checkbox', { name: 'De Kade' });
    await waitFor(() => expect(kadeBox).toBeEnabled());
    expect(kadeBox).toHaveAccessibleDescription('Draft · 1 of 4 slots open');
    const zuidBox = within(venues).getByRole('checkbox', { name: 'Bar Zuid' });
    await waitFor(() => expect(zuidBox).toHaveAccessibleDescription('No Week 10, 2026 there yet'));
    expect(zuidBox).toBeDisabled();
    expect(within(venues).queryByRole('checkbox', { name: venue.name })).not.toBeInTheDocument();

    await user.click(kadeBox);
    const budget = within(dialog).getByLabelText('Time budget (seconds)');
    expect(budget).toHaveValue('2');
    await user.clear(budget);
    await user.type(budget, '3');
    await user.click(within(dialog).getByRole('button', { name: 'Suggest' }));

    // While the server searches: a busy state with the elapsed time.
    const busy = await within(dialog).findByTestId('suggest-busy');
    expect(within(busy).getByRole('status')).toHaveTextContent('Looking for the best fill…');
    expect(within(busy).getByTestId('suggest-elapsed')).toHaveTextContent('0 s so far (time budget 3 s)');
    expect(within(dialog).getByRole('button', { name: 'Stop waiting' })).toBeInTheDocument();
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual({ locationIds: [KADE], timeBudgetMs: 3000 });
    release();

    // The proposal: chips in the grid, checked; the Saturday keeps an "Assign" button for its unfilled slot.
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const noor = chip(S_MON, NOOR);
    expect(noor).toHaveTextContent('Noor Bakker');
    expect(noor).toHaveTextContent('proposed, from De Kade');
    expect(within(noor).getByRole('checkbox', { name: 'Include Noor Bakker on Mon, Mar 2 18:00–23:00, Bartender' })).toBeChecked();
    expect(within(card(S_MON)).queryByTestId('assign')).not.toBeInTheDocument();
    const saturday = card(S_SAT);
    expect(within(saturday).getAllByTestId('proposed-assignee').map((c) => c.getAttribute('data-user-id'))).toEqual([EVA]);
    expect(within(saturday).getByTestId('proposed-assignee')).toHaveTextContent('proposed');
    expect(within(saturday).getAllByTestId('assign')).toHaveLength(1);
    // Proposed people are not assignees (yet).
    expect(within(card(S_MON)).getAllByTestId('assignee').map((a) => a.getAttribute('data-user-id'))).not.toContain(NOOR);
    // Other venues' suggestions are not in this grid.
    expect(document.querySelector(`[data-testid="proposed-assignee"][data-shift-id="${K_FRI}"]`)).toBeNull();

    const panel = screen.getByTestId('suggest-panel');
    expect(within(panel).getByRole('heading', { level: 2, name: 'Suggested fill' })).toHaveFocus();
    expect(within(panel).getByTestId('suggest-summary')).toHaveTextContent('Filled 3 of 4 open slots · stopped at the time budget');
    expect(within(panel).getByRole('heading', { level: 3, name: 'Café De Haven' })).toBeInTheDocument();
    expect(within(panel).getByRole('heading', { level: 3, name: 'De Kade' })).toBeInTheDocument();
    expect(within(panel).getByRole('heading', { level: 4, name: 'Monday, March 2' })).toBeInTheDocument();

    const noorItem = item(S_MON, NOOR);
    expect(noorItem).toHaveTextContent('Noor Bakker');
    expect(noorItem).toHaveTextContent('18:00–23:00 · Bartender');
    expect(noorItem).toHaveTextContent('Borrowed from De Kade');
    const noorWhy = within(noorItem).getByRole('list', { name: 'Why Noor Bakker' });
    expect(within(noorWhy).getAllByRole('listitem').map((li) => li.getAttribute('data-code'))).toEqual(['contract_hours']);
    expect(noorWhy).toHaveTextContent('Towards contract: 24 of 32 h');
    expect(noorWhy).toHaveTextContent('8 points');

    const evaItem = item(S_SAT, EVA);
    expect(evaItem).toHaveTextContent('Marked interest');
    expect(evaItem).toHaveTextContent('Preferred time');
    expect(evaItem).toHaveTextContent('Fair spread: 1 late nights and 2 weekend shifts so far');
    expect(evaItem).toHaveTextContent('Over contract hours');
    expect(evaItem).toHaveTextContent('12 h this week, contract 10 h.');

    const kadeItem = item(K_FRI, JAN);
    expect(kadeItem).toHaveAttribute('data-location-id', KADE);
    expect(kadeItem).toHaveTextContent('Home venue');

    const unfilled = within(panel).getByTestId('unfilled');
    expect(unfilled).toHaveAttribute('data-shift-id', S_SAT);
    expect(unfilled).toHaveTextContent('Sat, Mar 7 12:00–18:00, Waiter');
    expect(unfilled).toHaveTextContent('1 slot open');
    expect(unfilled).toHaveTextContent('Nobody fits: 3 on time off, 2 unavailable, 1 rest too short, 4 without the position');
    expect(unfilled).toHaveTextContent('6 people considered');
    expect(screen.getByTestId('apply-suggestions')).toHaveTextContent('Apply selected (3)');
  });

  it('applies only the ticked suggestions, reloads the grid, and keeps what did not apply on screen', async () => {
    let current = grid();
    let gridCalls = 0;
    const { requests } = mockApi({
      ...base(() => {
        gridCalls += 1;
        return current;
      }),
      [SUGGEST]: () => jsonResponse(200, proposal()),
      [APPLY]: () => {
        current = withNoor(current);
        return jsonResponse(200, applied());
      },
    });
    renderApp(PATH);
    const user = userEvent.setup();
    await screen.findByTestId('week-grid');
    await suggest(user);
    await screen.findByTestId('suggest-panel');

    // Unticking Eva in the grid unticks her in the panel too.
    await user.click(within(chip(S_SAT, EVA)).getByRole('checkbox'));
    expect(within(item(S_SAT, EVA)).getByRole('checkbox')).not.toBeChecked();
    expect(chip(S_SAT, EVA)).not.toHaveClass('is-included');
    expect(screen.getByText('2 of 3 selected')).toBeInTheDocument();
    const gridsBefore = gridCalls;
    await user.click(screen.getByTestId('apply-suggestions'));

    expect(await screen.findByText('Applied 1 suggestion.')).toBeInTheDocument();
    const sent = requests.find((r) => r.method === 'POST' && r.url.endsWith('/suggestions/apply'))?.body as { items: unknown[] };
    expect(sent.items).toEqual([
      { shiftId: S_MON, userId: NOOR },
      { shiftId: K_FRI, userId: JAN },
    ]);

    // The grid reloads and shows Noor as a real assignee; no proposal is left in it.
    await waitFor(() => expect(gridCalls).toBeGreaterThan(gridsBefore));
    await waitFor(() =>
      expect(within(card(S_MON)).getAllByTestId('assignee').map((a) => a.getAttribute('data-user-id'))).toContain(NOOR),
    );
    expect(screen.queryAllByTestId('proposed-assignee')).toHaveLength(0);
    expect(screen.queryByTestId('suggest-panel')).not.toBeInTheDocument();
    expect(within(card(S_SAT)).getAllByTestId('assign')).toHaveLength(2);

    // What the rules refused while applying stays listed, with its reason.
    const conflicts = screen.getByTestId('apply-conflicts');
    expect(within(conflicts).getByRole('heading', { name: '1 suggestion could not be applied' })).toBeInTheDocument();
    const row = within(conflicts).getByRole('listitem');
    expect(row).toHaveAttribute('data-code', 'rest_too_short');
    expect(row).toHaveTextContent(`${janAtKade.person.name} on Fri, Mar 6 20:00–02:00, Bartender: Rest too short (Rest 9 h, minimum 11 h.)`);
    await user.click(within(conflicts).getByRole('button', { name: 'Hide this list' }));
    expect(screen.queryByTestId('apply-conflicts')).not.toBeInTheDocument();
  });

  it('says clearly when the proposal is stale and offers to suggest again', async () => {
    let gridCalls = 0;
    mockApi({
      ...base(() => {
        gridCalls += 1;
        return grid();
      }),
      [SUGGEST]: () => jsonResponse(200, proposal()),
      // As the server answers it: the error and, beside it, every item's conflict.
      [APPLY]: () =>
        jsonResponse(409, {
          error: { code: 'suggestions_stale', message: 'Nothing could be applied.' },
          applied: [],
          conflicts: [{ shiftId: S_MON, userId: NOOR, code: 'slots_full', message: 'Every slot is taken.' }],
          weeks: [],
        }),
    });
    renderApp(PATH);
    const user = userEvent.setup();
    await screen.findByTestId('week-grid');
    await suggest(user, { withKade: false });
    const panel = await screen.findByTestId('suggest-panel');
    const gridsBefore = gridCalls;
    await user.click(screen.getByTestId('apply-suggestions'));

    const alert = await within(panel).findByRole('alert');
    expect(alert).toHaveTextContent('These suggestions are out of date');
    expect(alert).toHaveTextContent('Nothing was applied: the schedule changed since they were made.');
    expect(screen.getByTestId('apply-suggestions')).toBeDisabled();
    await waitFor(() => expect(gridCalls).toBeGreaterThan(gridsBefore));
    await user.click(within(alert).getByRole('button', { name: 'Suggest again' }));
    expect(await screen.findByRole('dialog', { name: 'Suggest fill for Week 10, 2026' })).toBeInTheDocument();
  });

  it('selects none and all, and discards the proposal', async () => {
    mockApi({ ...base(), [SUGGEST]: () => jsonResponse(200, proposal()) });
    renderApp(PATH);
    const user = userEvent.setup();
    await screen.findByTestId('week-grid');
    await suggest(user, { withKade: false });
    await screen.findByTestId('suggest-panel');

    await user.click(screen.getByRole('button', { name: 'Select none' }));
    expect(screen.getByTestId('apply-suggestions')).toBeDisabled();
    for (const c of screen.getAllByTestId('proposed-assignee')) expect(within(c).getByRole('checkbox')).not.toBeChecked();
    await user.click(screen.getByRole('button', { name: 'Select all' }));
    expect(screen.getByTestId('apply-suggestions')).toHaveTextContent('Apply selected (3)');

    await user.click(screen.getByTestId('discard-suggestions'));
    expect(screen.queryByTestId('suggest-panel')).not.toBeInTheDocument();
    expect(screen.queryAllByTestId('proposed-assignee')).toHaveLength(0);
    expect(within(card(S_MON)).getAllByTestId('assign')).toHaveLength(1);
    expect(screen.getByTestId('suggest-fill')).toHaveFocus();
  });

  it('checks the time budget before asking, and shows the server’s field and week errors', async () => {
    let answer: () => Response = () => errorResponse(422, 'validation_failed', { timeBudgetMs: 'out_of_range' });
    const { requests } = mockApi({ ...base(), [SUGGEST]: () => answer() });
    renderApp(PATH);
    const user = userEvent.setup();
    await screen.findByTestId('week-grid');
    const dialog = await suggest(user, { withKade: false, seconds: '20' });
    const budget = within(dialog).getByLabelText('Time budget (seconds)');
    expect(within(dialog).getByText('Choose from 0.1 to 10 seconds.')).toBeInTheDocument();
    await waitFor(() => expect(budget).toHaveFocus());
    expect(requests.some((r) => r.method === 'POST')).toBe(false);

    await user.clear(budget);
    await user.type(budget, '0,5');
    await user.click(within(dialog).getByRole('button', { name: 'Suggest' }));
    expect(await within(dialog).findByText('Choose from 0.1 to 10 seconds.')).toBeInTheDocument();
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual({ timeBudgetMs: 500 });

    answer = () => errorResponse(409, 'week_published');
    await user.click(within(dialog).getByRole('button', { name: 'Suggest' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'This week has been published: suggestions are made for draft weeks only.',
    );
    expect(screen.queryByTestId('suggest-panel')).not.toBeInTheDocument();
  });

  it('shows the server’s refusal of another venue under the venue list', async () => {
    mockApi({ ...base(), [SUGGEST]: () => errorResponse(422, 'validation_failed', { locationIds: 'no_draft_week' }) });
    renderApp(PATH);
    const user = userEvent.setup();
    await screen.findByTestId('week-grid');
    const dialog = await suggest(user);
    const venues = within(dialog).getByTestId('suggest-venues');
    expect(await within(venues).findByText('One of these venues has no draft of this week (any more).')).toBeInTheDocument();
    expect(venues).toHaveClass('field--invalid');
    expect(within(dialog).queryByRole('alert')).not.toBeInTheDocument();
  });

  it('stops waiting when asked, and shows nothing', async () => {
    mockApi({
      ...base(),
      [SUGGEST]: (request) =>
        new Promise<Response>(() => {
          // Never answers on its own; the abort below is what ends the wait.
          void request;
        }),
    });
    renderApp(PATH);
    const user = userEvent.setup();
    await screen.findByTestId('week-grid');
    const dialog = await suggest(user, { withKade: false });
    await within(dialog).findByTestId('suggest-busy');
    await user.click(within(dialog).getByRole('button', { name: 'Stop waiting' }));
    expect(within(dialog).queryByTestId('suggest-busy')).not.toBeInTheDocument();
    expect(within(dialog).queryByRole('alert')).not.toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Suggest' })).toBeEnabled();
  });
});

describe('who sees "Suggest fill"', () => {
  it('is offered to a floor manager on a draft week', async () => {
    mockApi(base(() => grid(), 'floor_manager'));
    renderApp(PATH);
    await screen.findByTestId('week-grid');
    expect(screen.getByTestId('suggest-fill')).toHaveTextContent('Suggest fill');
  });

  it('is not offered on a published week', async () => {
    const published = grid({
      week: { ...grid().week, status: 'published', publishedAt: '2026-02-27T10:00:00Z', publishedVersion: 7, hasUnpublishedChanges: false },
    });
    mockApi({ ...base(() => published), [`GET /api/weeks/${WEEK_ID}/changes`]: () => jsonResponse(200, []) });
    renderApp(PATH);
    await screen.findByTestId('week-grid');
    expect(screen.getByTestId('week-status')).toHaveTextContent('Published');
    expect(screen.queryByTestId('suggest-fill')).not.toBeInTheDocument();
  });

  it('is not offered to someone who cannot edit the schedule', async () => {
    mockApi({});
    renderUi(<WeekBoard grid={grid()} rights={{ manage: false, edit: false }} />);
    expect(await screen.findByTestId('week-grid')).toBeInTheDocument();
    expect(screen.queryByTestId('suggest-fill')).not.toBeInTheDocument();
  });

  it('is not reachable for crew members (the week screen is refused)', async () => {
    mockApi({
      'GET /api/auth/me': () =>
        jsonResponse(200, makeMe('crew_member', { permissions: ['schedule.view'], locations: [{ id: LOC, name: venue.name, timezone: venue.timezone }] })),
      'GET /api/locations': () => jsonResponse(200, [venue]),
      [GRID]: () => jsonResponse(200, grid()),
    });
    renderApp(PATH);
    expect(await screen.findByRole('heading', { level: 1 })).toBeInTheDocument();
    expect(screen.queryByTestId('week-grid')).not.toBeInTheDocument();
    expect(screen.queryByTestId('suggest-fill')).not.toBeInTheDocument();
  });
});

describe('the elapsed time', () => {
  it('counts whole seconds while running and resets when it stops', () => {
    vi.useFakeTimers();
    const { result, rerender } = renderHook(({ running }) => useElapsedSeconds(running), { initialProps: { running: true } });
    expect(result.current).toBe(0);
    act(() => vi.advanceTimersByTime(2600));
    expect(result.current).toBe(2);
    rerender({ running: false });
    expect(result.current).toBe(0);
  });
});
