// Public settings (issue 14 § F): anonymous, cacheable for five minutes, read by registration, document uploads
// and the applicant portal.
import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { PublicSettings } from './settingsTypes';

export const settingsEndpoints = {
  publicSettings: (signal?: AbortSignal) => api.get<PublicSettings>('/api/settings/public', { signal }),
};

export const settingsKeys = {
  public: ['settings', 'public'] as const,
};

/** The server caches the answer for 5 minutes; so does the app. */
export const PUBLIC_SETTINGS_STALE_MS = 5 * 60_000;

export function usePublicSettings() {
  return useQuery({
    queryKey: settingsKeys.public,
    queryFn: ({ signal }) => settingsEndpoints.publicSettings(signal),
    staleTime: PUBLIC_SETTINGS_STALE_MS,
  });
}
