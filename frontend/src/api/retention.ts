// Retention status and holds of a person (issue 14 § E; `retention.hold`: administrators, managers of one of the
// person's application locations).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import type { RetentionStatus } from './retentionTypes';

const seg = encodeURIComponent;

export const retentionEndpoints = {
  status: (personId: string, signal?: AbortSignal) =>
    api.get<RetentionStatus>(`/api/people/${seg(personId)}/retention`, { signal }),
  /** 422 `fields.reason` when empty or longer than 300 characters. */
  hold: (personId: string, reason: string) =>
    api.put<RetentionStatus>(`/api/people/${seg(personId)}/retention-hold`, { reason }),
  release: (personId: string) => api.delete<RetentionStatus>(`/api/people/${seg(personId)}/retention-hold`),
};

export const retentionKeys = {
  status: (personId: string) => ['retention', personId] as const,
};

export function useRetention(personId: string, enabled = true) {
  return useQuery({
    queryKey: retentionKeys.status(personId),
    queryFn: ({ signal }) => retentionEndpoints.status(personId, signal),
    enabled: enabled && personId !== '',
  });
}

/** Both answer with the new status, which replaces the cached one. */
export function useSetRetentionHold(personId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (reason: string | null) =>
      reason === null ? retentionEndpoints.release(personId) : retentionEndpoints.hold(personId, reason),
    onSuccess: (status) => client.setQueryData<RetentionStatus>(retentionKeys.status(personId), status),
  });
}
