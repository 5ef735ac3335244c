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
import type { UploadProgress } from './upload';
import type {
  ChangePasswordRequest,
  CreateLocationRequest,
  CreateUserRequest,
  DocumentInfo,
  DocumentKind,
  LoginRequest,
  Me,
  PasswordResetConfirmRequest,
  PasswordResetRequest,
  PersonProfile,
  RegisterRequest,
  ReviewRequest,
  Role,
  SensitiveProfile,
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
  profile: (personId: string) => ['profile', personId] as const,
  documents: (personId: string) => ['documents', personId] as const,
  /** Prefix of both document queues, to refresh them together after any document change. */
  documentQueues: ['documentQueues'] as const,
  reviewQueue: ['documentQueues', 'review'] as const,
  expiringDocuments: (days: number) => ['documentQueues', 'expiring', days] as const,
};

/** How far ahead the staff home looks for expiring documents. */
export const EXPIRING_WITHIN_DAYS = 30;

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

export function useProfile(personId: string) {
  return useQuery({
    queryKey: queryKeys.profile(personId),
    queryFn: ({ signal }) => endpoints.profile(personId, signal),
    enabled: personId !== '',
  });
}

export function useDocuments(personId: string, enabled = true) {
  return useQuery({
    queryKey: queryKeys.documents(personId),
    queryFn: ({ signal }) => endpoints.documents(personId, signal),
    enabled: enabled && personId !== '',
  });
}

export function useReviewQueue(enabled = true) {
  return useQuery({
    queryKey: queryKeys.reviewQueue,
    queryFn: ({ signal }) => endpoints.reviewQueue(signal),
    enabled,
  });
}

export function useExpiringDocuments(days: number = EXPIRING_WITHIN_DAYS, enabled = true) {
  return useQuery({
    queryKey: queryKeys.expiringDocuments(days),
    queryFn: ({ signal }) => endpoints.expiringDocuments({ days }, signal),
    enabled,
  });
}

// ---- mutations ----------------------------------------------------------------------------------------------

/**
 * Login, registration and logout: nothing cached for the previous user may survive. The `me` query itself
 * is overwritten rather than removed, so the components watching it see the change at once.
 */
export function switchUser(client: QueryClient, user: Me | null): void {
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

/** Also the key of "delete my account": both end the session, and the login page shown meanwhile stays. */
export const LOGOUT_KEY = ['logout'] as const;

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

export function useUpdateProfile() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ personId, body }: { personId: string; body: SensitiveProfile }) =>
      endpoints.updateProfile(personId, body),
    onSuccess: (profile) => client.setQueryData<PersonProfile>(queryKeys.profile(profile.id), profile),
  });
}

/** After any change to someone's documents: their list and both queues may differ. */
async function refreshDocuments(client: QueryClient, ownerId: string): Promise<void> {
  await Promise.all([
    client.invalidateQueries({ queryKey: queryKeys.documents(ownerId) }),
    client.invalidateQueries({ queryKey: queryKeys.documentQueues }),
    // Board cards and application details count documents and their review state.
    client.invalidateQueries({ queryKey: ['board'] }),
    client.invalidateQueries({ queryKey: ['application'] }),
  ]);
}

export interface UploadDocumentVariables {
  personId: string;
  kind: DocumentKind;
  /** `YYYY-MM-DD`, or empty for none. */
  expiresOn: string;
  file: File;
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
}

export function useUploadDocument() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ personId, kind, expiresOn, file, onProgress, signal }: UploadDocumentVariables) =>
      endpoints.uploadDocument(personId, { kind, ...(expiresOn ? { expiresOn } : {}) }, file, {
        ...(onProgress ? { onProgress } : {}),
        signal,
      }),
    onSuccess: (document) => refreshDocuments(client, document.ownerId),
  });
}

export function useDeleteDocument() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (document: DocumentInfo) => endpoints.deleteDocument(document.id),
    onSuccess: (_data, document) => refreshDocuments(client, document.ownerId),
  });
}

export function useReviewDocument() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ document, body }: { document: DocumentInfo; body: ReviewRequest }) =>
      endpoints.reviewDocument(document.id, body),
    onSuccess: async (reviewed) => {
      // Show the new state at once; the refetch that follows confirms it.
      client.setQueryData<DocumentInfo[]>(queryKeys.documents(reviewed.ownerId), (list) =>
        list?.map((d) => (d.id === reviewed.id ? reviewed : d)),
      );
      await refreshDocuments(client, reviewed.ownerId);
    },
  });
}
