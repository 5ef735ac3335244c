// My notifications (openapi.json, tag "notifications"): the in-app list with the unread count, marking read, and
// which kinds also come by e-mail. Small on purpose: the navigation's bell loads it on every page.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api } from './client';
import {
  NOTIFICATIONS_PAGE,
  UNREAD_POLL_MS,
  type EmailSetting,
  type MarkedRead,
  type NotificationPage,
} from './shiftRequestTypes';

export const notificationEndpoints = {
  /** Newest first; `nextCursor` while there are more. */
  list: (limit: number, cursor: string | null, signal?: AbortSignal) =>
    api.get<NotificationPage>('/api/me/notifications', { query: { limit, cursor }, signal }),
  /** Some (`ids`, at most 200) or, without ids, all of my notifications. */
  markRead: (ids: string[] | null) =>
    api.post<MarkedRead>('/api/me/notifications/read', ids ? { ids } : {}),
  settings: (signal?: AbortSignal) => api.get<EmailSetting[]>('/api/me/notification-settings', { signal }),
  /** Answers with every kind's setting. */
  saveSetting: (body: EmailSetting) => api.put<EmailSetting[]>('/api/me/notification-settings', body),
};

// Not under `['me']`: that is the session's own key, which `switchUser` keeps when the user changes.
export const notificationKeys = {
  /** Prefix of everything cached here. */
  all: ['notifications'] as const,
  list: ['notifications', 'list'] as const,
  /** The bell's poll: the newest one only, for the unread count. */
  unread: ['notifications', 'unread'] as const,
  settings: ['notifications', 'settings'] as const,
};

export function useNotifications() {
  const client = useQueryClient();
  const query = useInfiniteQuery({
    queryKey: notificationKeys.list,
    queryFn: ({ pageParam, signal }) => notificationEndpoints.list(NOTIFICATIONS_PAGE, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.nextCursor ?? null,
  });
  // The list knows the unread count too: the bell follows it rather than wait for its next poll.
  const unread = query.data?.pages[0]?.unread;
  useEffect(() => {
    if (unread === undefined) return;
    client.setQueryData<NotificationPage>(notificationKeys.unread, (page) => (page ? { ...page, unread } : page));
  }, [client, unread]);
  return query;
}

/** The number of unread notifications, asked for every minute while the page is open (null while unknown). */
export function useUnreadCount(enabled = true): number | null {
  const query = useQuery({
    queryKey: notificationKeys.unread,
    queryFn: ({ signal }) => notificationEndpoints.list(1, null, signal),
    enabled,
    refetchInterval: UNREAD_POLL_MS,
    select: (page) => page.unread,
  });
  return enabled ? (query.data ?? null) : null;
}

export function useMarkRead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (ids: string[] | null) => notificationEndpoints.markRead(ids),
    onSuccess: (result) => {
      // The bell follows at once.
      client.setQueryData<NotificationPage>(notificationKeys.unread, (page) =>
        page ? { ...page, unread: result.unread } : page,
      );
      void client.invalidateQueries({ queryKey: notificationKeys.all });
    },
  });
}

export function useNotificationSettings() {
  return useQuery({
    queryKey: notificationKeys.settings,
    queryFn: ({ signal }) => notificationEndpoints.settings(signal),
  });
}

export function useSaveNotificationSetting() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: EmailSetting) => notificationEndpoints.saveSetting(body),
    onSuccess: (list) => client.setQueryData<EmailSetting[]>(notificationKeys.settings, list),
  });
}
