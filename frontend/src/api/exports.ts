// CSV exports (issue 14 § B) and locked hours periods (§ D). Exports are GETs the session cookie authenticates:
// the page fetches them and hands the file to the browser (so a refusal shows as a message instead of a JSON
// file), reporting the bytes received on the way.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, buildUrl, toApiError } from './client';
import { auditQuery } from './audit';
import type { AuditFilter } from './auditTypes';
import type { ApplicationsExportQuery, CsvDelimiter, HoursExportQuery, HoursLock, HoursLockRequest } from './exportsTypes';

const seg = encodeURIComponent;

/** The addresses of the three exports; empty filters are left out. */
export const exportUrls = {
  hours: (q: HoursExportQuery) =>
    buildUrl('/api/exports/hours', { location: q.location, from: q.from, to: q.to, delimiter: q.delimiter }),
  applications: (q: ApplicationsExportQuery) =>
    buildUrl('/api/exports/applications', {
      location: q.location,
      status: q.status,
      source: q.source,
      from: q.from,
      to: q.to,
      delimiter: q.delimiter,
    }),
  audit: (filter: AuditFilter, delimiter: CsvDelimiter) =>
    buildUrl('/api/exports/audit', { ...auditQuery(filter), delimiter }),
};

/** The file name of `Content-Disposition: attachment; filename="…"`, else `fallback`. */
export function attachmentName(header: string | null, fallback: string): string {
  const match = header ? /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(header) : null;
  return match?.[1] ? decodeURIComponent(match[1]) : fallback;
}

/**
 * Fetches a file of the API and gives it to the browser as a download. `onProgress` hears the bytes received so
 * far (exports are streamed, so there is no total). Rejects with an ApiError like every other call.
 */
export async function downloadFile(
  url: string,
  fallbackName: string,
  onProgress?: (received: number) => void,
): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'text/csv' } });
  } catch {
    throw new ApiError({ status: 0, code: 'network_error', message: 'The server could not be reached.' });
  }
  if (!response.ok) throw await toApiError(response);
  const chunks: BlobPart[] = [];
  const reader = response.body?.getReader();
  if (reader) {
    let received = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.byteLength;
      onProgress?.(received);
    }
  } else {
    chunks.push(await response.blob());
  }
  const name = attachmentName(response.headers.get('Content-Disposition'), fallbackName);
  const blob = new Blob(chunks, { type: response.headers.get('Content-Type') ?? 'text/csv' });
  const href = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = href;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Give the browser a moment to start the download before the address goes.
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
  return name;
}

export const exportEndpoints = {
  /** Newest first. */
  locks: (locationId: string, signal?: AbortSignal) =>
    api.get<HoursLock[]>(`/api/locations/${seg(locationId)}/hours-locks`, { signal }),
  /** 201; 409 `period_overlaps` when it overlaps a lock of the location. */
  lock: (locationId: string, body: HoursLockRequest) =>
    api.post<HoursLock>(`/api/locations/${seg(locationId)}/hours-locks`, body),
};

export const exportKeys = {
  locks: (locationId: string) => ['hoursLocks', locationId] as const,
};

export function useHoursLocks(locationId: string) {
  return useQuery({
    queryKey: exportKeys.locks(locationId),
    queryFn: ({ signal }) => exportEndpoints.locks(locationId, signal),
    enabled: locationId !== '',
  });
}

export function useLockPeriod() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ locationId, period }: { locationId: string; period: HoursLockRequest }) =>
      exportEndpoints.lock(locationId, period),
    onSettled: (_lock, _error, { locationId }) => client.invalidateQueries({ queryKey: exportKeys.locks(locationId) }),
  });
}
