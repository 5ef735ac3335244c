// Builders for the hiring tests: contract-shaped data with sensible defaults.
import type {
  AnyPermission,
  ApplicationDetail,
  ApplicationSummary,
  Board,
  BoardCard,
  Interview,
  Note,
} from '../api/hiringTypes';
import type { Me, Role } from '../api/types';
import { APPLICATION_STATUSES, type ApplicationStatus } from '../api/hiringTypes';
import { makeMe } from './utils';

export const VENUE = { id: '10000000-0000-4000-8000-000000000001', name: 'Café De Haven', timezone: 'Europe/Amsterdam' };
export const KIM = '30000000-0000-4000-8000-000000000003';

/** Staff with the hiring permissions the server grants them. */
export function staffMe(role: Role, overrides: Partial<Me> = {}): Me {
  const hiring: Record<Role, AnyPermission[]> = {
    administrator: ['applications.view', 'applications.manage', 'notes.write', 'locations.edit'],
    manager: ['applications.view', 'applications.manage', 'notes.write', 'locations.edit'],
    floor_manager: ['applications.view', 'notes.write'],
    crew_member: [],
    applicant: [],
  };
  const base = makeMe(role, { locations: role === 'administrator' ? [] : [VENUE] });
  return {
    ...base,
    permissions: [...base.permissions, ...hiring[role]] as Me['permissions'],
    ...overrides,
  };
}

export function card(overrides: Partial<BoardCard> = {}): BoardCard {
  return {
    id: 'a1',
    applicantId: KIM,
    name: 'Kim de Vries',
    position: 'Bartender',
    source: 'qr',
    status: 'new',
    location: VENUE,
    appliedAt: '2026-11-01T09:00:00Z',
    daysSinceApplied: 3,
    notesCount: 2,
    documentsCount: 1,
    documentsPending: 1,
    documentsRejected: 0,
    nextInterview: null,
    ...overrides,
  };
}

/** A board with the given cards in their columns (all seven columns, counts from the cards). */
export function board(cards: BoardCard[], positions: string[] = ['Bartender', 'Host']): Board {
  return {
    columns: APPLICATION_STATUSES.map((status: ApplicationStatus) => {
      const inColumn = cards.filter((c) => c.status === status);
      return { status, count: inColumn.length, cards: inColumn };
    }),
    total: cards.length,
    positions,
  };
}

export function note(overrides: Partial<Note> = {}): Note {
  return {
    id: 'n1',
    subjectId: KIM,
    applicationId: 'a1',
    workflow: 'application',
    priority: 'normal',
    visibleRoles: ['administrator', 'manager', 'floor_manager'],
    html: '<p>Friendly on the phone.</p>',
    bodyStatus: 'ok',
    createdAt: '2026-11-02T10:00:00Z',
    updatedAt: '2026-11-02T10:00:00Z',
    author: { id: 'u9', name: 'Mila Bakker', role: 'manager' },
    canEdit: true,
    canDelete: true,
    ...overrides,
  };
}

export function interview(overrides: Partial<Interview> = {}): Interview {
  return {
    id: 'i1',
    applicationId: 'a1',
    startsAt: '2030-03-02T13:00:00Z',
    endsAt: '2030-03-02T13:30:00Z',
    timezone: 'Europe/Amsterdam',
    localDate: '2030-03-02',
    localTime: '14:00',
    durationMinutes: 30,
    place: 'Bar, ground floor',
    interviewer: { id: 'u9', name: 'Mila Bakker', role: 'manager' },
    status: 'scheduled',
    outcome: null,
    outcomeNote: null,
    ...overrides,
  };
}

export function detail(overrides: Partial<ApplicationDetail> = {}): ApplicationDetail {
  return {
    id: 'a1',
    status: 'short_listed',
    position: 'Bartender',
    source: 'qr',
    availability: 'Weekends',
    createdAt: '2026-11-01T09:00:00Z',
    updatedAt: '2026-11-03T09:00:00Z',
    location: VENUE,
    applicant: {
      id: KIM,
      username: 'kim',
      email: 'kim@example.nl',
      firstName: 'Kim',
      lastName: 'de Vries',
      displayName: 'Kim de Vries',
      role: 'applicant',
      locations: [],
      sensitive: { phone: '+31 6 1234 5678', address: 'Kade 1, Amsterdam' },
      sensitiveStatus: 'ok',
      canEdit: false,
    },
    hasMotivationLetter: false,
    documents: [],
    notes: [],
    history: [
      { id: 'h1', from: null, to: 'new', reason: null, at: '2026-11-01T09:00:00Z', actor: null },
      {
        id: 'h2',
        from: 'new',
        to: 'short_listed',
        reason: 'Strong bar experience',
        at: '2026-11-03T09:00:00Z',
        actor: { id: 'u9', name: 'Mila Bakker', role: 'manager' },
      },
    ],
    interviews: [],
    otherApplications: [],
    permissions: {
      changeStatus: true,
      allowedTransitions: ['interviewed', 'rejected'],
      hire: true,
      scheduleInterview: true,
      addNote: true,
      reviewDocuments: false,
    },
    ...overrides,
  };
}

export function summary(overrides: Partial<ApplicationSummary> = {}): ApplicationSummary {
  return {
    id: 'a1',
    location: VENUE,
    position: 'Bartender',
    source: 'qr',
    status: 'contacted',
    availability: 'Weekends',
    createdAt: '2026-11-01T09:00:00Z',
    updatedAt: '2026-11-03T09:00:00Z',
    hasMotivationLetter: false,
    timeline: [
      { status: 'new', at: '2026-11-01T09:00:00Z' },
      { status: 'contacted', at: '2026-11-03T09:00:00Z' },
    ],
    interviews: [],
    canWithdraw: true,
    ...overrides,
  };
}
