import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { CashCount, CashSettings } from '../../api/cashTypes';
import { VENUE } from '../../test/crewData';
import { errorResponse, jsonResponse, makeMe, mockApi, renderApp, withPermissions } from '../../test/utils';

const crew = () => withPermissions(makeMe('crew_member', { locations: [VENUE] }), 'cash.count', 'cash.view');

const settings: CashSettings = {
  locationId: VENUE.id,
  toleranceCents: 500,
  denominations: [50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1],
  maxQuantity: 100000,
  receiptMaxBytes: 10 * 1024 * 1024,
  businessDate: '2026-12-04',
  timezone: 'Europe/Amsterdam',
};

function counted(body: Record<string, unknown>): CashCount {
  return {
    id: 'c1',
    locationId: VENUE.id,
    type: 'closing',
    businessDate: '2026-12-04',
    lines: [],
    countedCents: 12_010,
    expectedCents: 15_000,
    expectedSource: 'opening_plus_takings',
    discrepancyCents: -2_990,
    toleranceCents: 500,
    overTolerance: true,
    state: 'submitted',
    effective: true,
    countedBy: { id: 'u1', name: 'Sam Jansen' },
    countedAt: '2026-12-04T23:00:00Z',
    canDecide: false,
    cardTotalCents: null,
    floatCents: null,
    cashTakingsCents: null,
    note: null,
    corrects: null,
    correctedBy: null,
    decidedBy: null,
    decidedAt: null,
    decisionReason: null,
    receipt: null,
    ...body,
  };
}

function server(submit: Parameters<typeof mockApi>[0][string]) {
  return mockApi({
    'GET /api/auth/me': () => jsonResponse(200, crew()),
    [`GET /api/locations/${VENUE.id}/cash-settings`]: () => jsonResponse(200, settings),
    [`GET /api/locations/${VENUE.id}/cash-counts/expected`]: () =>
      jsonResponse(200, { businessDate: '2026-12-04', expectedCents: 15_000, source: 'opening_plus_takings', toleranceCents: 500 }),
    [`POST /api/locations/${VENUE.id}/cash-counts`]: submit,
    [`GET /api/locations/${VENUE.id}/cash-counts`]: () =>
      jsonResponse(200, {
        items: [counted({ id: 'old', state: 'disputed', decisionReason: 'Recount the coins', discrepancyCents: -700 })],
        nextCursor: null,
      }),
  });
}

describe('the cash count form', () => {
  it('totals the lines live in cents, prefills the expected amount and shows the difference', async () => {
    server(() => jsonResponse(201, counted({})));
    renderApp('/cash');
    const fifties = await screen.findByTestId('cash-qty-5000');
    fireEvent.change(fifties, { target: { value: '2' } });
    fireEvent.change(screen.getByTestId('cash-qty-10'), { target: { value: '1' } });
    await userEvent.click(screen.getByRole('button', { name: 'One €20 more' }));
    expect(screen.getByTestId('cash-total')).toHaveTextContent('€120.10');
    await waitFor(() => expect(screen.getByTestId('cash-expected')).toHaveValue('150.00'));
    expect(screen.getByTestId('cash-discrepancy')).toHaveTextContent('€29.90 short');
    expect(screen.getByTestId('cash-discrepancy')).toHaveAttribute('data-over-tolerance', 'true');
    // The person's own earlier count, with the manager's decision.
    expect(await screen.findByTestId('cash-recent-count')).toHaveTextContent('Disputed: Recount the coins');
  });

  it('sends one client key per form, lines in cents and lets the server compute an untouched expected amount', async () => {
    const api = server(() => errorResponse(503, 'service_unavailable'));
    renderApp('/cash');
    fireEvent.change(await screen.findByTestId('cash-qty-5000'), { target: { value: '3' } });
    await waitFor(() => expect(screen.getByTestId('cash-expected')).toHaveValue('150.00'));
    await userEvent.click(screen.getByTestId('cash-type-midday'));
    fireEvent.change(screen.getByTestId('cash-takings'), { target: { value: '12,5' } });
    await userEvent.click(screen.getByTestId('cash-submit'));
    await screen.findByText(/temporarily unavailable/);
    await userEvent.click(screen.getByTestId('cash-submit'));
    await waitFor(() => expect(api.requests.filter((r) => r.method === 'POST')).toHaveLength(2));
    const [first, second] = api.requests.filter((r) => r.method === 'POST').map((r) => r.body as Record<string, unknown>);
    expect(first?.clientKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(second?.clientKey).toBe(first?.clientKey);
    expect(first?.lines).toEqual([{ denomination: 5000, quantity: 3 }]);
    expect(first?.cashTakings).toBe('12.50');
    expect(first?.expected).toBeNull();
    expect(first?.type).toBe('midday');
  });

  it('refuses a third decimal before sending and shows the server fields', async () => {
    const api = server(() => errorResponse(422, 'validation_failed', { cardTotal: 'too_many_decimals' }));
    renderApp('/cash');
    await userEvent.click(await screen.findByTestId('cash-type-closing'));
    fireEvent.change(screen.getByTestId('cash-card'), { target: { value: '12,505' } });
    await userEvent.click(screen.getByTestId('cash-submit'));
    expect(await screen.findByText('Use at most two decimals.')).toBeInTheDocument();
    expect(api.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });
});
