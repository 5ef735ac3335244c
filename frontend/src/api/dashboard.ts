// The compiled dashboard (issue 14 § A): one request for the chosen location, or every location the caller may
// see when none is chosen. On the app's one client (cookies, ApiError).
import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { DashboardView } from './dashboardTypes';

export const dashboardEndpoints = {
  /** `locationId` null: every location the caller may see. 404 `not_found` for a location out of sight. */
  view: (locationId: string | null, signal?: AbortSignal) =>
    api.get<DashboardView>('/api/dashboard', { query: { location: locationId }, signal }),
};

export const dashboardKeys = {
  all: ['dashboard'] as const,
  view: (locationId: string | null) => ['dashboard', locationId ?? 'all'] as const,
};

export function useDashboard(locationId: string | null, enabled = true) {
  return useQuery({
    queryKey: dashboardKeys.view(locationId),
    queryFn: ({ signal }) => dashboardEndpoints.view(locationId, signal),
    enabled,
    // Figures of a whole venue move slowly; the page refreshes them when it is looked at again.
    staleTime: 60_000,
  });
}
