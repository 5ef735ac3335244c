import { screen, waitFor, within } from '@testing-library/react';
import userEvent, { type UserEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AutofillSettings } from '../../../api/autofillTypes';
import { errorResponse, jsonResponse, mockApi, renderApp } from '../../../test/utils';
import { savedSettings } from './suggestFillData';
import { grid, LOC, scheduleMe, venue, WEEK } from './testData';

afterEach(() => vi.unstubAllGlobals());

const PATH = `/staff/schedule/${LOC}/${WEEK}`;
const SETTINGS = `/api/locations/${LOC}/autofill-settings`;

function base(role: 'manager' | 'floor_manager') {
  return {
    'GET /api/auth/me': () => jsonResponse(200, scheduleMe(role)),
    'GET /api/locations': () => jsonResponse(200, [venue]),
    [`GET /api/locations/${LOC}/weeks`]: () => jsonResponse(200, []),
    [`GET /api/locations/${LOC}/weeks/${WEEK}`]: () => jsonResponse(200, grid()),
    [`GET ${SETTINGS}`]: () => jsonResponse(200, savedSettings),
  };
}

/** From the week screen: "Suggest fill" → "Tune"; answers the dialog. */
async function openTune(user: UserEvent) {
  await user.click(await screen.findByTestId('suggest-fill'));
  const dialog = await screen.findByRole('dialog', { name: 'Suggest fill for Week 10, 2026' });
  await user.click(within(dialog).getByRole('button', { name: 'Tune' }));
  expect(await screen.findByRole('dialog', { name: 'Suggestion settings of Café De Haven' })).toBe(dialog);
  return dialog;
}

async function setWeight(user: UserEvent, scope: HTMLElement, label: string, value: string) {
  const input = within(scope).getByLabelText(label);
  await user.clear(input);
  if (value !== '') await user.type(input, value);
  return input;
}

describe('auto-fill settings', () => {
  it('checks the weights, saves borrowing and weights with PUT, and goes back to the options', async () => {
    let stored: AutofillSettings = savedSettings;
    const { requests } = mockApi({
      ...base('manager'),
      [`GET ${SETTINGS}`]: () => jsonResponse(200, stored),
      [`PUT ${SETTINGS}`]: (request) => {
        stored = request.body as AutofillSettings;
        return jsonResponse(200, stored);
      },
    });
    renderApp(PATH);
    const user = userEvent.setup();
    await screen.findByTestId('week-grid');
    const dialog = await openTune(user);
    const form = await within(dialog).findByTestId('autofill-settings');

    // Every weight is labelled, with its hint and the saved value.
    expect(within(form).getByLabelText('Contract hours')).toHaveValue(8);
    expect(within(form).getByLabelText('Contract hours')).toHaveAccessibleDescription(
      'Bring each person to their contracted hours without going over.',
    );
    expect(within(form).getAllByRole('spinbutton')).toHaveLength(7);
    const borrowing = within(form).getByRole('checkbox', { name: 'Allow crew of my other venues here' });
    expect(borrowing).not.toBeChecked();

    // Out of range and empty are refused before anything is sent, on their own fields.
    const interest = await setWeight(user, form, 'Interest', '11');
    const split = await setWeight(user, form, 'Few split days', '');
    await user.click(within(form).getByTestId('autofill-settings-save'));
    expect(interest).toHaveAccessibleDescription(/Enter a whole number from 0 to 10\./);
    expect(split).toHaveAccessibleDescription(/This field is required\./);
    await waitFor(() => expect(interest).toHaveFocus());
    expect(requests.some((r) => r.method === 'PUT')).toBe(false);

    await setWeight(user, form, 'Interest', '7');
    await setWeight(user, form, 'Few split days', '0');
    await user.click(borrowing);
    await user.click(within(form).getByTestId('autofill-settings-save'));
    expect(await screen.findByText('The suggestion settings have been saved.')).toBeInTheDocument();
    expect(requests.find((r) => r.method === 'PUT')?.body).toEqual({
      allowBorrowing: true,
      weights: { ...savedSettings.weights, interest: 7, fewSplitDays: 0 },
    });
    // Back to the options.
    expect(await screen.findByRole('dialog', { name: 'Suggest fill for Week 10, 2026' })).toBeInTheDocument();
    expect(screen.getByLabelText('Time budget (seconds)')).toBeInTheDocument();
  });

  it('shows the server’s field errors on their weights', async () => {
    mockApi({
      ...base('manager'),
      [`PUT ${SETTINGS}`]: () => errorResponse(422, 'validation_failed', { 'weights.preferred': 'out_of_range' }),
    });
    renderApp(PATH);
    const user = userEvent.setup();
    await screen.findByTestId('week-grid');
    const dialog = await openTune(user);
    const form = await within(dialog).findByTestId('autofill-settings');
    await user.click(within(form).getByTestId('autofill-settings-save'));
    const preferred = within(form).getByLabelText('Preferred times');
    await waitFor(() => expect(preferred).toHaveAccessibleDescription(/Enter a whole number from 0 to 10\./));
    expect(preferred).toHaveAttribute('aria-invalid', 'true');
    expect(within(form).getByLabelText('Interest')).not.toHaveAttribute('aria-invalid');
    // The field error says it all: no banner on top.
    expect(within(form).queryByRole('alert')).not.toBeInTheDocument();
  });

  it('is read-only for a floor manager', async () => {
    const { requests } = mockApi(base('floor_manager'));
    renderApp(PATH);
    const user = userEvent.setup();
    await screen.findByTestId('week-grid');
    const dialog = await openTune(user);
    const summary = await within(dialog).findByTestId('autofill-settings');
    expect(summary.tagName).toBe('DL');
    expect(summary).toHaveTextContent('Allow crew of my other venues here');
    expect(summary).toHaveTextContent('Contract hours8 of 10');
    expect(within(dialog).getByText('Only a manager of this venue can change these settings.')).toBeInTheDocument();
    expect(within(dialog).queryByRole('spinbutton')).not.toBeInTheDocument();
    expect(within(dialog).queryByTestId('autofill-settings-save')).not.toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Back' }));
    expect(await screen.findByRole('dialog', { name: 'Suggest fill for Week 10, 2026' })).toBeInTheDocument();
    expect(requests.some((r) => r.method === 'PUT')).toBe(false);
  });
});
