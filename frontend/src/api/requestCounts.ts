// The cache keys of claims, offers and swaps, and the inbox counts per location (`GET /api/requests/counts`: time
// off and shift requests waiting). Kept apart from shiftRequests.ts so the navigation can show a count without
// loading the week's module that deciding refreshes.
import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { InboxCount } from './shiftRequestTypes';

// Not under `['me']`: that is the session's own key, which `switchUser` keeps when the user changes.
export const shiftRequestKeys = {
  /** Prefix of everything cached about claims, offers and swaps. */
  all: ['shiftRequests'] as const,
  openShifts: ['shiftRequests', 'open'] as const,
  mine: ['shiftRequests', 'mine'] as const,
  /** Prefix of a location's lists (undecided only, and with the decided ones). */
  locationAll: (locationId: string) => ['shiftRequests', 'location', locationId] as const,
  location: (locationId: string, decided: boolean) =>
    ['shiftRequests', 'location', locationId, decided ? 'withDecided' : 'undecided'] as const,
  counts: ['shiftRequests', 'counts'] as const,
  settings: (locationId: string) => ['shiftRequests', 'settings', locationId] as const,
};

export const requestCountEndpoints = {
  /** Per location the caller may see requests of (requests.view); 403 for crew. */
  counts: (signal?: AbortSignal) => api.get<InboxCount[]>('/api/requests/counts', { signal }),
};

export function useRequestCounts(enabled = true) {
  return useQuery({
    queryKey: shiftRequestKeys.counts,
    queryFn: ({ signal }) => requestCountEndpoints.counts(signal),
    enabled,
  });
}

/** What waits at one location (time off and shift requests), or null while unknown or not allowed. */
export function useInboxCount(locationId: string, enabled = true): InboxCount | null {
  const counts = useRequestCounts(enabled && locationId !== '');
  if (!enabled || !counts.data) return null;
  return counts.data.find((c) => c.locationId === locationId) ?? { locationId, timeOff: 0, shiftRequests: 0, total: 0 };
}
