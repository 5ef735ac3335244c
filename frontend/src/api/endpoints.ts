// One function per endpoint of the contract, typed with the generated OpenAPI types.
import { api, ApiError } from './client';
import type {
  AuthResponse,
  ChangePasswordRequest,
  CreateLocationRequest,
  CreateUserRequest,
  ListOutboxQuery,
  ListUsersQuery,
  Location,
  LoginRequest,
  Me,
  OutboxPage,
  PasswordResetConfirmRequest,
  PasswordResetRequest,
  PublicLocation,
  RegisterRequest,
  UpdateUserRequest,
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
};
