// Fixtures of the self-service and request-inbox tests: a crew member with self-service at two venues, a manager
// and a floor manager who see requests, and builders for the API's answers.
import type { Availability, MyShift, MyShifts, TimeOff, TimeOffItem } from '../../api/selfServiceTypes';
import type { Location, Me, Permission } from '../../api/types';
import { makeMe } from '../../test/utils';

export const ME_ID = '00000000-0000-4000-8000-000000000001';
export const HAVEN = { id: '10000000-0000-4000-8000-000000000001', name: 'Café De Haven', timezone: 'Europe/Amsterdam' };
export const DOK = { id: '10000000-0000-4000-8000-000000000002', name: 'Restaurant Het Dok', timezone: 'Europe/Amsterdam' };

export const havenLocation: Location = {
  ...HAVEN,
  active: true,
  applicationCode: 'HAVEN1',
  applicationUrl: 'https://crew.example.nl/apply/HAVEN1',
};

export function crewMe(role: 'crew_member' | 'floor_manager' = 'crew_member'): Me {
  const permissions: Permission[] =
    role === 'crew_member'
      ? ['schedule.view', 'self.service']
      : ['schedule.view', 'schedule.edit', 'crew.view', 'self.service', 'requests.view'];
  return makeMe(role, { id: ME_ID, locations: [HAVEN, DOK], permissions });
}

export function managerMe(): Me {
  return makeMe('manager', {
    locations: [HAVEN],
    permissions: ['schedule.view', 'schedule.edit', 'schedule.manage', 'crew.view', 'crew.manage', 'requests.view', 'timeoff.decide'],
  });
}

export function myShift(overrides: Partial<MyShift> & Pick<MyShift, 'assignmentId' | 'date'>): MyShift {
  return {
    shiftId: `s-${overrides.assignmentId}`,
    location: HAVEN,
    positionName: 'Bar',
    startsAt: `${overrides.date}T16:00:00Z`,
    endsAt: `${overrides.date}T22:00:00Z`,
    localStart: '17:00',
    localEnd: '23:00',
    breakMinutes: 0,
    paidMinutes: 360,
    note: null,
    colleagues: [],
    ...overrides,
  };
}

export function myShifts(overrides: Partial<MyShifts> = {}): MyShifts {
  return {
    today: '2026-12-10',
    timezone: 'Europe/Amsterdam',
    todayShifts: [],
    upcoming: [],
    past: [],
    hours: { isoWeek: '2026-W50', weekMinutes: 0, month: '2026-12', monthMinutes: 0, contractedMinutes: null },
    ...overrides,
  };
}

export function availability(overrides: Partial<Availability> = {}): Availability {
  return { patterns: [], unavailableDays: [], ...overrides };
}

export function timeOff(overrides: Partial<TimeOff> & Pick<TimeOff, 'id'>): TimeOff {
  return {
    person: { id: ME_ID, name: 'Sam Jansen', role: 'crew_member' },
    firstDay: '2026-12-21',
    lastDay: '2026-12-24',
    startTime: null,
    endTime: null,
    timezone: 'Europe/Amsterdam',
    startsAt: '2026-12-20T23:00:00Z',
    endsAt: '2026-12-24T23:00:00Z',
    category: 'vacation',
    status: 'pending',
    decidedBy: null,
    decidedAt: null,
    reason: null,
    createdAt: '2026-12-01T09:00:00Z',
    ...overrides,
  };
}

export function timeOffItem(request: TimeOff, overrides: Partial<Omit<TimeOffItem, 'request'>> = {}): TimeOffItem {
  return { request, collisions: [], canDecide: true, ...overrides };
}
