import { afterEach, describe, expect, it, vi } from 'vitest';
import { errorResponse, jsonResponse, mockApi } from '../test/utils';
import { ApiError, buildUrl, parseRetryAfter, request } from './client';
import { endpoints } from './endpoints';

afterEach(() => vi.unstubAllGlobals());

describe('request', () => {
  it('sends the CSRF header on every non-GET request, and never on GET', async () => {
    const { requests } = mockApi({
      'POST /api/auth/logout': () => jsonResponse(204),
      'PATCH /api/admin/users/abc': () => jsonResponse(200, { ok: true }),
      'GET /api/locations': () => jsonResponse(200, []),
    });
    await endpoints.logout();
    await endpoints.updateUser('abc', { role: 'crew_member' });
    await endpoints.locations();
    const [logout, patch, get] = requests;
    expect(logout?.headers.get('X-Crewplots-Csrf')).toBe('1');
    expect(patch?.headers.get('X-Crewplots-Csrf')).toBe('1');
    expect(get?.headers.get('X-Crewplots-Csrf')).toBeNull();
  });

  it('is same-origin with cookies and sends JSON', async () => {
    const { requests } = mockApi({
      'POST /api/auth/login': () => jsonResponse(200, { user: { id: 'x' } }),
    });
    const answer = await endpoints.login({ login: 'sam', password: 'correct horse battery' });
    expect(answer).toEqual({ user: { id: 'x' } });
    const sent = requests[0];
    expect(sent?.url).toBe('/api/auth/login');
    expect(sent?.credentials).toBe('same-origin');
    expect(sent?.headers.get('Content-Type')).toBe('application/json');
    expect(sent?.body).toEqual({ login: 'sam', password: 'correct horse battery' });
  });

  it('resolves 204 and empty bodies with undefined', async () => {
    mockApi({ 'POST /api/auth/password-reset': () => jsonResponse(202) });
    await expect(endpoints.requestPasswordReset({ email: 'a@b.nl' })).resolves.toBeUndefined();
  });

  it('turns the error body into an ApiError with status, code, message and fields', async () => {
    mockApi({
      'POST /api/auth/register': () =>
        errorResponse(422, 'validation_failed', { username: 'invalid_username', phone: 'required' }),
    });
    const error = await request('POST', '/api/auth/register', { body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.status).toBe(422);
    expect(apiError.code).toBe('validation_failed');
    expect(apiError.message).toBe('English text for validation_failed');
    expect(apiError.fields).toEqual({ username: 'invalid_username', phone: 'required' });
    expect(apiError.retryAfter).toBeNull();
  });

  it('reads Retry-After from a 429', async () => {
    mockApi({
      'POST /api/auth/login': () => errorResponse(429, 'too_many_requests', undefined, { 'Retry-After': '120' }),
    });
    const error = (await endpoints.login({ login: 'a', password: 'b' }).catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(429);
    expect(error.code).toBe('too_many_requests');
    expect(error.retryAfter).toBe(120);
    expect(error.fields).toEqual({});
  });

  it('falls back to a code from the status when the body is not ours', async () => {
    mockApi({
      'GET /api/locations': () => new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    });
    const error = (await endpoints.locations().catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(502);
    expect(error.code).toBe('service_unavailable');
  });

  it('reports an unreachable server as network_error', async () => {
    vi.stubGlobal('fetch', vi.fn(() => Promise.reject(new TypeError('Failed to fetch'))));
    const error = (await endpoints.locations().catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(0);
    expect(error.code).toBe('network_error');
  });

  it('answers null for /me when anonymous and throws other failures', async () => {
    mockApi({ 'GET /api/auth/me': () => errorResponse(401, 'unauthorized') });
    await expect(endpoints.me()).resolves.toBeNull();
    mockApi({ 'GET /api/auth/me': () => errorResponse(503, 'service_unavailable') });
    await expect(endpoints.me()).rejects.toMatchObject({ status: 503, code: 'service_unavailable' });
  });

  it('puts paging and filters in the query string and escapes path segments', async () => {
    const { requests } = mockApi({
      'GET /api/admin/users': () => jsonResponse(200, { items: [], nextCursor: null }),
      'GET /api/public/locations/a%2Fb': () => jsonResponse(200, { name: 'X', applicationCode: 'a/b' }),
    });
    await endpoints.users({ limit: 50, cursor: 'abc=', q: 'sam jansen', role: 'crew_member' });
    await endpoints.publicLocation('a/b');
    expect(requests[0]?.url).toBe('/api/admin/users?limit=50&cursor=abc%3D&q=sam+jansen&role=crew_member');
    expect(requests[1]?.url).toBe('/api/public/locations/a%2Fb');
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('30')).toBe(30);
    expect(parseRetryAfter(' 5 ')).toBe(5);
  });
  it('reads an HTTP date relative to now', () => {
    const now = Date.parse('2026-11-20T10:00:00Z');
    expect(parseRetryAfter('Fri, 20 Nov 2026 10:02:00 GMT', now)).toBe(120);
    expect(parseRetryAfter('Fri, 20 Nov 2026 09:00:00 GMT', now)).toBe(0);
  });
  it('ignores missing or unreadable values', () => {
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('')).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
  });
});

describe('buildUrl', () => {
  it('leaves out empty values', () => {
    expect(buildUrl('/x', { a: '', b: undefined, c: null, d: 0 })).toBe('/x?d=0');
    expect(buildUrl('/x')).toBe('/x');
  });
});
