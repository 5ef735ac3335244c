// Claims, offers and swaps (openapi.json, tags "self-service" and "requests"): open shifts with the rule engine's
// verdict for me, claiming and marking interest, offering or swapping my shift, answering and withdrawing, and the
// managers' side (a location's requests, approve, deny, bulk approve, the location's settings). One function per
// endpoint and the TanStack Query hooks around them, on the app's one client (CSRF header, ApiError).
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, isApiError } from './client';
import { crewKeys } from './crew';
import { publishedScheduleKeys } from './publishedSchedule';
import { shiftRequestKeys } from './requestCounts';
import { scheduleKeys } from './schedule';
import { selfServiceKeys } from './selfService';
import type {
  BulkApproveResult,
  MyRequests,
  OpenShifts,
  RequestSettings,
  ShiftRequestItem,
} from './shiftRequestTypes';

export { shiftRequestKeys } from './requestCounts';

const seg = encodeURIComponent;

export const shiftRequestEndpoints = {
  /** Open slots of published weeks at my locations (four weeks ahead) and colleagues' offered places. */
  openShifts: (signal?: AbortSignal) => api.get<OpenShifts>('/api/me/open-shifts', { signal }),
  /** 201 with status `approved` (the shift is mine) or `pending_approval`; 409 with a rule code, `slots_full`,
   * `request_exists` or `past_cutoff`. */
  claim: (shiftId: string) => api.post<ShiftRequestItem>(`/api/shifts/${seg(shiftId)}/claim`),
  markInterest: (shiftId: string) => api.put<void>(`/api/shifts/${seg(shiftId)}/interest`),
  unmarkInterest: (shiftId: string) => api.delete<void>(`/api/shifts/${seg(shiftId)}/interest`),

  /** Offers my published shift to the colleagues the rules allow on it. */
  offer: (assignmentId: string) => api.post<ShiftRequestItem>(`/api/assignments/${seg(assignmentId)}/offer`),
  /** Proposes to swap my shift for a colleague's at the same location (422 `fields.targetAssignmentId`). */
  swap: (assignmentId: string, targetAssignmentId: string) =>
    api.post<ShiftRequestItem>(`/api/assignments/${seg(assignmentId)}/swap`, { targetAssignmentId }),

  myRequests: (signal?: AbortSignal) => api.get<MyRequests>('/api/me/requests', { signal }),
  /** Takes an offer, or agrees to a swap proposed to me. */
  accept: (id: string) => api.post<ShiftRequestItem>(`/api/requests/${seg(id)}/accept`),
  /** Says no to a swap proposed to me. */
  decline: (id: string) => api.post<ShiftRequestItem>(`/api/requests/${seg(id)}/decline`),
  /** Takes back my own request that is not decided yet. */
  withdraw: (id: string) => api.post<ShiftRequestItem>(`/api/requests/${seg(id)}/withdraw`),

  /** A location's requests, undecided first; `decided` adds the last 100 decided ones. */
  locationRequests: (locationId: string, decided: boolean, signal?: AbortSignal) =>
    api.get<ShiftRequestItem[]>(`/api/locations/${seg(locationId)}/requests`, {
      query: decided ? { decided: true } : {},
      signal,
    }),
  /** 409 with a rule code when the rules no longer hold now; 422 `fields.reason = too_long`. */
  approve: (id: string, reason: string | null) =>
    api.post<ShiftRequestItem>(`/api/requests/${seg(id)}/approve`, reason ? { reason } : {}),
  /** 422 `fields.reason = required` without a reason. */
  deny: (id: string, reason: string) => api.post<ShiftRequestItem>(`/api/requests/${seg(id)}/deny`, { reason }),
  /** Each request in its own transaction; the ones left are listed with their code. */
  approveMany: (locationId: string, ids: string[]) =>
    api.post<BulkApproveResult>(`/api/locations/${seg(locationId)}/requests/approve`, { ids }),

  settings: (locationId: string, signal?: AbortSignal) =>
    api.get<RequestSettings>(`/api/locations/${seg(locationId)}/request-settings`, { signal }),
  /** Managers (schedule.manage); 422 `fields.cutoffMinutes = out_of_range`. */
  saveSettings: (locationId: string, body: RequestSettings) =>
    api.put<RequestSettings>(`/api/locations/${seg(locationId)}/request-settings`, body),
};

// ---- queries ------------------------------------------------------------------------------------------------

export function useOpenShifts() {
  return useQuery({
    queryKey: shiftRequestKeys.openShifts,
    queryFn: ({ signal }) => shiftRequestEndpoints.openShifts(signal),
  });
}

export function useMyRequests() {
  return useQuery({
    queryKey: shiftRequestKeys.mine,
    queryFn: ({ signal }) => shiftRequestEndpoints.myRequests(signal),
  });
}

export function useLocationShiftRequests(locationId: string, decided: boolean, enabled = true) {
  return useQuery({
    queryKey: shiftRequestKeys.location(locationId, decided),
    queryFn: ({ signal }) => shiftRequestEndpoints.locationRequests(locationId, decided, signal),
    enabled: enabled && locationId !== '',
  });
}

export function useRequestSettings(locationId: string, enabled = true) {
  return useQuery({
    queryKey: shiftRequestKeys.settings(locationId),
    queryFn: ({ signal }) => shiftRequestEndpoints.settings(locationId, signal),
    enabled: enabled && locationId !== '',
  });
}

// ---- mutations ----------------------------------------------------------------------------------------------

/** After a crew member's step: every list of requests, my shifts and the published weeks may differ. */
function refreshCrew(client: QueryClient) {
  return Promise.all([
    client.invalidateQueries({ queryKey: shiftRequestKeys.all }),
    client.invalidateQueries({ queryKey: [...selfServiceKeys.all, 'shifts'] }),
    client.invalidateQueries({ queryKey: publishedScheduleKeys.all }),
  ]);
}

/** After a manager's decision: also the manager's week (assignments moved) and the crew pages' hours. */
function refreshDecided(client: QueryClient) {
  return Promise.all([
    refreshCrew(client),
    client.invalidateQueries({ queryKey: scheduleKeys.all }),
    client.invalidateQueries({ queryKey: crewKeys.pageAll }),
  ]);
}

/** A 409 means the state moved under us (someone was first, the rules changed): show how it stands now. */
function refreshOnConflict(client: QueryClient, refresh: (client: QueryClient) => Promise<unknown>) {
  return (error: unknown) => {
    if (isApiError(error) && error.status === 409) void refresh(client);
  };
}

// The refreshes below are not awaited: a card often leaves its list once the request moved, and the caller's own
// callbacks (toast, closing a dialog) must run before that unmounts it.

export function useClaimShift() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (shiftId: string) => shiftRequestEndpoints.claim(shiftId),
    onSuccess: (created, shiftId) => {
      // The card shows "waiting for approval" at once; the refetch that follows confirms it.
      if (created.status === 'pending_approval') {
        client.setQueryData<OpenShifts>(shiftRequestKeys.openShifts, (data) =>
          data
            ? {
                items: data.items.map((item) =>
                  item.shift.shiftId === shiftId && !item.offer ? { ...item, pendingClaimId: created.id } : item,
                ),
              }
            : data,
        );
      }
      void refreshCrew(client);
    },
    onError: refreshOnConflict(client, refreshCrew),
  });
}

export function useSetInterest() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ shiftId, interested }: { shiftId: string; interested: boolean }) =>
      interested ? shiftRequestEndpoints.markInterest(shiftId) : shiftRequestEndpoints.unmarkInterest(shiftId),
    // The toggle answers at once; a failure puts it back.
    onMutate: async ({ shiftId, interested }) => {
      await client.cancelQueries({ queryKey: shiftRequestKeys.openShifts });
      const previous = client.getQueryData<OpenShifts>(shiftRequestKeys.openShifts);
      if (previous) {
        client.setQueryData<OpenShifts>(shiftRequestKeys.openShifts, {
          items: previous.items.map((item) =>
            item.shift.shiftId === shiftId && !item.offer ? { ...item, interested } : item,
          ),
        });
      }
      return { previous };
    },
    onError: (_error, _variables, context) => {
      if (context?.previous) client.setQueryData(shiftRequestKeys.openShifts, context.previous);
    },
    onSettled: () => {
      void client.invalidateQueries({ queryKey: shiftRequestKeys.openShifts });
    },
  });
}

export function useOfferShift() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (assignmentId: string) => shiftRequestEndpoints.offer(assignmentId),
    onSuccess: () => {
      void refreshCrew(client);
    },
    onError: refreshOnConflict(client, refreshCrew),
  });
}

export function useProposeSwap() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ assignmentId, targetAssignmentId }: { assignmentId: string; targetAssignmentId: string }) =>
      shiftRequestEndpoints.swap(assignmentId, targetAssignmentId),
    onSuccess: () => {
      void refreshCrew(client);
    },
    onError: refreshOnConflict(client, refreshCrew),
  });
}

export type CrewStep = 'accept' | 'decline' | 'withdraw';

/** Accepting (an offer or a swap proposed to me), declining a swap, withdrawing my request. */
export function useRequestStep() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, step }: { id: string; step: CrewStep }) => shiftRequestEndpoints[step](id),
    onSuccess: () => {
      void refreshCrew(client);
    },
    onError: refreshOnConflict(client, refreshCrew),
  });
}

export type Decision = 'approve' | 'deny';

export function useDecideShiftRequest() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, decision, reason }: { id: string; decision: Decision; reason: string }) =>
      decision === 'approve'
        ? shiftRequestEndpoints.approve(id, reason || null)
        : shiftRequestEndpoints.deny(id, reason),
    onSuccess: () => {
      void refreshDecided(client);
    },
    onError: refreshOnConflict(client, refreshDecided),
  });
}

export function useApproveShiftRequests() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ locationId, ids }: { locationId: string; ids: string[] }) =>
      shiftRequestEndpoints.approveMany(locationId, ids),
    // Some may have moved even when others were left: refresh either way.
    onSettled: () => {
      void refreshDecided(client);
    },
  });
}

export function useSaveRequestSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ locationId, settings }: { locationId: string; settings: RequestSettings }) =>
      shiftRequestEndpoints.saveSettings(locationId, settings),
    onSuccess: (saved, { locationId }) => {
      client.setQueryData<RequestSettings>(shiftRequestKeys.settings(locationId), saved);
      // Whether a request needs approval, and when it closes, follow the settings.
      void client.invalidateQueries({ queryKey: shiftRequestKeys.all });
    },
  });
}
