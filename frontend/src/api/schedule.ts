// The manager's week of the scheduling API (openapi.json, tag "scheduling"): a location's weeks, creating one,
// the compiled grid, shifts, the rule engine's eligible list, assignments, publishing and the change history.
// One function per endpoint and the TanStack Query hooks around them, on the app's one client.
import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, isApiError, request } from './client';
import { crewKeys } from './crew';
import type {
  AssignRequest,
  AssignResponse,
  CreatedWeek,
  CreateWeekRequest,
  EligibleList,
  Published,
  PublishPreview,
  PublishRequest,
  RemoveRequest,
  ShiftRequest,
  WeekChange,
  WeekChanged,
  WeekGrid,
  WeekSummary,
} from './schedulingTypes';

const seg = encodeURIComponent;

/** ISO weeks (`2026-W10`), both included. */
export interface WeekRange {
  from: string;
  to: string;
}

/** How many history entries the panel asks for. */
export const CHANGES_LIMIT = 200;

export const scheduleEndpoints = {
  weeks: (locationId: string, range: WeekRange, signal?: AbortSignal) =>
    api.get<WeekSummary[]>(`/api/locations/${seg(locationId)}/weeks`, { query: { from: range.from, to: range.to }, signal }),
  createWeek: (locationId: string, body: CreateWeekRequest) =>
    api.post<CreatedWeek>(`/api/locations/${seg(locationId)}/weeks`, body),
  grid: (locationId: string, isoWeek: string, signal?: AbortSignal) =>
    api.get<WeekGrid>(`/api/locations/${seg(locationId)}/weeks/${seg(isoWeek)}`, { signal }),

  addShift: (weekId: string, body: ShiftRequest) => api.post<WeekChanged>(`/api/weeks/${seg(weekId)}/shifts`, body),
  updateShift: (shiftId: string, body: ShiftRequest) => api.patch<WeekChanged>(`/api/shifts/${seg(shiftId)}`, body),
  // DELETE with a body: `api.delete` sends none, the shared `request` does.
  removeShift: (shiftId: string, body: RemoveRequest) =>
    request<WeekChanged>('DELETE', `/api/shifts/${seg(shiftId)}`, { body }),

  eligible: (shiftId: string, signal?: AbortSignal) =>
    api.get<EligibleList>(`/api/shifts/${seg(shiftId)}/eligible`, { signal }),
  assign: (shiftId: string, body: AssignRequest) =>
    api.post<AssignResponse>(`/api/shifts/${seg(shiftId)}/assignments`, body),
  unassign: (assignmentId: string, body: RemoveRequest) =>
    request<WeekChanged>('DELETE', `/api/assignments/${seg(assignmentId)}`, { body }),

  publishPreview: (weekId: string, signal?: AbortSignal) =>
    api.get<PublishPreview>(`/api/weeks/${seg(weekId)}/publish-preview`, { signal }),
  publish: (weekId: string, body: PublishRequest) => api.post<Published>(`/api/weeks/${seg(weekId)}/publish`, body),
  changes: (weekId: string, signal?: AbortSignal) =>
    api.get<WeekChange[]>(`/api/weeks/${seg(weekId)}/changes`, { query: { limit: CHANGES_LIMIT }, signal }),
};

export const scheduleKeys = {
  /** Prefix of everything cached here. */
  all: ['schedule'] as const,
  weeks: (locationId: string, range: WeekRange) => ['schedule', 'weeks', locationId, range.from, range.to] as const,
  grid: (locationId: string, isoWeek: string) => ['schedule', 'grid', locationId, isoWeek] as const,
  eligible: (shiftId: string) => ['schedule', 'eligible', shiftId] as const,
  preview: (weekId: string) => ['schedule', 'preview', weekId] as const,
  changes: (weekId: string) => ['schedule', 'changes', weekId] as const,
};

// ---- queries ------------------------------------------------------------------------------------------------

export function useWeeks(locationId: string, range: WeekRange, enabled = true) {
  return useQuery({
    queryKey: scheduleKeys.weeks(locationId, range),
    queryFn: ({ signal }) => scheduleEndpoints.weeks(locationId, range, signal),
    enabled: enabled && locationId !== '',
    placeholderData: keepPreviousData,
  });
}

export function useWeekGrid(locationId: string, isoWeek: string) {
  return useQuery({
    queryKey: scheduleKeys.grid(locationId, isoWeek),
    queryFn: ({ signal }) => scheduleEndpoints.grid(locationId, isoWeek, signal),
    enabled: locationId !== '' && isoWeek !== '',
  });
}

/** The rule engine's verdict for every crew member: always asked fresh (hours and rest change with any shift). */
export function useEligible(shiftId: string, enabled = true) {
  return useQuery({
    queryKey: scheduleKeys.eligible(shiftId),
    queryFn: ({ signal }) => scheduleEndpoints.eligible(shiftId, signal),
    enabled: enabled && shiftId !== '',
    staleTime: 0,
  });
}

export function usePublishPreview(weekId: string) {
  return useQuery({
    queryKey: scheduleKeys.preview(weekId),
    queryFn: ({ signal }) => scheduleEndpoints.publishPreview(weekId, signal),
    enabled: weekId !== '',
    staleTime: 0,
  });
}

export function useWeekChanges(weekId: string, enabled = true) {
  return useQuery({
    queryKey: scheduleKeys.changes(weekId),
    queryFn: ({ signal }) => scheduleEndpoints.changes(weekId, signal),
    enabled: enabled && weekId !== '',
  });
}

// ---- mutations ----------------------------------------------------------------------------------------------

/**
 * Any change to a week moves hours, rest and coverage of people who also work elsewhere: every schedule query
 * (grids of other locations, eligible lists, previews, histories) and the crew pages' week hours are refreshed.
 */
export async function refreshSchedule(client: QueryClient): Promise<void> {
  await Promise.all([
    client.invalidateQueries({ queryKey: scheduleKeys.all }),
    client.invalidateQueries({ queryKey: crewKeys.pageAll }),
  ]);
}

/**
 * A conflict or a refusal of the rule engine means the screen was behind (someone else's change, a rule that
 * now applies): show the current state. Plain validation errors change nothing.
 */
function refreshOnConflict(client: QueryClient, error: unknown): Promise<void> | undefined {
  if (isApiError(error) && (error.status === 409 || (error.status === 422 && error.fields.reasons !== undefined)))
    return refreshSchedule(client);
  return undefined;
}

function useScheduleMutation<V, R>(mutationFn: (variables: V) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: () => refreshSchedule(client),
    onError: (error) => refreshOnConflict(client, error),
  });
}

export function useCreateWeek() {
  return useScheduleMutation(({ locationId, body }: { locationId: string; body: CreateWeekRequest }) =>
    scheduleEndpoints.createWeek(locationId, body),
  );
}

export function useAddShift() {
  return useScheduleMutation(({ weekId, body }: { weekId: string; body: ShiftRequest }) =>
    scheduleEndpoints.addShift(weekId, body),
  );
}

export function useUpdateShift() {
  return useScheduleMutation(({ shiftId, body }: { shiftId: string; body: ShiftRequest }) =>
    scheduleEndpoints.updateShift(shiftId, body),
  );
}

export function useRemoveShift() {
  return useScheduleMutation(({ shiftId, body }: { shiftId: string; body: RemoveRequest }) =>
    scheduleEndpoints.removeShift(shiftId, body),
  );
}

export function useAssign() {
  return useScheduleMutation(({ shiftId, body }: { shiftId: string; body: AssignRequest }) =>
    scheduleEndpoints.assign(shiftId, body),
  );
}

export function useUnassign() {
  return useScheduleMutation(({ assignmentId, body }: { assignmentId: string; body: RemoveRequest }) =>
    scheduleEndpoints.unassign(assignmentId, body),
  );
}

export function usePublish() {
  return useScheduleMutation(({ weekId, body }: { weekId: string; body: PublishRequest }) =>
    scheduleEndpoints.publish(weekId, body),
  );
}
