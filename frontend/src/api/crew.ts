// The crew side of the scheduling API (openapi.json, tag "scheduling"): positions and competencies of a
// location, its crew roster, a person's crew page with assessments, and week templates. One function per
// endpoint and the TanStack Query hooks around them, on the app's one client (CSRF header, ApiError).
import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api } from './client';
import type {
  AddCrewRequest,
  Assessment,
  AssessRequest,
  Competency,
  CompetencyRequest,
  CrewMember,
  CrewPage,
  CrewStatus,
  Position,
  PositionRequest,
  TemplateRequest,
  UpdateCrewRequest,
  WeekTemplate,
} from './schedulingTypes';

const seg = encodeURIComponent;

export const CREW_STATUSES: readonly CrewStatus[] = ['active', 'on_leave', 'inactive'];

export interface RosterFilter {
  position?: string;
  status?: CrewStatus | '';
}

export const crewEndpoints = {
  positions: (locationId: string, signal?: AbortSignal) =>
    api.get<Position[]>(`/api/locations/${seg(locationId)}/positions`, { signal }),
  createPosition: (locationId: string, body: PositionRequest) =>
    api.post<Position>(`/api/locations/${seg(locationId)}/positions`, body),
  updatePosition: (id: string, body: PositionRequest) => api.patch<Position>(`/api/positions/${seg(id)}`, body),

  competencies: (locationId: string, signal?: AbortSignal) =>
    api.get<Competency[]>(`/api/locations/${seg(locationId)}/competencies`, { signal }),
  createCompetency: (locationId: string, body: CompetencyRequest) =>
    api.post<Competency>(`/api/locations/${seg(locationId)}/competencies`, body),
  updateCompetency: (id: string, body: CompetencyRequest) =>
    api.patch<Competency>(`/api/competencies/${seg(id)}`, body),

  roster: (locationId: string, filter: RosterFilter, signal?: AbortSignal) =>
    api.get<CrewMember[]>(`/api/locations/${seg(locationId)}/crew`, {
      query: { position: filter.position, status: filter.status },
      signal,
    }),
  candidates: (locationId: string, signal?: AbortSignal) =>
    api.get<CrewMember[]>(`/api/locations/${seg(locationId)}/crew/candidates`, { signal }),
  addCrew: (locationId: string, body: AddCrewRequest) =>
    api.post<CrewMember>(`/api/locations/${seg(locationId)}/crew`, body),
  updateCrew: (locationId: string, userId: string, body: UpdateCrewRequest) =>
    api.patch<CrewMember>(`/api/locations/${seg(locationId)}/crew/${seg(userId)}`, body),

  crewPage: (userId: string, signal?: AbortSignal) => api.get<CrewPage>(`/api/crew/${seg(userId)}`, { signal }),
  assess: (userId: string, competencyId: string, body: AssessRequest) =>
    api.put<Assessment>(`/api/crew/${seg(userId)}/competencies/${seg(competencyId)}`, body),

  templates: (locationId: string, signal?: AbortSignal) =>
    api.get<WeekTemplate[]>(`/api/locations/${seg(locationId)}/templates`, { signal }),
  template: (id: string, signal?: AbortSignal) => api.get<WeekTemplate>(`/api/templates/${seg(id)}`, { signal }),
  createTemplate: (locationId: string, body: TemplateRequest) =>
    api.post<WeekTemplate>(`/api/locations/${seg(locationId)}/templates`, body),
  saveTemplate: (id: string, body: TemplateRequest) => api.put<WeekTemplate>(`/api/templates/${seg(id)}`, body),
  deleteTemplate: (id: string) => api.delete<void>(`/api/templates/${seg(id)}`),
};

export const crewKeys = {
  /** Prefix of everything cached here, e.g. to refresh after a change elsewhere. */
  all: ['crew'] as const,
  positions: (locationId: string) => ['crew', 'positions', locationId] as const,
  competencies: (locationId: string) => ['crew', 'competencies', locationId] as const,
  rosterAll: (locationId: string) => ['crew', 'roster', locationId] as const,
  roster: (locationId: string, filter: RosterFilter) => ['crew', 'roster', locationId, filter] as const,
  candidates: (locationId: string) => ['crew', 'candidates', locationId] as const,
  pageAll: ['crew', 'page'] as const,
  page: (userId: string) => ['crew', 'page', userId] as const,
  templates: (locationId: string) => ['crew', 'templates', locationId] as const,
  template: (id: string) => ['crew', 'template', id] as const,
};

// ---- queries ------------------------------------------------------------------------------------------------

export function usePositions(locationId: string, enabled = true) {
  return useQuery({
    queryKey: crewKeys.positions(locationId),
    queryFn: ({ signal }) => crewEndpoints.positions(locationId, signal),
    enabled: enabled && locationId !== '',
  });
}

export function useCompetencies(locationId: string, enabled = true) {
  return useQuery({
    queryKey: crewKeys.competencies(locationId),
    queryFn: ({ signal }) => crewEndpoints.competencies(locationId, signal),
    enabled: enabled && locationId !== '',
  });
}

export function useRoster(locationId: string, filter: RosterFilter) {
  return useQuery({
    queryKey: crewKeys.roster(locationId, filter),
    queryFn: ({ signal }) => crewEndpoints.roster(locationId, filter, signal),
    enabled: locationId !== '',
    placeholderData: keepPreviousData,
  });
}

export function useCandidates(locationId: string, enabled = true) {
  return useQuery({
    queryKey: crewKeys.candidates(locationId),
    queryFn: ({ signal }) => crewEndpoints.candidates(locationId, signal),
    enabled: enabled && locationId !== '',
  });
}

export function useCrewPage(userId: string) {
  return useQuery({
    queryKey: crewKeys.page(userId),
    queryFn: ({ signal }) => crewEndpoints.crewPage(userId, signal),
    enabled: userId !== '',
  });
}

export function useTemplates(locationId: string) {
  return useQuery({
    queryKey: crewKeys.templates(locationId),
    queryFn: ({ signal }) => crewEndpoints.templates(locationId, signal),
    enabled: locationId !== '',
  });
}

export function useTemplate(id: string) {
  return useQuery({
    queryKey: crewKeys.template(id),
    queryFn: ({ signal }) => crewEndpoints.template(id, signal),
    enabled: id !== '',
    // The editor owns the shifts while it is open: a refetch must not overwrite what is being typed.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
}

// ---- mutations ----------------------------------------------------------------------------------------------

/** Positions and competencies name things on the roster, the crew pages and the templates. */
async function refreshCatalog(client: QueryClient, locationId: string): Promise<void> {
  await Promise.all([
    client.invalidateQueries({ queryKey: crewKeys.positions(locationId) }),
    client.invalidateQueries({ queryKey: crewKeys.competencies(locationId) }),
    client.invalidateQueries({ queryKey: crewKeys.pageAll }),
  ]);
}

/** A membership changed: the roster(s) of the location, the candidates and the person's page. */
async function refreshCrew(client: QueryClient, locationId: string, userId: string): Promise<void> {
  await Promise.all([
    client.invalidateQueries({ queryKey: crewKeys.rosterAll(locationId) }),
    client.invalidateQueries({ queryKey: crewKeys.candidates(locationId) }),
    client.invalidateQueries({ queryKey: crewKeys.page(userId) }),
  ]);
}

export function useCreatePosition() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ locationId, body }: { locationId: string; body: PositionRequest }) =>
      crewEndpoints.createPosition(locationId, body),
    onSuccess: (saved) => refreshCatalog(client, saved.locationId),
  });
}

export function useUpdatePosition() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: PositionRequest }) => crewEndpoints.updatePosition(id, body),
    onSuccess: (saved) => {
      client.setQueryData<Position[]>(crewKeys.positions(saved.locationId), (list) =>
        list?.map((p) => (p.id === saved.id ? saved : p)),
      );
      return refreshCatalog(client, saved.locationId);
    },
  });
}

export function useCreateCompetency() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ locationId, body }: { locationId: string; body: CompetencyRequest }) =>
      crewEndpoints.createCompetency(locationId, body),
    onSuccess: (saved) => refreshCatalog(client, saved.locationId),
  });
}

export function useUpdateCompetency() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: CompetencyRequest }) => crewEndpoints.updateCompetency(id, body),
    onSuccess: (saved) => {
      client.setQueryData<Competency[]>(crewKeys.competencies(saved.locationId), (list) =>
        list?.map((c) => (c.id === saved.id ? saved : c)),
      );
      return refreshCatalog(client, saved.locationId);
    },
  });
}

export function useAddCrew() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ locationId, body }: { locationId: string; body: AddCrewRequest }) =>
      crewEndpoints.addCrew(locationId, body),
    onSuccess: (member) => refreshCrew(client, member.locationId, member.person.id),
  });
}

export function useUpdateCrew() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ locationId, userId, body }: { locationId: string; userId: string; body: UpdateCrewRequest }) =>
      crewEndpoints.updateCrew(locationId, userId, body),
    onSuccess: (member) => refreshCrew(client, member.locationId, member.person.id),
  });
}

export function useAssess() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, competencyId, body }: { userId: string; competencyId: string; body: AssessRequest }) =>
      crewEndpoints.assess(userId, competencyId, body),
    onSuccess: (_saved, { userId }) => client.invalidateQueries({ queryKey: crewKeys.page(userId) }),
  });
}

export function useCreateTemplate() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ locationId, body }: { locationId: string; body: TemplateRequest }) =>
      crewEndpoints.createTemplate(locationId, body),
    onSuccess: async (saved) => {
      client.setQueryData(crewKeys.template(saved.id), saved);
      await client.invalidateQueries({ queryKey: crewKeys.templates(saved.locationId) });
    },
  });
}

export function useSaveTemplate() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: TemplateRequest }) => crewEndpoints.saveTemplate(id, body),
    onSuccess: async (saved) => {
      client.setQueryData(crewKeys.template(saved.id), saved);
      client.setQueryData<WeekTemplate[]>(crewKeys.templates(saved.locationId), (list) =>
        list?.map((t) => (t.id === saved.id ? saved : t)),
      );
      await client.invalidateQueries({ queryKey: crewKeys.templates(saved.locationId) });
    },
  });
}

export function useDeleteTemplate() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (template: WeekTemplate) => crewEndpoints.deleteTemplate(template.id),
    onSuccess: async (_data, template) => {
      client.setQueryData<WeekTemplate[]>(crewKeys.templates(template.locationId), (list) =>
        list?.filter((t) => t.id !== template.id),
      );
      client.removeQueries({ queryKey: crewKeys.template(template.id) });
      await client.invalidateQueries({ queryKey: crewKeys.templates(template.locationId) });
    },
  });
}
