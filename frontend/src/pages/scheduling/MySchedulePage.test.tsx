import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PublishedSchedule, PublishedShift } from '../../api/schedulingTypes';
import { errorResponse, jsonResponse, makeMe, mockApi, renderApp, type RecordedRequest } from '../../test/utils';
import { weekDates } from './isoWeek';

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const ME_ID = '00000000-0000-4000-8000-000000000001';
const HAVEN = { id: '10000000-0000-4000-8000-000000000001', name: 'Café De Haven', timezone: 'Europe/Amsterdam' };
const DOK = { id: '10000000-0000-4000-8000-000000000002', name: 'Restaurant Het Dok', timezone: 'Europe/Amsterdam' };

function crewMe(locations = [HAVEN]) {
  return makeMe('crew_member', { id: ME_ID, locations, permissions: ['schedule.view'] });
}

function shift(overrides: Partial<PublishedShift> = {}): PublishedShift {
  return {
    id: 's1',
    date: '2026-12-28',
    positionName: 'Bar',
    startsAt: '2026-12-28T08:00:00Z',
    endsAt: '2026-12-28T16:30:00Z',
    localStart: '09:00',
    localEnd: '17:30',
    breakMinutes: 30,
    slots: 2,
    open: 0,
    note: null,
    people: [
      { id: ME_ID, name: 'Sam J.', assignmentId: 'a1' },
      { id: 'p2', name: 'Kim V.', assignmentId: 'a2' },
    ],
    mine: true,
    ...overrides,
  };
}

function published(isoWeek: string, shifts: PublishedShift[], location = HAVEN): PublishedSchedule {
  return {
    isoWeek,
    location,
    publishedAt: '2026-12-20T10:00:00Z',
    days: weekDates(isoWeek).map((date, i) => ({ date, weekday: i + 1 })),
    shifts,
  };
}

const scheduleCalls = (requests: RecordedRequest[]) =>
  requests.filter((r) => r.url.includes('/schedule/')).map((r) => r.url);

function shiftById(id: string): HTMLElement {
  const found = screen
    .getAllByTestId('published-shift')
    .find((el) => el.getAttribute('data-shift-id') === id);
  if (!found) throw new Error(`no shift ${id}`);
  return found;
}

describe('my schedule', () => {
  it('shows the published week per day, my shifts highlighted and summed up', async () => {
    const week = published('2026-W53', [
      shift(),
      // A night shift: ends the next day, no break.
      shift({
        id: 's2',
        date: '2026-12-31',
        positionName: 'Kitchen',
        startsAt: '2026-12-31T21:00:00Z',
        endsAt: '2027-01-01T01:00:00Z',
        localStart: '22:00',
        localEnd: '02:00',
        breakMinutes: 0,
      }),
      // Somebody else's shift with an open place and a note.
      shift({
        id: 's3',
        date: '2027-01-01',
        positionName: 'Floor',
        startsAt: '2027-01-01T11:00:00Z',
        endsAt: '2027-01-01T17:00:00Z',
        localStart: '12:00',
        localEnd: '18:00',
        breakMinutes: 0,
        open: 1,
        note: 'New Year brunch',
        people: [{ id: 'p3', name: 'Eva M.', assignmentId: 'a3' }],
        mine: false,
      }),
    ]);
    const { requests } = mockApi({
      'GET /api/auth/me': () => jsonResponse(200, crewMe()),
      [`GET /api/locations/${HAVEN.id}/schedule/2026-W53`]: () => jsonResponse(200, week),
    });
    renderApp(`/schedule/${HAVEN.id}/2026-W53`);

    const root = await screen.findByTestId('my-schedule');
    expect(await within(root).findByText('You work 2 shifts, 12 hours this week.')).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1, name: 'My schedule' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 2, name: 'Week 53' })).toBeInTheDocument();
    expect(root).toHaveTextContent('The published schedule of Café De Haven.');
    expect(scheduleCalls(requests)).toEqual([`/api/locations/${HAVEN.id}/schedule/2026-W53`]);

    // Seven day cards, Monday first, in the browser's locale (en-US under jsdom).
    const days = screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent);
    expect(days).toEqual([
      'Monday, December 28',
      'Tuesday, December 29',
      'Wednesday, December 30',
      'Thursday, December 31',
      'Friday, January 1',
      'Saturday, January 2',
      'Sunday, January 3',
    ]);
    const tuesday = screen.getByRole('region', { name: 'Tuesday, December 29' });
    expect(tuesday).toHaveTextContent('No shifts');

    const mine = shiftById('s1');
    expect(mine).toHaveAttribute('data-mine', 'true');
    expect(mine).toHaveAttribute('data-date', '2026-12-28');
    expect(mine).toHaveClass('is-mine');
    expect(mine).toHaveTextContent('09:00–17:30');
    expect(mine).toHaveTextContent('Your shift');
    expect(mine).toHaveTextContent('Bar');
    expect(mine).toHaveTextContent('Sam J. (you), Kim V.');
    expect(mine).toHaveTextContent('30 min break');
    expect(mine).not.toHaveTextContent('+1 day');
    expect(within(screen.getByRole('region', { name: 'Monday, December 28' })).getByTestId('published-shift')).toBe(mine);

    const night = shiftById('s2');
    expect(night).toHaveAttribute('data-mine', 'true');
    expect(night).toHaveTextContent('22:00–02:00');
    expect(night).toHaveTextContent('+1 day');
    expect(within(screen.getByRole('region', { name: 'Thursday, December 31' })).getByTestId('published-shift')).toBe(night);

    const other = shiftById('s3');
    expect(other).toHaveAttribute('data-mine', 'false');
    expect(other).not.toHaveClass('is-mine');
    expect(other).not.toHaveTextContent('Your shift');
    expect(other).toHaveTextContent('Eva M.');
    expect(other).toHaveTextContent('1 open place');
    expect(other).toHaveTextContent('New Year brunch');
  });

  it('shows a friendly state for a week that is not published, and still navigates', async () => {
    const { requests } = mockApi({
      'GET /api/auth/me': () => jsonResponse(200, crewMe()),
      [`GET /api/locations/${HAVEN.id}/schedule/2027-W02`]: () => errorResponse(404, 'week_not_found'),
      [`GET /api/locations/${HAVEN.id}/schedule/2027-W01`]: () => jsonResponse(200, published('2027-W01', [])),
    });
    const { router } = renderApp(`/schedule/${HAVEN.id}/2027-W02`);
    const empty = await screen.findByTestId('not-published');
    expect(empty).toHaveTextContent('Week 2 is not published yet');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.queryAllByTestId('published-shift')).toHaveLength(0);

    const user = userEvent.setup();
    await user.click(screen.getByRole('link', { name: /Previous week/ }));
    expect(await screen.findByText('You have no shifts this week.')).toBeInTheDocument();
    expect(screen.queryByTestId('not-published')).not.toBeInTheDocument();
    expect(router.state.location.pathname).toBe(`/schedule/${HAVEN.id}/2027-W01`);
    expect(scheduleCalls(requests)).toEqual([
      `/api/locations/${HAVEN.id}/schedule/2027-W02`,
      `/api/locations/${HAVEN.id}/schedule/2027-W01`,
    ]);
  });

  it('shows other errors as errors', async () => {
    mockApi({
      'GET /api/auth/me': () => jsonResponse(200, crewMe()),
      [`GET /api/locations/${HAVEN.id}/schedule/2026-W10`]: () => errorResponse(403, 'forbidden'),
    });
    renderApp(`/schedule/${HAVEN.id}/2026-W10`);
    expect(await screen.findByRole('alert')).toBeInTheDocument();
    expect(screen.queryByTestId('not-published')).not.toBeInTheDocument();
  });

  it('steps through the weeks across a year with 53 weeks', async () => {
    const { requests } = mockApi({
      'GET /api/auth/me': () => jsonResponse(200, crewMe()),
      [`GET /api/locations/${HAVEN.id}/schedule/2026-W52`]: () => jsonResponse(200, published('2026-W52', [])),
      [`GET /api/locations/${HAVEN.id}/schedule/2026-W53`]: () => jsonResponse(200, published('2026-W53', [])),
      [`GET /api/locations/${HAVEN.id}/schedule/2027-W01`]: () => errorResponse(404, 'week_not_found'),
    });
    const { router } = renderApp(`/schedule/${HAVEN.id}/2026-W52`);
    const user = userEvent.setup();
    await screen.findByRole('heading', { level: 2, name: 'Week 52' });

    await user.click(screen.getByRole('link', { name: /Next week/ }));
    expect(await screen.findByRole('heading', { level: 2, name: 'Week 53' })).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('my-schedule')).toHaveTextContent('Dec 28, 2026 – Jan 3, 2027'));

    await user.click(screen.getByRole('link', { name: /Next week/ }));
    expect(await screen.findByTestId('not-published')).toHaveTextContent('Week 1 is not published yet');
    expect(router.state.location.pathname).toBe(`/schedule/${HAVEN.id}/2027-W01`);
    expect(scheduleCalls(requests)).toEqual([
      `/api/locations/${HAVEN.id}/schedule/2026-W52`,
      `/api/locations/${HAVEN.id}/schedule/2026-W53`,
      `/api/locations/${HAVEN.id}/schedule/2027-W01`,
    ]);
  });

  it("opens this week in the location's time zone, and lets crew of several locations switch", async () => {
    // Sunday 3 January 2027, 23:30 UTC: already Monday (week 1) in Amsterdam.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2027-01-03T23:30:00Z'));
    const { requests } = mockApi({
      'GET /api/auth/me': () => jsonResponse(200, crewMe([HAVEN, DOK])),
      [`GET /api/locations/${HAVEN.id}/schedule/2027-W01`]: () => jsonResponse(200, published('2027-W01', [])),
      [`GET /api/locations/${DOK.id}/schedule/2027-W01`]: () =>
        jsonResponse(200, published('2027-W01', [shift({ id: 'd1', date: '2027-01-04' })], DOK)),
    });
    const { router } = renderApp('/schedule');
    await waitFor(() => expect(router.state.location.pathname).toBe(`/schedule/${HAVEN.id}/2027-W01`));
    expect(await screen.findByText('You have no shifts this week.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'This week' })).toHaveAttribute('aria-current', 'page');
    expect(screen.getByRole('region', { name: 'Monday, January 4' })).toHaveTextContent('Today');

    const user = userEvent.setup();
    await user.selectOptions(screen.getByLabelText('Location'), DOK.id);
    expect(await screen.findByText('You work 1 shift, 8 hours this week.')).toBeInTheDocument();
    expect(router.state.location.pathname).toBe(`/schedule/${DOK.id}/2027-W01`);
    expect(scheduleCalls(requests)).toEqual([
      `/api/locations/${HAVEN.id}/schedule/2027-W01`,
      `/api/locations/${DOK.id}/schedule/2027-W01`,
    ]);
    // The choice is remembered for the next visit to /schedule.
    expect(localStorage.getItem('crewplots.mySchedule.location')).toBe(DOK.id);
  });

  it('corrects a week that does not exist to this week', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-06-15T10:00:00Z'));
    mockApi({
      'GET /api/auth/me': () => jsonResponse(200, crewMe()),
      [`GET /api/locations/${HAVEN.id}/schedule/2026-W25`]: () => jsonResponse(200, published('2026-W25', [])),
    });
    const { router } = renderApp(`/schedule/${HAVEN.id}/2027-W53`);
    await waitFor(() => expect(router.state.location.pathname).toBe(`/schedule/${HAVEN.id}/2026-W25`));
  });

  it('tells crew without a location that nothing is scheduled yet', async () => {
    mockApi({ 'GET /api/auth/me': () => jsonResponse(200, crewMe([])) });
    renderApp('/schedule');
    expect(await screen.findByTestId('my-schedule')).toHaveTextContent('You are not on the crew of a location yet.');
  });

  it('speaks Dutch', async () => {
    mockApi({
      'GET /api/auth/me': () => jsonResponse(200, crewMe()),
      [`GET /api/locations/${HAVEN.id}/schedule/2026-W53`]: () => jsonResponse(200, published('2026-W53', [shift()])),
    });
    renderApp(`/schedule/${HAVEN.id}/2026-W53`, { language: 'nl' });
    expect(await screen.findByText('Je werkt deze week 1 dienst, 8 uur.')).toBeInTheDocument();
    expect(shiftById('s1')).toHaveTextContent('Jouw dienst');
    expect(screen.getByRole('heading', { level: 3, name: 'maandag 28 december' })).toBeInTheDocument();
  });
});
