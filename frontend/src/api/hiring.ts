// The hiring API (docs/api-contract-hiring.md): one function per endpoint, and the TanStack Query hooks around
// them. Same client as the rest of the app (api/client.ts): same origin, cookies, `X-Crewplots-Csrf: 1` on
// every non-GET request, failures as ApiError with the server's code.
import { useMutation, useQuery, useQueryClient, keepPreviousData, type QueryClient } from '@tanstack/react-query';
import { api, isApiError } from './client';
import type {
  ApplicationDetail,
  ApplicationStatus,
  ApplicationSummary,
  Board,
  BoardQuery,
  BulkStatusRequest,
  BulkStatusResponse,
  CancelInterviewRequest,
  ChangeStatusRequest,
  CreateApplicationRequest,
  CreateLocationDetailRequest,
  CreateNoteRequest,
  HireRequest,
  Interview,
  InterviewOutcomeRequest,
  LocationDetail,
  ManualApplicationRequest,
  MotivationLetter,
  Note,
  PosterFormat,
  ScheduleInterviewRequest,
  StaffMember,
  UpdateLocationRequest,
  UpdateNoteRequest,
} from './hiringTypes';
import { LOGOUT_KEY, queryKeys, switchUser, useLocations, usePublicLocation } from './queries';

const seg = encodeURIComponent;

export const hiringEndpoints = {
  // locations
  location: (id: string, signal?: AbortSignal) => api.get<LocationDetail>(`/api/locations/${seg(id)}`, { signal }),
  updateLocation: (id: string, body: UpdateLocationRequest) =>
    api.patch<LocationDetail>(`/api/locations/${seg(id)}`, body),
  createLocation: (body: CreateLocationDetailRequest) => api.post<LocationDetail>('/api/locations', body),
  locationStaff: (id: string, signal?: AbortSignal) =>
    api.get<StaffMember[]>(`/api/locations/${seg(id)}/staff`, { signal }),

  // applicant
  myApplications: (signal?: AbortSignal) => api.get<ApplicationSummary[]>('/api/me/applications', { signal }),
  apply: (body: CreateApplicationRequest) => api.post<ApplicationSummary>('/api/applications', body),
  withdraw: (id: string) => api.post<ApplicationSummary>(`/api/applications/${seg(id)}/withdraw`),
  letter: (id: string, signal?: AbortSignal) =>
    api.get<MotivationLetter>(`/api/applications/${seg(id)}/letter`, { signal }),
  saveLetter: (id: string, html: string) =>
    api.put<MotivationLetter>(`/api/applications/${seg(id)}/letter`, { html }),
  deleteAccount: () => api.delete<void>('/api/me'),

  // staff
  board: (query: BoardQuery, signal?: AbortSignal) =>
    api.get<Board>('/api/applications/board', { query: { ...query }, signal }),
  bulkStatus: (body: BulkStatusRequest) => api.post<BulkStatusResponse>('/api/applications/bulk-status', body),
  application: (id: string, signal?: AbortSignal) =>
    api.get<ApplicationDetail>(`/api/applications/${seg(id)}`, { signal }),
  changeStatus: (id: string, body: ChangeStatusRequest) =>
    api.post<ApplicationDetail>(`/api/applications/${seg(id)}/status`, body),
  hire: (id: string, body: HireRequest) => api.post<ApplicationDetail>(`/api/applications/${seg(id)}/hire`, body),
  manualApplication: (body: ManualApplicationRequest) =>
    api.post<ApplicationDetail>('/api/applications/manual', body),

  // notes
  notes: (personId: string, signal?: AbortSignal) => api.get<Note[]>(`/api/people/${seg(personId)}/notes`, { signal }),
  createNote: (personId: string, body: CreateNoteRequest) => api.post<Note>(`/api/people/${seg(personId)}/notes`, body),
  updateNote: (id: string, body: UpdateNoteRequest) => api.patch<Note>(`/api/notes/${seg(id)}`, body),
  deleteNote: (id: string) => api.delete<void>(`/api/notes/${seg(id)}`),

  // interviews
  scheduleInterview: (applicationId: string, body: ScheduleInterviewRequest) =>
    api.post<Interview>(`/api/applications/${seg(applicationId)}/interviews`, body),
  rescheduleInterview: (id: string, body: ScheduleInterviewRequest) =>
    api.patch<Interview>(`/api/interviews/${seg(id)}`, body),
  cancelInterview: (id: string, body: CancelInterviewRequest) =>
    api.post<Interview>(`/api/interviews/${seg(id)}/cancel`, body),
  recordOutcome: (id: string, body: InterviewOutcomeRequest) =>
    api.post<Interview>(`/api/interviews/${seg(id)}/outcome`, body),
};

/** Plain link targets: the server answers with a file (the session cookie goes along, same origin). */
export const hiringUrls = {
  interviewIcs: (id: string) => `/api/interviews/${seg(id)}/ics`,
  poster: (locationId: string, format: PosterFormat) => `/api/locations/${seg(locationId)}/poster?format=${format}`,
  myDataExport: '/api/me/export',
};

export const hiringKeys = {
  myApplications: ['myApplications'] as const,
  letter: (applicationId: string) => ['letter', applicationId] as const,
  /** Prefix of every board query, to refresh them all after a change. */
  boardAll: ['board'] as const,
  board: (query: BoardQuery) => ['board', query] as const,
  applicationAll: ['application'] as const,
  application: (id: string) => ['application', id] as const,
  notes: (personId: string) => ['notes', personId] as const,
  locationDetail: (id: string) => ['location', id] as const,
  locationStaff: (id: string) => ['locationStaff', id] as const,
};

/** Conflicts (409) mean the board or detail the user looked at is out of date. */
export function isStaleConflict(error: unknown): boolean {
  return isApiError(error) && error.status === 409;
}

async function refreshApplication(client: QueryClient, id?: string): Promise<void> {
  await Promise.all([
    client.invalidateQueries({ queryKey: hiringKeys.boardAll }),
    id
      ? client.invalidateQueries({ queryKey: hiringKeys.application(id) })
      : client.invalidateQueries({ queryKey: hiringKeys.applicationAll }),
  ]);
}

// ---- queries ------------------------------------------------------------------------------------------------

/** The venue behind an application code (`{name, applicationCode, locationId}`); the registration page's query. */
export function usePublicLocationDetail(code: string | null) {
  return usePublicLocation(code);
}

/** The locations the caller works with (the app's one list, with the extended fields). */
export function useLocationDetails(enabled = true) {
  return useLocations(enabled);
}

export function useLocationDetail(id: string) {
  return useQuery({
    queryKey: hiringKeys.locationDetail(id),
    queryFn: ({ signal }) => hiringEndpoints.location(id, signal),
    enabled: id !== '',
  });
}

export function useLocationStaff(id: string, enabled = true) {
  return useQuery({
    queryKey: hiringKeys.locationStaff(id),
    queryFn: ({ signal }) => hiringEndpoints.locationStaff(id, signal),
    enabled: enabled && id !== '',
    staleTime: 5 * 60_000,
  });
}

export function useMyApplications(enabled = true) {
  return useQuery({
    queryKey: hiringKeys.myApplications,
    queryFn: ({ signal }) => hiringEndpoints.myApplications(signal),
    enabled,
  });
}

export function useLetter(applicationId: string, enabled = true) {
  return useQuery({
    queryKey: hiringKeys.letter(applicationId),
    queryFn: ({ signal }) => hiringEndpoints.letter(applicationId, signal),
    enabled: enabled && applicationId !== '',
    // The editor owns the text while it is open; a refetch must not overwrite what is being typed.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
}

export function useBoard(query: BoardQuery) {
  return useQuery({
    queryKey: hiringKeys.board(query),
    queryFn: ({ signal }) => hiringEndpoints.board(query, signal),
    placeholderData: keepPreviousData,
  });
}

export function useApplication(id: string) {
  return useQuery({
    queryKey: hiringKeys.application(id),
    queryFn: ({ signal }) => hiringEndpoints.application(id, signal),
    enabled: id !== '',
  });
}

export function useNotes(personId: string, options: { initial?: Note[] | undefined; enabled?: boolean } = {}) {
  return useQuery({
    queryKey: hiringKeys.notes(personId),
    queryFn: ({ signal }) => hiringEndpoints.notes(personId, signal),
    enabled: (options.enabled ?? true) && personId !== '',
    ...(options.initial ? { initialData: options.initial, initialDataUpdatedAt: Date.now() } : {}),
  });
}

// ---- mutations: applicant -----------------------------------------------------------------------------------

export function useApply() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateApplicationRequest) => hiringEndpoints.apply(body),
    onSuccess: async (created) => {
      client.setQueryData<ApplicationSummary[]>(hiringKeys.myApplications, (list) =>
        list ? [created, ...list.filter((a) => a.id !== created.id)] : list,
      );
      await client.invalidateQueries({ queryKey: hiringKeys.myApplications });
    },
  });
}

export function useWithdraw() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => hiringEndpoints.withdraw(id),
    onSuccess: (updated) =>
      client.setQueryData<ApplicationSummary[]>(hiringKeys.myApplications, (list) =>
        list?.map((a) => (a.id === updated.id ? updated : a)),
      ),
    onError: (error) => {
      if (isStaleConflict(error)) void client.invalidateQueries({ queryKey: hiringKeys.myApplications });
    },
  });
}

export function useSaveLetter() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ applicationId, html }: { applicationId: string; html: string }) =>
      hiringEndpoints.saveLetter(applicationId, html),
    onSuccess: (letter, { applicationId }) => {
      client.setQueryData<MotivationLetter>(hiringKeys.letter(applicationId), letter);
      client.setQueryData<ApplicationSummary[]>(hiringKeys.myApplications, (list) =>
        list?.map((a) =>
          a.id === applicationId ? { ...a, hasMotivationLetter: letter.html.trim() !== '' } : a,
        ),
      );
    },
  });
}

/**
 * Deletes the caller's account. `leave` runs after the server has answered and before the user is forgotten
 * (typically: go to the login page); meanwhile the mutation counts as a logout, so the login page does not send
 * the still-known user back (see `useIsLoggingOut`).
 */
export function useDeleteAccount() {
  const client = useQueryClient();
  return useMutation({
    mutationKey: LOGOUT_KEY,
    mutationFn: async (leave: () => Promise<void>) => {
      await hiringEndpoints.deleteAccount();
      await leave();
    },
    // The account and its session are gone: forget everything cached for it.
    onSuccess: () => switchUser(client, null),
  });
}

// ---- mutations: staff ---------------------------------------------------------------------------------------

export function useChangeStatus() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: ChangeStatusRequest }) => hiringEndpoints.changeStatus(id, body),
    onSuccess: async (detail) => {
      client.setQueryData(hiringKeys.application(detail.id), detail);
      await client.invalidateQueries({ queryKey: hiringKeys.boardAll });
    },
    onError: (error, { id }) => {
      if (isStaleConflict(error)) void refreshApplication(client, id);
    },
  });
}

export function useHire() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: HireRequest }) => hiringEndpoints.hire(id, body),
    onSuccess: async (detail) => {
      client.setQueryData(hiringKeys.application(detail.id), detail);
      await Promise.all([
        client.invalidateQueries({ queryKey: hiringKeys.boardAll }),
        // The person is now crew at the location: user lists and their profile change.
        client.invalidateQueries({ queryKey: queryKeys.usersAll }),
        client.invalidateQueries({ queryKey: queryKeys.profile(detail.applicant.id) }),
      ]);
    },
    onError: (error, { id }) => {
      if (isStaleConflict(error)) void refreshApplication(client, id);
    },
  });
}

export function useBulkStatus() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: BulkStatusRequest) => hiringEndpoints.bulkStatus(body),
    // Some may have changed even when others failed: always refresh.
    onSettled: () => refreshApplication(client),
  });
}

export function useManualApplication() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: ManualApplicationRequest) => hiringEndpoints.manualApplication(body),
    onSuccess: async (detail) => {
      client.setQueryData(hiringKeys.application(detail.id), detail);
      await client.invalidateQueries({ queryKey: hiringKeys.boardAll });
    },
  });
}

/** After a note changes: the person's notes, and the counts on the board and in application details. */
async function refreshNotes(client: QueryClient, subjectId: string): Promise<void> {
  await Promise.all([
    client.invalidateQueries({ queryKey: hiringKeys.notes(subjectId) }),
    client.invalidateQueries({ queryKey: hiringKeys.boardAll }),
    client.invalidateQueries({ queryKey: hiringKeys.applicationAll }),
  ]);
}

export function useCreateNote() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ subjectId, body }: { subjectId: string; body: CreateNoteRequest }) =>
      hiringEndpoints.createNote(subjectId, body),
    onSuccess: async (note) => {
      client.setQueryData<Note[]>(hiringKeys.notes(note.subjectId), (list) => (list ? [note, ...list] : [note]));
      await refreshNotes(client, note.subjectId);
    },
  });
}

export function useUpdateNote() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ note, body }: { note: Note; body: UpdateNoteRequest }) => hiringEndpoints.updateNote(note.id, body),
    onSuccess: async (updated) => {
      client.setQueryData<Note[]>(hiringKeys.notes(updated.subjectId), (list) =>
        list?.map((n) => (n.id === updated.id ? updated : n)),
      );
      await refreshNotes(client, updated.subjectId);
    },
  });
}

export function useDeleteNote() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (note: Note) => hiringEndpoints.deleteNote(note.id),
    onSuccess: async (_data, note) => {
      client.setQueryData<Note[]>(hiringKeys.notes(note.subjectId), (list) => list?.filter((n) => n.id !== note.id));
      await refreshNotes(client, note.subjectId);
    },
  });
}

/** After an interview changes: the application's detail (its interviews) and the board (next interview). */
function useInterviewMutation<V>(fn: (variables: V) => Promise<Interview>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async (interview) => {
      client.setQueryData<ApplicationDetail>(hiringKeys.application(interview.applicationId), (detail) => {
        if (!detail) return detail;
        const others = detail.interviews.filter((i) => i.id !== interview.id);
        const interviews = [...others, interview].sort((a, b) => a.startsAt.localeCompare(b.startsAt));
        return { ...detail, interviews };
      });
      await refreshApplication(client, interview.applicationId);
    },
  });
}

export function useScheduleInterview() {
  return useInterviewMutation(({ applicationId, body }: { applicationId: string; body: ScheduleInterviewRequest }) =>
    hiringEndpoints.scheduleInterview(applicationId, body),
  );
}

export function useRescheduleInterview() {
  return useInterviewMutation(({ id, body }: { id: string; body: ScheduleInterviewRequest }) =>
    hiringEndpoints.rescheduleInterview(id, body),
  );
}

export function useCancelInterview() {
  return useInterviewMutation(({ id, body }: { id: string; body: CancelInterviewRequest }) =>
    hiringEndpoints.cancelInterview(id, body),
  );
}

export function useRecordOutcome() {
  return useInterviewMutation(({ id, body }: { id: string; body: InterviewOutcomeRequest }) =>
    hiringEndpoints.recordOutcome(id, body),
  );
}

function useLocationMutation<V>(fn: (variables: V) => Promise<LocationDetail>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async (location) => {
      client.setQueryData(hiringKeys.locationDetail(location.id), location);
      await Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.locations }),
        // Names and time zones appear in Me.locations too.
        client.invalidateQueries({ queryKey: queryKeys.me }),
      ]);
    },
  });
}

export function useUpdateLocation() {
  return useLocationMutation(({ id, body }: { id: string; body: UpdateLocationRequest }) =>
    hiringEndpoints.updateLocation(id, body),
  );
}

export function useCreateLocationDetail() {
  return useLocationMutation((body: CreateLocationDetailRequest) => hiringEndpoints.createLocation(body));
}

/** Whether the status is still open (the applicant may withdraw, the letter may change). */
export function isOpenStatus(status: ApplicationStatus): boolean {
  return status === 'new' || status === 'contacted' || status === 'interviewed' || status === 'short_listed';
}
