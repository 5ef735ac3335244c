// Fixtures of the week tests: one venue, week 2026-W10 (Mon 2 – Sun 8 March 2026, Europe/Amsterdam) with three
// shifts, three crew members and a manager / floor manager with the scheduling permissions.
import type {
  EligibleList,
  EligiblePerson,
  GridShift,
  RuleReason,
  WeekGrid,
  WeekSummary,
} from '../../../api/schedulingTypes';
import type { Location, Me, Permission } from '../../../api/types';
import { makeMe } from '../../../test/utils';

export const LOC = '10000000-0000-4000-8000-000000000001';
export const WEEK = '2026-W10';
export const WEEK_ID = '50000000-0000-4000-8000-000000000010';
export const BAR = '60000000-0000-4000-8000-000000000001';
export const WAITER = '60000000-0000-4000-8000-000000000002';
export const KIM = '30000000-0000-4000-8000-000000000003';
export const JAN = '30000000-0000-4000-8000-000000000004';
export const EVA = '30000000-0000-4000-8000-000000000005';
export const S_MON = '70000000-0000-4000-8000-000000000001';
export const S_FRI = '70000000-0000-4000-8000-000000000002';
export const S_SAT = '70000000-0000-4000-8000-000000000003';

export const venue: Location = {
  id: LOC,
  name: 'Café De Haven',
  timezone: 'Europe/Amsterdam',
  active: true,
  applicationCode: 'HAVEN1',
  applicationUrl: 'https://crew.example.nl/apply/HAVEN1',
};

const person = (id: string, name: string) => ({ id, name, role: 'crew_member' as const });
export const kim = person(KIM, 'Kim de Vries');
export const jan = person(JAN, 'Jan Smit');
export const eva = person(EVA, 'Eva Mulder');

export function scheduleMe(role: 'manager' | 'floor_manager'): Me {
  const permissions: Permission[] =
    role === 'manager'
      ? ['schedule.view', 'schedule.edit', 'schedule.manage', 'crew.view', 'crew.manage']
      : ['schedule.view', 'schedule.edit', 'crew.view'];
  return makeMe(role, { permissions, locations: [{ id: LOC, name: venue.name, timezone: venue.timezone }] });
}

export function reason(code: string, severity: RuleReason['severity'], message: string): RuleReason {
  return { code, severity, message, figures: {} };
}

function shift(overrides: Partial<GridShift> & Pick<GridShift, 'id' | 'date'>): GridShift {
  return {
    positionId: BAR,
    startsAt: `${overrides.date}T17:00:00Z`,
    endsAt: `${overrides.date}T22:00:00Z`,
    localStart: '18:00',
    localEnd: '23:00',
    breakMinutes: 0,
    paidMinutes: 300,
    slots: 1,
    open: 1,
    requirements: [],
    started: false,
    assignments: [],
    note: null,
    ...overrides,
  };
}

export function grid(overrides: Partial<WeekGrid> = {}): WeekGrid {
  const days = ['02', '03', '04', '05', '06', '07', '08'].map((d, i) => ({ date: `2026-03-${d}`, weekday: i + 1 }));
  return {
    week: {
      id: WEEK_ID,
      locationId: LOC,
      isoWeek: WEEK,
      status: 'draft',
      version: 7,
      hasUnpublishedChanges: true,
      publishedAt: null,
      publishedVersion: null,
    },
    location: { id: LOC, name: venue.name, timezone: venue.timezone },
    rules: { minRestMinutes: 660, weeklyMaxMinutes: 2880 },
    days,
    positions: [
      { id: BAR, locationId: LOC, name: 'Bartender', archived: false, requirements: [] },
      { id: WAITER, locationId: LOC, name: 'Waiter', archived: false, requirements: [] },
    ],
    competencies: [],
    shifts: [
      shift({
        id: S_MON,
        date: '2026-03-02',
        slots: 2,
        open: 1,
        assignments: [{ id: 'a-kim', person: kim, overridden: [], overrideReason: null }],
      }),
      shift({
        id: S_FRI,
        date: '2026-03-06',
        startsAt: '2026-03-06T21:00:00Z',
        endsAt: '2026-03-07T02:00:00Z',
        localStart: '22:00',
        localEnd: '03:00',
        open: 0,
        assignments: [{ id: 'a-jan', person: jan, overridden: ['rest_too_short'], overrideReason: 'Agreed with Jan' }],
      }),
      shift({
        id: S_SAT,
        date: '2026-03-07',
        positionId: WAITER,
        startsAt: '2026-03-07T11:00:00Z',
        endsAt: '2026-03-07T17:00:00Z',
        localStart: '12:00',
        localEnd: '18:00',
        breakMinutes: 30,
        paidMinutes: 330,
        slots: 2,
        open: 2,
        note: 'Terrace',
      }),
    ],
    people: [
      { person: kim, positionIds: [BAR], weekMinutes: 300, hereMinutes: 300, contractMinutes: 1440, reasons: [], status: 'active', timeOff: [] },
      {
        person: jan,
        positionIds: [BAR],
        weekMinutes: 2700,
        hereMinutes: 300,
        contractMinutes: 1200,
        reasons: [reason('over_contract_hours', 'warning', '45 h this week, contract 20 h.')],
        status: 'active',
        timeOff: [],
      },
      { person: eva, positionIds: [WAITER], weekMinutes: 0, hereMinutes: 0, contractMinutes: null, reasons: [], status: 'active', timeOff: [] },
    ],
    coverage: [
      { date: '2026-03-02', positionId: BAR, slots: 2, filled: 1, open: 1 },
      { date: '2026-03-06', positionId: BAR, slots: 1, filled: 1, open: 0 },
      { date: '2026-03-07', positionId: WAITER, slots: 2, filled: 0, open: 2 },
    ],
    unpublishedChanges: 5,
    ...overrides,
  };
}

export function summary(isoWeek: string, status: 'draft' | 'published' = 'published'): WeekSummary {
  return {
    week: {
      id: `week-${isoWeek}`,
      locationId: LOC,
      isoWeek,
      status,
      version: 3,
      hasUnpublishedChanges: false,
      publishedAt: status === 'published' ? '2026-02-20T10:00:00Z' : null,
      publishedVersion: status === 'published' ? 3 : null,
    },
    shifts: 12,
    slots: 20,
    filled: 18,
  };
}

export function eligiblePerson(overrides: Partial<EligiblePerson> & Pick<EligiblePerson, 'person'>): EligiblePerson {
  return {
    status: 'active',
    hasPosition: true,
    interested: false,
    eligible: true,
    overridable: false,
    weekMinutes: 0,
    reasons: [],
    ...overrides,
  };
}

/** Eva can (with a warning), Kim only with an override, Jan not at all. */
export function eligible(shiftId: string, canOverride = true): EligibleList {
  return {
    shiftId,
    canOverride,
    people: [
      eligiblePerson({
        person: jan,
        eligible: false,
        weekMinutes: 2700,
        reasons: [reason('overlap', 'refuse', 'Already working Mon 2 Mar 17:00–22:00 at Bar Zuid.')],
      }),
      eligiblePerson({
        person: kim,
        eligible: false,
        overridable: true,
        weekMinutes: 300,
        reasons: [reason('rest_too_short', 'overridable', 'Rest 10 h, minimum 11 h (next to the shift Tue 3 Mar 09:00–17:00 at Café De Haven).')],
      }),
      eligiblePerson({
        person: eva,
        hasPosition: false,
        reasons: [reason('over_contract_hours', 'warning', '12 h this week, contract 10 h.')],
      }),
    ],
  };
}
