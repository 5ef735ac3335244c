// "Suggest fill" of the scheduling API: a proposal for the empty slots of a draft week (and the same ISO week of
// other venues), applying the chosen part through the normal assignment path, and a location's auto-fill
// settings. One function per endpoint and the TanStack Query hooks around them, on the app's one client.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ApplySuggestionsRequest,
  ApplySuggestionsResult,
  AutofillSettings,
  SuggestFillRequest,
  FillProposal,
} from './autofillTypes';
import { api, isApiError, request } from './client';
import { refreshSchedule } from './schedule';

const seg = encodeURIComponent;

export const autofillEndpoints = {
  /** 409 `week_published`; 422 `fields.timeBudgetMs` / `fields.locationIds`. The signal lets the caller stop
   * waiting (the server finishes its search regardless; nothing is saved by it). */
  suggest: (weekId: string, body: SuggestFillRequest, signal?: AbortSignal) =>
    request<FillProposal>('POST', `/api/weeks/${seg(weekId)}/suggest-fill`, { body, signal }),
  /** One transaction; what the rules refuse now comes back in `conflicts`. 409 `suggestions_stale` when nothing
   * could be applied. */
  apply: (weekId: string, body: ApplySuggestionsRequest) =>
    api.post<ApplySuggestionsResult>(`/api/weeks/${seg(weekId)}/suggestions/apply`, body),
  settings: (locationId: string, signal?: AbortSignal) =>
    api.get<AutofillSettings>(`/api/locations/${seg(locationId)}/autofill-settings`, { signal }),
  /** Managers (schedule.manage); 422 with `fields` such as `weights.preferred`. */
  saveSettings: (locationId: string, body: AutofillSettings) =>
    api.put<AutofillSettings>(`/api/locations/${seg(locationId)}/autofill-settings`, body),
};

export const autofillKeys = {
  all: ['autofill'] as const,
  settings: (locationId: string) => ['autofill', 'settings', locationId] as const,
};

export function useAutofillSettings(locationId: string, enabled = true) {
  return useQuery({
    queryKey: autofillKeys.settings(locationId),
    queryFn: ({ signal }) => autofillEndpoints.settings(locationId, signal),
    enabled: enabled && locationId !== '',
  });
}

export function useSaveAutofillSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ locationId, settings }: { locationId: string; settings: AutofillSettings }) =>
      autofillEndpoints.saveSettings(locationId, settings),
    onSuccess: (saved, { locationId }) => client.setQueryData(autofillKeys.settings(locationId), saved),
  });
}

/** Asking changes nothing; a week published in the meantime means the screen is behind, so it reloads. */
export function useSuggestFill() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ weekId, body, signal }: { weekId: string; body: SuggestFillRequest; signal?: AbortSignal }) =>
      autofillEndpoints.suggest(weekId, body, signal),
    onError: (error) => (isApiError(error) && error.status === 409 ? refreshSchedule(client) : undefined),
  });
}

/** Applying changes the weeks (and hours, rest and coverage elsewhere): every schedule query reloads, and so it
 * does after a conflict (someone else's change made the proposal stale). */
export function useApplySuggestions() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ weekId, body }: { weekId: string; body: ApplySuggestionsRequest }) =>
      autofillEndpoints.apply(weekId, body),
    onSuccess: () => refreshSchedule(client),
    onError: (error) => (isApiError(error) && error.status === 409 ? refreshSchedule(client) : undefined),
  });
}
