// The crew's read-only view of the scheduling API (openapi.json, operation `published_schedule`): the published
// copy of a location's week, with the caller's own shifts marked. One function per endpoint and its TanStack
// Query hook, on the app's one client (CSRF header, ApiError).
import { useQuery } from '@tanstack/react-query';
import { api, isApiError } from './client';
import type { PublishedSchedule } from './schedulingTypes';

const seg = encodeURIComponent;

export const publishedScheduleEndpoints = {
  /** 404 `week_not_found` while the week is not published. */
  week: (locationId: string, isoWeek: string, signal?: AbortSignal) =>
    api.get<PublishedSchedule>(`/api/locations/${seg(locationId)}/schedule/${seg(isoWeek)}`, { signal }),
};

export const publishedScheduleKeys = {
  /** Prefix of everything cached here, e.g. to refresh after publishing a week. */
  all: ['publishedSchedule'] as const,
  week: (locationId: string, isoWeek: string) => ['publishedSchedule', locationId, isoWeek] as const,
};

export function usePublishedSchedule(locationId: string, isoWeek: string) {
  return useQuery({
    queryKey: publishedScheduleKeys.week(locationId, isoWeek),
    queryFn: ({ signal }) => publishedScheduleEndpoints.week(locationId, isoWeek, signal),
    enabled: locationId !== '' && isoWeek !== '',
  });
}

/** The answer for a week nobody published (yet): not an error to the crew, an empty week. */
export function isNotPublished(error: unknown): boolean {
  return isApiError(error) && error.status === 404 && error.code === 'week_not_found';
}
