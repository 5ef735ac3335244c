// The managers' request inbox (openapi.json, tag "requests"): a location's time-off requests with the shifts each
// collides with, and the decision on one. Open-shift claims and swaps will join here. One function per endpoint
// and the TanStack Query hooks around them, on the app's one client. The navigation's count uses this module, so it
// stays small; deciding (which refreshes the manager's week too) is in requestDecisions.ts.
import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { TimeOff, TimeOffDecisionBody, TimeOffList, TimeOffStatus } from './selfServiceTypes';

const seg = encodeURIComponent;

export const requestEndpoints = {
  /** Time off of the location's crew that has not ended, pending first; `status` narrows it. */
  timeOff: (locationId: string, status: TimeOffStatus | null, signal?: AbortSignal) =>
    api.get<TimeOffList>(`/api/locations/${seg(locationId)}/time-off`, { query: { status }, signal }),
  /** 422 `fields.reason = required` for a denial without a reason; 409 `request_decided` when someone was first. */
  decideTimeOff: (id: string, body: TimeOffDecisionBody) => api.post<TimeOff>(`/api/time-off/${seg(id)}/decision`, body),
};

export const requestKeys = {
  /** Prefix of everything cached here. */
  all: ['requests'] as const,
  timeOff: (locationId: string, status: TimeOffStatus | null) => ['requests', 'timeOff', locationId, status ?? 'all'] as const,
};

export function useLocationTimeOff(locationId: string, status: TimeOffStatus | null, enabled = true) {
  return useQuery({
    queryKey: requestKeys.timeOff(locationId, status),
    queryFn: ({ signal }) => requestEndpoints.timeOff(locationId, status, signal),
    enabled: enabled && locationId !== '',
  });
}

/** How many requests wait at a location (the navigation's badge); null while unknown or not allowed. */
export function usePendingCount(locationId: string, enabled: boolean): number | null {
  const list = useLocationTimeOff(locationId, 'pending', enabled);
  return enabled && list.data ? list.data.pending : null;
}
