// Test helpers: a fake API behind `fetch` and the whole app rendered in a memory router.
import { QueryClient } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { vi } from 'vitest';
import { AppProviders } from '../App';
import type { AnyPermission } from '../api/hiringTypes';
import type { PublicSettings } from '../api/settingsTypes';
import type { Me, Permission, Role } from '../api/types';
import type { Language } from '../i18n/core';
import { routes } from '../routing/routes';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Headers;
  body: unknown;
  credentials: RequestCredentials | undefined;
}

type Handler = (request: RecordedRequest) => Response | Promise<Response>;

export function jsonResponse(status: number, body?: unknown, headers: Record<string, string> = {}): Response {
  if (body === undefined) return new Response(null, { status, headers });
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

export function errorResponse(
  status: number,
  code: string,
  fields?: Record<string, string>,
  headers: Record<string, string> = {},
): Response {
  return jsonResponse(status, { error: { code, message: `English text for ${code}`, ...(fields ? { fields } : {}) } }, headers);
}

/**
 * Replaces `fetch` with a table of handlers keyed by "METHOD /path" (query string ignored).
 * Unknown routes answer 404 so a test notices a call it did not expect.
 */
export function mockApi(handlers: Record<string, Handler>) {
  const requests: RecordedRequest[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = (init.method ?? 'GET').toUpperCase();
    const rawBody = typeof init.body === 'string' ? init.body : undefined;
    const request: RecordedRequest = {
      method,
      url,
      headers: new Headers(init.headers),
      body: rawBody ? JSON.parse(rawBody) : undefined,
      credentials: init.credentials,
    };
    requests.push(request);
    const path = new URL(url, 'http://localhost').pathname;
    const handler = handlers[`${method} ${path}`];
    return handler ? handler(request) : errorResponse(404, 'not_found');
  });
  vi.stubGlobal('fetch', fetchMock);
  return { requests, fetchMock };
}

export function makeMe(role: Role, overrides: Partial<Me> = {}): Me {
  const permissions: Record<Role, Permission[]> = {
    // As the server's policy table grants them.
    administrator: ['users.manage', 'outbox.view', 'locations.manage', 'documents.review'],
    manager: ['users.manage', 'documents.review'],
    floor_manager: [],
    crew_member: [],
    applicant: [],
  };
  return {
    id: '00000000-0000-4000-8000-000000000001',
    username: `${role.replace('_', '')}1`,
    email: `${role}@example.test`,
    firstName: 'Sam',
    lastName: 'Jansen',
    displayName: 'Sam Jansen',
    role,
    status: 'active',
    locations: [],
    permissions: permissions[role],
    ...overrides,
  };
}

/** What `GET /api/settings/public` answers in tests (deliberately not the old hard-coded values). */
export const PUBLIC_SETTINGS: PublicSettings = {
  privacyNoticeVersion: '2027-01',
  retentionDays: 180,
  maxUploadBytes: 2 * 1024 * 1024,
};

/** A handler for the public settings, to spread into `mockApi`. */
export function publicSettingsApi(overrides: Partial<PublicSettings> = {}) {
  return { 'GET /api/settings/public': () => jsonResponse(200, { ...PUBLIC_SETTINGS, ...overrides }) };
}

/** `me` with extra permissions, including those the generated enum does not list yet. */
export function withPermissions(me: Me, ...extra: AnyPermission[]): Me {
  return { ...me, permissions: [...me.permissions, ...extra] as Me['permissions'] };
}

export function testQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: { queries: { retry: false, staleTime: Infinity }, mutations: { retry: false } },
  });
}

export function renderApp(path: string, options: { language?: Language } = {}) {
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const client = testQueryClient();
  const utils = render(
    <AppProviders client={client} language={options.language ?? 'en'}>
      <RouterProvider router={router} />
    </AppProviders>,
  );
  return { ...utils, router, client };
}

/** One component inside the app's providers and a memory router (for components that link or navigate). */
export function renderUi(ui: ReactElement, options: { language?: Language } = {}) {
  const router = createMemoryRouter([{ path: '*', element: ui }], { initialEntries: ['/'] });
  const client = testQueryClient();
  const utils = render(
    <AppProviders client={client} language={options.language ?? 'en'}>
      <RouterProvider router={router} />
    </AppProviders>,
  );
  return { ...utils, router, client };
}
