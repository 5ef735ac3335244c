// Builders for the crew and template tests: contract-shaped data (src/api/schedulingTypes.ts) with defaults.
import type {
  Assessment,
  Competency,
  CrewMember,
  CrewPage,
  Membership,
  Position,
  RuleReason,
  TemplateShift,
  UpcomingShift,
  WeekTemplate,
} from '../api/schedulingTypes';
import type { Location, Me, Permission, Role } from '../api/types';
import { VENUE } from './hiringData';
import { makeMe } from './utils';

export { VENUE };

export const NOORD = { id: '10000000-0000-4000-8000-000000000002', name: 'Brasserie Noord', timezone: 'Europe/Amsterdam' };

export function location(ref: { id: string; name: string; timezone: string }, overrides: Partial<Location> = {}): Location {
  return {
    ...ref,
    active: true,
    applicationCode: ref.id.slice(-4),
    applicationUrl: `https://crew.example.nl/apply/${ref.id.slice(-4)}`,
    address: null,
    contactEmail: null,
    contactPhone: null,
    ...overrides,
  };
}

export const haven = location(VENUE);
export const noord = location(NOORD);

/** Staff with the scheduling and crew permissions the server's policy grants their role. */
export function crewMe(role: Role, overrides: Partial<Me> = {}): Me {
  const granted: Record<Role, Permission[]> = {
    administrator: ['schedule.view', 'schedule.edit', 'schedule.manage', 'crew.view', 'crew.manage'],
    manager: ['schedule.view', 'schedule.edit', 'schedule.manage', 'crew.view', 'crew.manage'],
    floor_manager: ['schedule.view', 'schedule.edit', 'crew.view'],
    crew_member: ['schedule.view'],
    applicant: [],
  };
  const base = makeMe(role, { locations: role === 'administrator' ? [] : [VENUE, NOORD] });
  return { ...base, permissions: [...base.permissions, ...granted[role]], ...overrides };
}

// ---- catalog ------------------------------------------------------------------------------------------------

export const BAR = '20000000-0000-4000-8000-000000000001';
export const WAITER = '20000000-0000-4000-8000-000000000002';
export const DISHES = '20000000-0000-4000-8000-000000000003';
export const COCKTAILS = '21000000-0000-4000-8000-000000000001';
export const REGISTER = '21000000-0000-4000-8000-000000000002';
export const WINE = '21000000-0000-4000-8000-000000000003';

export function position(overrides: Partial<Position> = {}): Position {
  return { id: BAR, locationId: VENUE.id, name: 'Bartender', archived: false, requirements: [], ...overrides };
}

export function competency(overrides: Partial<Competency> = {}): Competency {
  return { id: COCKTAILS, locationId: VENUE.id, name: 'Cocktails', archived: false, ...overrides };
}

/** Bartender (needs cocktails ≥ 2), Waiter, and the archived Dishwasher. */
export function positions(): Position[] {
  return [
    position({ requirements: [{ competencyId: COCKTAILS, minLevel: 2 }] }),
    position({ id: WAITER, name: 'Waiter' }),
    position({ id: DISHES, name: 'Dishwasher', archived: true }),
  ];
}

/** Cocktails, Cash register, and the archived Wine. */
export function competencies(): Competency[] {
  return [
    competency(),
    competency({ id: REGISTER, name: 'Cash register' }),
    competency({ id: WINE, name: 'Wine', archived: true }),
  ];
}

// ---- crew ---------------------------------------------------------------------------------------------------

export const KIM = '30000000-0000-4000-8000-000000000003';
export const JAN = '30000000-0000-4000-8000-000000000004';
export const EVA = '30000000-0000-4000-8000-000000000005';
export const ALI = '30000000-0000-4000-8000-000000000006';

export function member(overrides: Partial<CrewMember> = {}): CrewMember {
  return {
    person: { id: KIM, name: 'Kim de Vries', role: 'crew_member' },
    locationId: VENUE.id,
    positionIds: [BAR],
    contractedHours: 24,
    startDate: '2026-03-01',
    status: 'active',
    ...overrides,
  };
}

/** Kim (bartender, 24 h), Jan (bartender and waiter, 30.5 h, on leave), Eva (no position, flexible, inactive). */
export function roster(): CrewMember[] {
  return [
    member(),
    member({
      person: { id: JAN, name: 'Jan Smit', role: 'floor_manager' },
      positionIds: [BAR, WAITER],
      contractedHours: 30.5,
      startDate: null,
      status: 'on_leave',
    }),
    member({
      person: { id: EVA, name: 'Eva Mulder', role: 'crew_member' },
      positionIds: [],
      contractedHours: null,
      startDate: '2025-11-15',
      status: 'inactive',
    }),
  ];
}

export function assessment(overrides: Partial<Assessment> = {}): Assessment {
  return {
    competencyId: COCKTAILS,
    level: 3,
    assessedOn: '2026-04-10',
    recordedAt: '2026-04-10T15:00:00Z',
    note: 'Made 40 cocktails on a busy Saturday',
    assessor: { id: 'u9', name: 'Mila Bakker', role: 'manager' },
    ...overrides,
  };
}

export function reason(overrides: Partial<RuleReason> = {}): RuleReason {
  return {
    code: 'over_contract_hours',
    severity: 'warning',
    message: 'More hours than contracted.',
    figures: { minutes: 1800, limitMinutes: 1440 },
    ...overrides,
  };
}

export function upcoming(overrides: Partial<UpcomingShift> = {}): UpcomingShift {
  return {
    shiftId: '40000000-0000-4000-8000-000000000001',
    location: VENUE,
    positionName: 'Bartender',
    date: '2026-05-08',
    startsAt: '2026-05-08T15:00:00Z',
    endsAt: '2026-05-08T21:30:00Z',
    localStart: '17:00',
    localEnd: '23:30',
    paidMinutes: 360,
    published: true,
    ...overrides,
  };
}

export function membership(overrides: Partial<Membership> = {}): Membership {
  return {
    location: VENUE,
    member: member(),
    positions: positions(),
    competencies: competencies(),
    canManage: true,
    ...overrides,
  };
}

export function crewPage(overrides: Partial<CrewPage> = {}): CrewPage {
  return {
    person: { id: KIM, name: 'Kim de Vries', role: 'crew_member' },
    memberships: [membership()],
    levels: [assessment()],
    history: [
      assessment(),
      assessment({
        level: 1,
        assessedOn: '2026-01-05',
        recordedAt: '2026-01-05T10:00:00Z',
        note: 'First week behind the bar',
        assessor: { id: 'u8', name: 'Sam Jansen', role: 'manager' },
      }),
    ],
    upcoming: [upcoming()],
    thisWeek: { isoWeek: '2026-W19', minutes: 1800, contractMinutes: 1440, reasons: [reason()] },
    ...overrides,
  };
}

// ---- templates ----------------------------------------------------------------------------------------------

export const TEMPLATE = '50000000-0000-4000-8000-000000000001';

export function templateShift(overrides: Partial<TemplateShift> = {}): TemplateShift {
  return {
    id: '51000000-0000-4000-8000-000000000001',
    weekday: 1,
    positionId: BAR,
    start: '17:00',
    end: '23:00',
    overnight: false,
    breakMinutes: 30,
    slots: 2,
    requirements: [],
    note: null,
    ...overrides,
  };
}

export function weekTemplate(overrides: Partial<WeekTemplate> = {}): WeekTemplate {
  return {
    id: TEMPLATE,
    locationId: VENUE.id,
    name: 'Summer week',
    updatedAt: '2026-04-01T10:00:00Z',
    shifts: [templateShift()],
    ...overrides,
  };
}
