// One function per endpoint of the contract, typed with the generated OpenAPI types.
import { api, ApiError } from './client';
import { uploadFile, type UploadProgress } from './upload';
import type {
  AuthResponse,
  ChangePasswordRequest,
  CreateLocationRequest,
  CreateUserRequest,
  DocumentInfo,
  ExpiringDocumentsQuery,
  ListOutboxQuery,
  ListUsersQuery,
  Location,
  LoginRequest,
  Me,
  OutboxPage,
  PasswordResetConfirmRequest,
  PasswordResetRequest,
  PersonProfile,
  PublicLocation,
  QueuedDocument,
  RegisterRequest,
  ReviewRequest,
  SensitiveProfile,
  UpdateUserRequest,
  UploadDocumentQuery,
  UserPage,
  UserSummary,
} from './types';

const seg = encodeURIComponent;

export const endpoints = {
  register: (body: RegisterRequest) => api.post<AuthResponse>('/api/auth/register', body),
  login: (body: LoginRequest) => api.post<AuthResponse>('/api/auth/login', body),
  logout: () => api.post<void>('/api/auth/logout'),
  /** The current user, or null when nobody is logged in (401 is an answer here, not an error). */
  me: async (signal?: AbortSignal): Promise<Me | null> => {
    try {
      return await api.get<Me>('/api/auth/me', { signal });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  },
  changePassword: (body: ChangePasswordRequest) => api.post<void>('/api/auth/password', body),
  requestPasswordReset: (body: PasswordResetRequest) => api.post<void>('/api/auth/password-reset', body),
  confirmPasswordReset: (body: PasswordResetConfirmRequest) =>
    api.post<void>('/api/auth/password-reset/confirm', body),
  publicLocation: (code: string, signal?: AbortSignal) =>
    api.get<PublicLocation>(`/api/public/locations/${seg(code)}`, { signal }),
  locations: (signal?: AbortSignal) => api.get<Location[]>('/api/locations', { signal }),
  createLocation: (body: CreateLocationRequest) => api.post<Location>('/api/locations', body),
  users: (query: ListUsersQuery, signal?: AbortSignal) =>
    api.get<UserPage>('/api/admin/users', { query, signal }),
  createUser: (body: CreateUserRequest) => api.post<UserSummary>('/api/admin/users', body),
  updateUser: (id: string, body: UpdateUserRequest) =>
    api.patch<UserSummary>(`/api/admin/users/${seg(id)}`, body),
  revokeSessions: (id: string) => api.post<void>(`/api/admin/users/${seg(id)}/revoke-sessions`),
  outbox: (query: ListOutboxQuery, signal?: AbortSignal) =>
    api.get<OutboxPage>('/api/admin/outbox', { query, signal }),
  profile: (personId: string, signal?: AbortSignal) =>
    api.get<PersonProfile>(`/api/people/${seg(personId)}/profile`, { signal }),
  updateProfile: (personId: string, body: SensitiveProfile) =>
    api.put<PersonProfile>(`/api/people/${seg(personId)}/profile`, body),
  documents: (personId: string, signal?: AbortSignal) =>
    api.get<DocumentInfo[]>(`/api/people/${seg(personId)}/documents`, { signal }),
  /** Multipart upload through XMLHttpRequest, for progress events. */
  uploadDocument: (
    personId: string,
    query: UploadDocumentQuery,
    file: Blob,
    options: { onProgress?: (progress: UploadProgress) => void; signal?: AbortSignal | undefined } = {},
  ) => uploadFile<DocumentInfo>(`/api/people/${seg(personId)}/documents`, file, { query, ...options }),
  /** A plain link target: the server answers with the file as an attachment (the session cookie is sent). */
  documentContentUrl: (documentId: string) => `/api/documents/${seg(documentId)}/content`,
  deleteDocument: (documentId: string) => api.delete<void>(`/api/documents/${seg(documentId)}`),
  reviewDocument: (documentId: string, body: ReviewRequest) =>
    api.post<DocumentInfo>(`/api/documents/${seg(documentId)}/review`, body),
  reviewQueue: (signal?: AbortSignal) => api.get<QueuedDocument[]>('/api/documents/review-queue', { signal }),
  expiringDocuments: (query: ExpiringDocumentsQuery, signal?: AbortSignal) =>
    api.get<QueuedDocument[]>('/api/documents/expiring', { query, signal }),
};
