// The crew's self-service API (openapi.json, tag "self-service"): my published shifts at every location, the
// personal calendar feed, my availability and my time-off requests. One function per endpoint and the TanStack
// Query hooks around them, on the app's one client (CSRF header, ApiError).
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import type {
  Availability,
  AvailabilityPattern,
  CalendarFeed,
  CalendarFeedCreated,
  MyShifts,
  MyShiftsQuery,
  TimeOff,
  TimeOffRequestBody,
} from './selfServiceTypes';

const seg = encodeURIComponent;

export const selfServiceEndpoints = {
  shifts: (query: MyShiftsQuery, signal?: AbortSignal) => api.get<MyShifts>('/api/me/shifts', { query, signal }),

  feed: (signal?: AbortSignal) => api.get<CalendarFeed>('/api/me/calendar-feed', { signal }),
  /** A new address; the previous one stops working. The address is in this answer only. */
  createFeed: () => api.post<CalendarFeedCreated>('/api/me/calendar-feed'),
  removeFeed: () => api.delete<void>('/api/me/calendar-feed'),

  availability: (signal?: AbortSignal) => api.get<Availability>('/api/me/availability', { signal }),
  /** Replaces the patterns that start on or after `effectiveFrom`. */
  setPattern: (body: AvailabilityPattern) => api.put<Availability>('/api/me/availability', body),
  addUnavailableDay: (date: string) => api.put<Availability>(`/api/me/unavailable-days/${seg(date)}`),
  removeUnavailableDay: (date: string) => api.delete<Availability>(`/api/me/unavailable-days/${seg(date)}`),

  timeOff: (signal?: AbortSignal) => api.get<TimeOff[]>('/api/me/time-off', { signal }),
  requestTimeOff: (body: TimeOffRequestBody) => api.post<TimeOff>('/api/me/time-off', body),
  /** 409 `request_decided` (with `fields.status`) once it was approved or denied. */
  cancelTimeOff: (id: string) => api.post<TimeOff>(`/api/me/time-off/${seg(id)}/cancel`),
};

// Not under `['me']`: that is the session's own key, which `switchUser` keeps when the user changes.
export const selfServiceKeys = {
  /** Prefix of everything cached here. */
  all: ['selfService'] as const,
  shifts: (pastDays: number) => ['selfService', 'shifts', pastDays] as const,
  feed: ['selfService', 'calendarFeed'] as const,
  availability: ['selfService', 'availability'] as const,
  timeOff: ['selfService', 'timeOff'] as const,
};

// ---- queries ------------------------------------------------------------------------------------------------

export function useMyShifts(pastDays: number) {
  return useQuery({
    queryKey: selfServiceKeys.shifts(pastDays),
    queryFn: ({ signal }) => selfServiceEndpoints.shifts({ pastDays }, signal),
    // Asking for more of the past keeps the list on screen meanwhile.
    placeholderData: keepPreviousData,
  });
}

export function useCalendarFeed() {
  return useQuery({ queryKey: selfServiceKeys.feed, queryFn: ({ signal }) => selfServiceEndpoints.feed(signal) });
}

export function useAvailability() {
  return useQuery({
    queryKey: selfServiceKeys.availability,
    queryFn: ({ signal }) => selfServiceEndpoints.availability(signal),
  });
}

export function useMyTimeOff() {
  return useQuery({ queryKey: selfServiceKeys.timeOff, queryFn: ({ signal }) => selfServiceEndpoints.timeOff(signal) });
}

// ---- mutations ----------------------------------------------------------------------------------------------

export function useCreateFeed() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => selfServiceEndpoints.createFeed(),
    // The secret address stays with the caller (component state), never in the query cache.
    onSuccess: (created) => {
      client.setQueryData<CalendarFeed>(selfServiceKeys.feed, { active: true, createdAt: created.createdAt, lastUsedAt: null });
      return client.invalidateQueries({ queryKey: selfServiceKeys.feed });
    },
  });
}

export function useRemoveFeed() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => selfServiceEndpoints.removeFeed(),
    onSuccess: () => {
      client.setQueryData<CalendarFeed>(selfServiceKeys.feed, { active: false, createdAt: null, lastUsedAt: null });
      return client.invalidateQueries({ queryKey: selfServiceKeys.feed });
    },
  });
}

/** Every availability change answers with the whole availability: it replaces the cached one. */
function useAvailabilityMutation<V>(mutationFn: (variables: V) => Promise<Availability>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: (availability) => client.setQueryData<Availability>(selfServiceKeys.availability, availability),
  });
}

export function useSetPattern() {
  return useAvailabilityMutation((body: AvailabilityPattern) => selfServiceEndpoints.setPattern(body));
}

export function useAddUnavailableDay() {
  return useAvailabilityMutation((date: string) => selfServiceEndpoints.addUnavailableDay(date));
}

export function useRemoveUnavailableDay() {
  return useAvailabilityMutation((date: string) => selfServiceEndpoints.removeUnavailableDay(date));
}

export function useRequestTimeOff() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: TimeOffRequestBody) => selfServiceEndpoints.requestTimeOff(body),
    onSuccess: () => client.invalidateQueries({ queryKey: selfServiceKeys.timeOff }),
  });
}

export function useCancelTimeOff() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => selfServiceEndpoints.cancelTimeOff(id),
    // Also after a 409: the request was decided meanwhile, the list shows how.
    onSettled: () => client.invalidateQueries({ queryKey: selfServiceKeys.timeOff }),
  });
}
