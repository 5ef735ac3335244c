import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CashSettings, CashSummary } from '../../api/cashTypes';
import { VENUE } from '../../test/crewData';
import { jsonResponse, makeMe, mockApi, renderApp, withPermissions } from '../../test/utils';

const manager = () =>
  withPermissions(makeMe('manager', { locations: [VENUE] }), 'cash.view', 'cash.approve', 'cash.count');

// Sunday's business day, asked for after midnight: the calendar says Monday, the first day of the next week.
const settings: CashSettings = {
  locationId: VENUE.id,
  toleranceCents: 500,
  denominations: [5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1],
  maxQuantity: 100000,
  receiptMaxBytes: 10 * 1024 * 1024,
  businessDate: '2026-12-06',
  timezone: 'Europe/Amsterdam',
};

function week(from: string, dates: string[]): CashSummary {
  return {
    locationId: VENUE.id,
    from,
    to: dates[dates.length - 1] ?? from,
    toleranceCents: 500,
    totals: { awaitingDecision: 0, cardTotalCents: 0, cashTakingsCents: 0, counts: 0, discrepancyCents: 0, overTolerance: 0 },
    days: dates.map((date) => ({ date, awaitingDecision: 0, counts: [], discrepancyCents: 0, overTolerance: false })),
  };
}

const W49 = ['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05', '2026-12-06'];
const W50 = ['2026-12-07', '2026-12-08', '2026-12-09', '2026-12-10', '2026-12-11', '2026-12-12', '2026-12-13'];

afterEach(() => {
  vi.useRealTimers();
});

describe('the cash overview', () => {
  it("opens on the week of the venue's business day, not of the calendar day", async () => {
    // 00:30 on Monday in Amsterdam.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-06T23:30:00Z'));
    const { requests } = mockApi({
      'GET /api/auth/me': () => jsonResponse(200, manager()),
      [`GET /api/locations/${VENUE.id}/cash-settings`]: () => jsonResponse(200, settings),
      [`GET /api/locations/${VENUE.id}/cash-summary`]: (request) => {
        const asked = new URL(request.url, 'http://localhost').searchParams.get('week');
        return jsonResponse(200, asked === '2026-W50' ? week(W50[0]!, W50) : week(W49[0]!, W49));
      },
    });
    renderApp('/cash/overview');
    expect(await screen.findByText(/2026-W49/)).toBeInTheDocument();
    expect(await screen.findAllByTestId('cash-day')).toHaveLength(7);
    expect(document.querySelector('[data-testid="cash-day"][data-date="2026-12-06"]')).not.toBeNull();
    const weeks = () =>
      requests
        .filter((r) => r.url.includes('/cash-summary'))
        .map((r) => new URL(r.url, 'http://localhost').searchParams.get('week'));
    expect(weeks()).toEqual(['2026-W49']);

    await userEvent.click(screen.getByRole('button', { name: /next week/i }));
    expect(await screen.findByText(/2026-W50/)).toBeInTheDocument();
    expect(weeks()).toContain('2026-W50');
  });
});
