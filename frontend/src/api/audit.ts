// The audit log viewer (issue 14 § C; `audit.view`): newest first, a cursor per page, the same filters for the
// CSV export (`exportUrls.audit`).
import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from './client';
import { AUDIT_PAGE_SIZE, type AuditFilter, type AuditPage } from './auditTypes';

/** The query of a filter, leaving out what is empty (`buildUrl` drops empty values too). */
export function auditQuery(filter: AuditFilter): Record<string, string> {
  const query: Record<string, string> = {};
  for (const key of ['actor', 'action', 'subject', 'location', 'from', 'to'] as const) {
    const value = filter[key].trim();
    if (value) query[key] = value;
  }
  return query;
}

export const auditEndpoints = {
  page: (filter: AuditFilter, cursor: string | null, signal?: AbortSignal) =>
    api.get<AuditPage>('/api/audit', {
      query: { ...auditQuery(filter), limit: AUDIT_PAGE_SIZE, cursor },
      signal,
    }),
};

export const auditKeys = {
  all: ['audit'] as const,
  list: (filter: AuditFilter) => ['audit', filter] as const,
};

export function useAuditLog(filter: AuditFilter) {
  return useInfiniteQuery({
    queryKey: auditKeys.list(filter),
    queryFn: ({ pageParam, signal }) => auditEndpoints.page(filter, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? null,
  });
}
