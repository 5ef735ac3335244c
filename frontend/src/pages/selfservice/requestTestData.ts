// Fixtures of the claim, offer, swap, inbox and notification tests: builders for the API's answers, on top of the
// self-service fixtures (testData.ts: the crew member Sam at Haven and Dok, a manager at Haven).
import type { PublishedSchedule, PublishedShift } from '../../api/schedulingTypes';
import type {
  NotificationItem,
  NotificationPage,
  OpenShiftItem,
  RequestShift,
  ShiftRequestItem,
} from '../../api/shiftRequestTypes';
import type { Me } from '../../api/types';
import { makeMe } from '../../test/utils';
import { weekDates } from '../scheduling/isoWeek';
import { HAVEN, ME_ID } from './testData';

export { crewMe, DOK, HAVEN, havenLocation, ME_ID, myShift, myShifts } from './testData';

export const SAM = { id: ME_ID, name: 'Sam J.' };
export const KIM = { id: 'p-kim', name: 'Kim V.' };
export const BRAM = { id: 'p-bram', name: 'Bram J.' };

/** A manager (or floor manager) at Haven who may decide shift requests. */
export function deciderMe(role: 'manager' | 'floor_manager' = 'manager', canApprove = true): Me {
  const base = ['schedule.view', 'schedule.edit', 'crew.view', 'requests.view'] as Me['permissions'];
  const permissions: Me['permissions'] = [
    ...base,
    ...(role === 'manager' ? (['schedule.manage', 'timeoff.decide'] as Me['permissions']) : (['self.service'] as Me['permissions'])),
    ...(canApprove ? (['requests.approve'] as Me['permissions']) : []),
  ];
  return makeMe(role, { id: 'm-1', locations: [HAVEN], permissions });
}

export function requestShift(overrides: Partial<RequestShift> = {}): RequestShift {
  const date = overrides.date ?? '2026-12-15';
  return {
    shiftId: 'sh-1',
    positionName: 'Bar',
    date,
    startsAt: `${date}T16:00:00Z`,
    endsAt: `${date}T22:00:00Z`,
    localStart: '17:00',
    localEnd: '23:00',
    ...overrides,
  };
}

export function openShift(overrides: Partial<OpenShiftItem> = {}): OpenShiftItem {
  return {
    shift: requestShift(),
    location: HAVEN,
    openSlots: 1,
    note: null,
    eligible: true,
    reasons: [],
    interested: false,
    pendingClaimId: null,
    offer: null,
    needsApproval: true,
    closesAt: '2026-12-15T04:00:00Z',
    ...overrides,
  };
}

export function shiftRequest(overrides: Partial<ShiftRequestItem> & Pick<ShiftRequestItem, 'id' | 'kind'>): ShiftRequestItem {
  return {
    status: 'pending_approval',
    location: HAVEN,
    weekId: 'w-51',
    shift: requestShift(),
    requester: SAM,
    target: null,
    targetShift: null,
    taker: null,
    decidedBy: null,
    decidedAt: null,
    reason: null,
    createdAt: '2026-12-08T09:00:00Z',
    closesAt: '2026-12-15T04:00:00Z',
    canAccept: false,
    canDecline: false,
    canWithdraw: false,
    canApprove: false,
    ...overrides,
  };
}

export function publishedShift(overrides: Partial<PublishedShift> & Pick<PublishedShift, 'id' | 'date'>): PublishedShift {
  return {
    positionName: 'Bar',
    startsAt: `${overrides.date}T16:00:00Z`,
    endsAt: `${overrides.date}T22:00:00Z`,
    localStart: '17:00',
    localEnd: '23:00',
    breakMinutes: 0,
    slots: 1,
    open: 0,
    note: null,
    people: [],
    mine: false,
    ...overrides,
  };
}

export function publishedWeek(isoWeek: string, shifts: PublishedShift[]): PublishedSchedule {
  return {
    isoWeek,
    location: HAVEN,
    publishedAt: '2026-12-01T10:00:00Z',
    days: weekDates(isoWeek).map((date, i) => ({ date, weekday: i + 1 })),
    shifts,
  };
}

export function notification(overrides: Partial<NotificationItem> & Pick<NotificationItem, 'id' | 'kind'>): NotificationItem {
  return { params: {}, createdAt: '2026-12-08T09:00:00Z', readAt: null, ...overrides };
}

export function notificationPage(items: NotificationItem[], unread: number, nextCursor: string | null = null): NotificationPage {
  return { items, unread, nextCursor };
}
