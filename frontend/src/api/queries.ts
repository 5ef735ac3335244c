// TanStack Query hooks: one query per readable resource, one mutation per state-changing endpoint.
import {
  MutationCache,
  QueryCache,
  QueryClient,
  useInfiniteQuery,
  useIsMutating,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { isApiError } from './client';
import { endpoints } from './endpoints';
import type {
  ChangePasswordRequest,
  CreateLocationRequest,
  CreateUserRequest,
  LoginRequest,
  Me,
  PasswordResetConfirmRequest,
  PasswordResetRequest,
  RegisterRequest,
  Role,
  UpdateUserRequest,
} from './types';

export const PAGE_SIZE = 50;

export const queryKeys = {
  me: ['me'] as const,
  publicLocation: (code: string) => ['publicLocation', code] as const,
  locations: ['locations'] as const,
  usersAll: ['users'] as const,
  users: (filter: UserFilter) => ['users', filter] as const,
  outbox: ['outbox'] as const,
};

export interface UserFilter {
  q: string;
  role: Role | '';
}

/** A session that ended on the server (expiry, revocation) makes every later call 401 `unauthorized`. */
function onUnauthorized(client: QueryClient, error: unknown): void {
  if (isApiError(error) && error.status === 401 && error.code === 'unauthorized') {
    if (client.getQueryData(queryKeys.me)) client.setQueryData<Me | null>(queryKeys.me, null);
  }
}

export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (error) => onUnauthorized(client, error) }),
    mutationCache: new MutationCache({ onError: (error) => onUnauthorized(client, error) }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: true,
        retry: (failureCount, error) => {
          // Answers of the server are final; only retry when it could not be reached or was busy.
          if (isApiError(error) && error.status !== 0 && error.status < 500) return false;
          return failureCount < 2;
        },
      },
      mutations: { retry: false },
    },
  });
  return client;
}

// ---- queries ------------------------------------------------------------------------------------------------

export function useMe() {
  return useQuery({
    queryKey: queryKeys.me,
    queryFn: ({ signal }) => endpoints.me(signal),
    staleTime: 60_000,
  });
}

export function usePublicLocation(code: string | null) {
  return useQuery({
    queryKey: queryKeys.publicLocation(code ?? ''),
    queryFn: ({ signal }) => endpoints.publicLocation(code ?? '', signal),
    enabled: !!code,
    staleTime: 5 * 60_000,
  });
}

export function useLocations(enabled = true) {
  return useQuery({
    queryKey: queryKeys.locations,
    queryFn: ({ signal }) => endpoints.locations(signal),
    enabled,
  });
}

export function useUsers(filter: UserFilter) {
  return useInfiniteQuery({
    queryKey: queryKeys.users(filter),
    queryFn: ({ pageParam, signal }) =>
      endpoints.users(
        {
          limit: PAGE_SIZE,
          ...(pageParam ? { cursor: pageParam } : {}),
          ...(filter.q ? { q: filter.q } : {}),
          ...(filter.role ? { role: filter.role } : {}),
        },
        signal,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.nextCursor ?? null,
  });
}

export function useOutbox() {
  return useInfiniteQuery({
    queryKey: queryKeys.outbox,
    queryFn: ({ pageParam, signal }) =>
      endpoints.outbox({ limit: PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.nextCursor ?? null,
  });
}

// ---- mutations ----------------------------------------------------------------------------------------------

/**
 * Login, registration and logout: nothing cached for the previous user may survive. The `me` query itself
 * is overwritten rather than removed, so the components watching it see the change at once.
 */
function switchUser(client: QueryClient, user: Me | null): void {
  void client.cancelQueries();
  client.removeQueries({ predicate: (query) => query.queryKey[0] !== queryKeys.me[0] });
  client.setQueryData<Me | null>(queryKeys.me, user);
}

function useStartSession() {
  const client = useQueryClient();
  return (user: Me) => switchUser(client, user);
}

export function useLogin() {
  const startSession = useStartSession();
  return useMutation({
    mutationFn: (body: LoginRequest) => endpoints.login(body),
    onSuccess: (data) => startSession(data.user),
  });
}

export function useRegister() {
  const startSession = useStartSession();
  return useMutation({
    mutationFn: (body: RegisterRequest) => endpoints.register(body),
    onSuccess: (data) => startSession(data.user),
  });
}

const LOGOUT_KEY = ['logout'] as const;

export function useLogout() {
  const client = useQueryClient();
  return useMutation({
    mutationKey: LOGOUT_KEY,
    mutationFn: () => endpoints.logout(),
    // Even when the call fails (session already gone, server down) the UI forgets the user.
    onSettled: () => switchUser(client, null),
  });
}

/** True while a logout is on its way: the login page is shown already and must not send the user back. */
export function useIsLoggingOut(): boolean {
  return useIsMutating({ mutationKey: LOGOUT_KEY }) > 0;
}

export function useChangePassword() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: ChangePasswordRequest) => endpoints.changePassword(body),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.me }),
  });
}

export function useRequestPasswordReset() {
  return useMutation({ mutationFn: (body: PasswordResetRequest) => endpoints.requestPasswordReset(body) });
}

export function useConfirmPasswordReset() {
  return useMutation({
    mutationFn: (body: PasswordResetConfirmRequest) => endpoints.confirmPasswordReset(body),
  });
}

export function useCreateLocation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateLocationRequest) => endpoints.createLocation(body),
    onSuccess: async () => {
      await Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.locations }),
        // An administrator's own location list (in Me) may include the new one.
        client.invalidateQueries({ queryKey: queryKeys.me }),
      ]);
    },
  });
}

export function useCreateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateUserRequest) => endpoints.createUser(body),
    onSuccess: async () => {
      await Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.usersAll }),
        client.invalidateQueries({ queryKey: queryKeys.outbox }),
      ]);
    },
  });
}

export function useUpdateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateUserRequest }) => endpoints.updateUser(id, body),
    onSuccess: async (user) => {
      const me = client.getQueryData<Me | null>(queryKeys.me);
      await Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.usersAll }),
        me && me.id === user.id ? client.invalidateQueries({ queryKey: queryKeys.me }) : Promise.resolve(),
      ]);
    },
  });
}

export function useRevokeSessions() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => endpoints.revokeSessions(id),
    onSuccess: async (_data, id) => {
      const me = client.getQueryData<Me | null>(queryKeys.me);
      // Revoking one's own sessions ends this one too.
      if (me && me.id === id) await client.invalidateQueries({ queryKey: queryKeys.me });
    },
  });
}
