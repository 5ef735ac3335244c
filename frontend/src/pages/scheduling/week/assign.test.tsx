import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AssignResponse, GridShift, WeekGrid } from '../../../api/schedulingTypes';
import { errorResponse, jsonResponse, mockApi, renderApp, renderUi } from '../../../test/utils';
import { AssignFlow, type AssignStart } from './AssignFlow';
import {
  eligible,
  eligiblePerson,
  eva,
  EVA,
  grid,
  KIM,
  kim,
  LOC,
  reason,
  S_MON,
  S_SAT,
  scheduleMe,
  venue,
  WEEK,
} from './testData';

afterEach(() => vi.unstubAllGlobals());

// The test browser speaks en-US: "Sat, Mar 7".
const PATH = `/staff/schedule/${LOC}/${WEEK}`;
const GRID = `GET /api/locations/${LOC}/weeks/${WEEK}`;

function base(current: () => WeekGrid = () => grid()) {
  return {
    'GET /api/auth/me': () => jsonResponse(200, scheduleMe('manager')),
    'GET /api/locations': () => jsonResponse(200, [venue]),
    [`GET /api/locations/${LOC}/weeks`]: () => jsonResponse(200, []),
    [GRID]: () => jsonResponse(200, current()),
  };
}

const card = (id: string) => document.querySelector<HTMLElement>(`[data-testid="shift"][data-shift-id="${id}"]`)!;
const row = (userId: string) => document.querySelector<HTMLElement>(`[data-testid="eligible-person"][data-user-id="${userId}"]`)!;

function withEva(g: WeekGrid): WeekGrid {
  return {
    ...g,
    week: { ...g.week, version: g.week.version + 1 },
    shifts: g.shifts.map((s) =>
      s.id === S_SAT ? { ...s, open: 1, assignments: [{ id: 'a-eva', person: eva, overridden: [], overrideReason: null }] } : s,
    ),
  };
}

function assigned(userId: string, warnings = [reason('over_contract_hours', 'warning', '12 h this week, contract 10 h.')]): AssignResponse {
  return {
    assignment: { id: 'a-new', person: userId === EVA ? eva : kim, overridden: [], overrideReason: null },
    warnings,
    week: { ...grid().week, version: 8 },
  };
}

describe('assigning from the eligible list', () => {
  it('lists everyone, greys the refused with their reasons, and assigns an eligible person', async () => {
    let current = grid();
    const { requests } = mockApi({
      ...base(() => current),
      [`GET /api/shifts/${S_SAT}/eligible`]: () => jsonResponse(200, eligible(S_SAT)),
      [`POST /api/shifts/${S_SAT}/assignments`]: () => {
        current = withEva(current);
        return jsonResponse(201, assigned(EVA));
      },
    });
    renderApp(PATH);
    const user = userEvent.setup();
    await screen.findByTestId('week-grid');
    await user.click(within(card(S_SAT)).getAllByTestId('assign')[0]!);

    const dialog = await screen.findByRole('dialog', { name: 'Assign to Sat, Mar 7 12:00–18:00, Waiter' });
    const list = await within(dialog).findByTestId('eligible-list');
    const rows = within(list).getAllByTestId('eligible-person');
    expect(rows.map((r) => [r.getAttribute('data-user-id'), r.getAttribute('data-eligible')])).toEqual([
      [EVA, 'true'],
      [KIM, 'false'],
      [grid().people[1]!.person.id, 'false'],
    ]);
    const jan = rows[2]!;
    expect(jan).toHaveClass('is-refused');
    expect(jan).toHaveTextContent('Overlap');
    expect(jan).toHaveTextContent('Already working Mon 2 Mar 17:00–22:00 at Bar Zuid.');
    expect(within(jan).queryByRole('button')).not.toBeInTheDocument();
    expect(row(KIM)).toHaveTextContent('Rest 10 h, minimum 11 h');
    expect(within(row(KIM)).getByRole('button', { name: 'Override the rules for Kim de Vries' })).toBeInTheDocument();
    expect(row(EVA)).toHaveTextContent('not a Waiter');
    expect(row(EVA)).toHaveTextContent('12 h this week, contract 10 h.');

    await user.click(within(row(EVA)).getByRole('button', { name: 'Assign Eva Mulder' }));
    expect(await screen.findByText('Eva Mulder now works Sat, Mar 7 12:00–18:00, Waiter.')).toBeInTheDocument();
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual({ userId: EVA });
    // The warnings stay on screen after saving.
    expect(screen.getByText('Eva Mulder now works Sat, Mar 7 12:00–18:00, Waiter, with warnings:')).toBeInTheDocument();
    await waitFor(() =>
      expect(within(card(S_SAT)).getAllByTestId('assignee').map((a) => a.getAttribute('data-user-id'))).toEqual([EVA]),
    );
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('asks for a reason before an override and posts it', async () => {
    const { requests } = mockApi({
      ...base(),
      [`GET /api/shifts/${S_SAT}/eligible`]: () => jsonResponse(200, eligible(S_SAT)),
      [`POST /api/shifts/${S_SAT}/assignments`]: () => jsonResponse(201, assigned(KIM, [])),
    });
    renderApp(PATH);
    const user = userEvent.setup();
    await screen.findByTestId('week-grid');
    await user.click(within(card(S_SAT)).getAllByTestId('assign')[0]!);
    await screen.findByTestId('eligible-list');
    await user.click(within(row(KIM)).getByRole('button', { name: 'Override the rules for Kim de Vries' }));

    const dialog = await screen.findByRole('dialog', { name: 'Override the rules for Kim de Vries' });
    expect(dialog).toHaveTextContent('Rest too short');
    await user.click(within(dialog).getByRole('button', { name: 'Assign with override' }));
    expect(within(dialog).getByText('This field is required.')).toBeInTheDocument();
    expect(requests.some((r) => r.method === 'POST')).toBe(false);

    await user.type(within(dialog).getByLabelText('Reason for the override'), 'Agreed with Kim, starts later');
    await user.click(within(dialog).getByRole('button', { name: 'Assign with override' }));
    await waitFor(() => expect(requests.some((r) => r.method === 'POST')).toBe(true));
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual({
      userId: KIM,
      override: { reason: 'Agreed with Kim, starts later' },
    });
    expect(await screen.findByText('Kim de Vries now works Sat, Mar 7 12:00–18:00, Waiter.')).toBeInTheDocument();
  });

  it('shows the current reasons and reloads when the rules refuse at saving time', async () => {
    let gridCalls = 0;
    let full = false;
    mockApi({
      ...base(() => {
        gridCalls += 1;
        return grid();
      }),
      [`GET /api/shifts/${S_SAT}/eligible`]: () =>
        jsonResponse(
          200,
          full
            ? {
                ...eligible(S_SAT),
                people: [eligiblePerson({ person: eva, eligible: false, reasons: [reason('slots_full', 'refuse', 'Every slot is taken (2 of 2).')] })],
              }
            : eligible(S_SAT),
        ),
      [`POST /api/shifts/${S_SAT}/assignments`]: () => {
        full = true;
        return errorResponse(409, 'slots_full', { reasons: 'slots_full', overridable: 'false' });
      },
    });
    renderApp(PATH);
    const user = userEvent.setup();
    await screen.findByTestId('week-grid');
    await user.click(within(card(S_SAT)).getAllByTestId('assign')[0]!);
    await screen.findByTestId('eligible-list');
    await user.click(within(row(EVA)).getByRole('button', { name: 'Assign Eva Mulder' }));

    const refused = await screen.findByRole('alertdialog', { name: 'Eva Mulder cannot work this shift' });
    expect(refused).toHaveTextContent('Every slot of this shift is taken.');
    expect(refused).toHaveTextContent('Every slot is taken (2 of 2).');
    await waitFor(() => expect(gridCalls).toBeGreaterThan(1));
  });

  it('takes a person off in one click, asking a manager for a reason when the shift has started', async () => {
    const requestsSeen: unknown[] = [];
    mockApi({
      ...base(),
      'DELETE /api/assignments/a-kim': (request) => {
        requestsSeen.push(request.body);
        return (request.body as { reason?: string }).reason
          ? jsonResponse(200, { week: grid().week, shiftId: S_MON })
          : errorResponse(409, 'shift_in_past', { reason: 'required' });
      },
    });
    renderApp(PATH);
    const user = userEvent.setup();
    await screen.findByTestId('week-grid');
    // One click takes someone off; the server says the shift has started, so the reason is asked for.
    await user.click(within(card(S_MON)).getByRole('button', { name: /^Remove Kim de Vries from/ }));
    const ask = await screen.findByRole('dialog', { name: 'This shift has already started' });
    await user.type(within(ask).getByLabelText('Reason for the change'), 'Went home sick');
    await user.click(within(ask).getByRole('button', { name: 'Take off the shift' }));
    expect(await screen.findByText('Kim de Vries is off the shift.')).toBeInTheDocument();
    expect(requestsSeen).toEqual([{ expectedVersion: 7 }, { expectedVersion: 7, reason: 'Went home sick' }]);
  });
});

describe('a person dropped on a shift', () => {
  const saturday = grid().shifts.find((s) => s.id === S_SAT) as GridShift;
  const drop = (userId: string): AssignStart => ({
    mode: 'drop',
    shift: saturday,
    person: grid().people.find((p) => p.person.id === userId) ?? { ...grid().people[0]!, person: kim },
  });

  function render(start: AssignStart) {
    const onAssigned = vi.fn();
    const onClose = vi.fn();
    renderUi(<AssignFlow start={start} grid={grid()} canManage onAssigned={onAssigned} onClose={onClose} />);
    return { onAssigned, onClose };
  }

  it('is assigned straight away when the rules have nothing to say', async () => {
    const list = { ...eligible(S_SAT), people: [eligiblePerson({ person: eva })] };
    const { requests } = mockApi({
      [`GET /api/shifts/${S_SAT}/eligible`]: () => jsonResponse(200, list),
      [`POST /api/shifts/${S_SAT}/assignments`]: () => jsonResponse(201, assigned(EVA, [])),
    });
    const { onAssigned, onClose } = render(drop(EVA));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `GET /api/shifts/${S_SAT}/eligible`,
      `POST /api/shifts/${S_SAT}/assignments`,
    ]);
    expect(onAssigned).toHaveBeenCalledWith({ name: 'Eva Mulder', shift: 'Sat, Mar 7 12:00–18:00, Waiter', warnings: [] });
  });

  it('shows the warnings first and assigns after a confirmation', async () => {
    const { requests } = mockApi({
      [`GET /api/shifts/${S_SAT}/eligible`]: () => jsonResponse(200, eligible(S_SAT)),
      [`POST /api/shifts/${S_SAT}/assignments`]: () => jsonResponse(201, assigned(EVA)),
    });
    const { onClose } = render(drop(EVA));
    const dialog = await screen.findByRole('dialog', { name: 'Assign Eva Mulder?' });
    expect(dialog).toHaveTextContent('12 h this week, contract 10 h.');
    expect(requests.some((r) => r.method === 'POST')).toBe(false);
    await userEvent.setup().click(within(dialog).getByRole('button', { name: 'Assign anyway' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual({ userId: EVA });
  });

  it('opens the override dialog for an overridable refusal', async () => {
    mockApi({ [`GET /api/shifts/${S_SAT}/eligible`]: () => jsonResponse(200, eligible(S_SAT)) });
    render(drop(KIM));
    const dialog = await screen.findByRole('dialog', { name: 'Override the rules for Kim de Vries' });
    expect(dialog).toHaveTextContent('Rest 10 h, minimum 11 h');
  });

  it('shows why a refused person cannot work the shift and saves nothing', async () => {
    const janId = grid().people[1]!.person.id;
    const { requests } = mockApi({ [`GET /api/shifts/${S_SAT}/eligible`]: () => jsonResponse(200, eligible(S_SAT, false)) });
    render(drop(janId));
    const dialog = await screen.findByRole('alertdialog', { name: 'Jan Smit cannot work this shift' });
    expect(dialog).toHaveTextContent('Already working Mon 2 Mar 17:00–22:00 at Bar Zuid.');
    expect(requests.filter((r) => r.method === 'POST')).toEqual([]);
  });

  it('offers no override to someone who may not override', async () => {
    mockApi({ [`GET /api/shifts/${S_SAT}/eligible`]: () => jsonResponse(200, eligible(S_SAT, false)) });
    render(drop(KIM));
    const dialog = await screen.findByRole('alertdialog', { name: 'Kim de Vries cannot work this shift' });
    expect(within(dialog).queryByRole('button', { name: 'Override…' })).not.toBeInTheDocument();
    expect(dialog).toHaveTextContent('Rest too short');
  });
});
