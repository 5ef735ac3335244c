// Cash counts: endpoints and their queries. The count form sends one client key per form, so a double tap or a
// retried request is recognised by the server as the same submission.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, buildUrl } from './client';
import type {
  CashCount,
  CashCountPage,
  CashCountState,
  CashCountType,
  CashExpected,
  CashReceipt,
  CashSettings,
  CashSummary,
  NewCashCount,
} from './cashTypes';
import { uploadFile, type UploadProgress } from './upload';

const seg = encodeURIComponent;

export const cashEndpoints = {
  settings: (locationId: string, signal?: AbortSignal) =>
    api.get<CashSettings>(`/api/locations/${seg(locationId)}/cash-settings`, { signal }),
  putSettings: (locationId: string, tolerance: string) =>
    api.put<CashSettings>(`/api/locations/${seg(locationId)}/cash-settings`, { tolerance }),
  expected: (
    locationId: string,
    query: { type: CashCountType; businessDate: string; cashTakings?: string },
    signal?: AbortSignal,
  ) => api.get<CashExpected>(`/api/locations/${seg(locationId)}/cash-counts/expected`, { query, signal }),
  /** 201 for a new count, 200 when the same submission (same client key) came before. */
  submit: (locationId: string, body: NewCashCount) =>
    api.post<CashCount>(`/api/locations/${seg(locationId)}/cash-counts`, body),
  list: (locationId: string, query: { state?: CashCountState; limit?: number; cursor?: string }, signal?: AbortSignal) =>
    api.get<CashCountPage>(`/api/locations/${seg(locationId)}/cash-counts`, { query, signal }),
  approve: (id: string, note?: string) => api.post<CashCount>(`/api/cash-counts/${seg(id)}/approve`, { note }),
  dispute: (id: string, reason: string) => api.post<CashCount>(`/api/cash-counts/${seg(id)}/dispute`, { reason }),
  summary: (locationId: string, week: string, signal?: AbortSignal) =>
    api.get<CashSummary>(`/api/locations/${seg(locationId)}/cash-summary`, { query: { week }, signal }),
  uploadReceipt: (countId: string, file: Blob, onProgress?: (p: UploadProgress) => void) =>
    uploadFile<CashReceipt>(`/api/cash-counts/${seg(countId)}/receipt`, file, { onProgress }),
  receiptUrl: (countId: string) => buildUrl(`/api/cash-counts/${seg(countId)}/receipt`),
  exportUrl: (q: { location: string; from: string; to: string; delimiter: 'comma' | 'semicolon' }) =>
    buildUrl('/api/exports/cash', q),
};

export const cashKeys = {
  all: ['cash'] as const,
  settings: (locationId: string) => ['cash', 'settings', locationId] as const,
  expected: (locationId: string, type: string, date: string, takings: string) =>
    ['cash', 'expected', locationId, type, date, takings] as const,
  list: (locationId: string, state: string) => ['cash', 'list', locationId, state] as const,
  summary: (locationId: string, week: string) => ['cash', 'summary', locationId, week] as const,
};

export function useCashSettings(locationId: string) {
  return useQuery({
    queryKey: cashKeys.settings(locationId),
    queryFn: ({ signal }) => cashEndpoints.settings(locationId, signal),
    enabled: locationId !== '',
  });
}

export function useCashExpected(locationId: string, type: CashCountType, businessDate: string, cashTakings: string) {
  return useQuery({
    queryKey: cashKeys.expected(locationId, type, businessDate, cashTakings),
    queryFn: ({ signal }) =>
      cashEndpoints.expected(locationId, { type, businessDate, cashTakings: cashTakings || undefined }, signal),
    enabled: locationId !== '' && businessDate !== '',
    retry: false,
  });
}

export function useCashCounts(locationId: string, state: CashCountState | '') {
  return useQuery({
    queryKey: cashKeys.list(locationId, state),
    queryFn: ({ signal }) => cashEndpoints.list(locationId, { state: state || undefined, limit: 100 }, signal),
    enabled: locationId !== '',
  });
}

export function useCashSummary(locationId: string, week: string) {
  return useQuery({
    queryKey: cashKeys.summary(locationId, week),
    queryFn: ({ signal }) => cashEndpoints.summary(locationId, week, signal),
    enabled: locationId !== '' && week !== '',
  });
}

function useInvalidateCash() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: cashKeys.all });
}

export function useSubmitCount() {
  const invalidate = useInvalidateCash();
  return useMutation({
    mutationFn: ({ locationId, body }: { locationId: string; body: NewCashCount }) => cashEndpoints.submit(locationId, body),
    onSuccess: () => void invalidate(),
  });
}

export function useDecideCount() {
  const invalidate = useInvalidateCash();
  return useMutation({
    mutationFn: (d: { id: string; decision: 'approve'; note?: string } | { id: string; decision: 'dispute'; reason: string }) =>
      d.decision === 'approve' ? cashEndpoints.approve(d.id, d.note) : cashEndpoints.dispute(d.id, d.reason),
    onSettled: () => void invalidate(),
  });
}

export function useSetTolerance() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ locationId, tolerance }: { locationId: string; tolerance: string }) =>
      cashEndpoints.putSettings(locationId, tolerance),
    onSuccess: (settings) => client.setQueryData(cashKeys.settings(settings.locationId), settings),
  });
}
