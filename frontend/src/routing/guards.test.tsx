import { screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { errorResponse, jsonResponse, makeMe, mockApi, renderApp } from '../test/utils';
import { homePathFor, safeNext } from './guards';

afterEach(() => vi.unstubAllGlobals());

const emptyPage = () => jsonResponse(200, { items: [], nextCursor: null });

describe('route guards', () => {
  it('sends anonymous visitors of a protected page to the login with ?next=', async () => {
    mockApi({ 'GET /api/auth/me': () => errorResponse(401, 'unauthorized') });
    const { router } = renderApp('/admin/users?role=manager');
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
    expect(router.state.location.search).toBe(`?next=${encodeURIComponent('/admin/users?role=manager')}`);
    expect(await screen.findByRole('heading', { name: 'Log in' })).toBeInTheDocument();
  });

  it('shows 403 to a logged-in user without the permission', async () => {
    mockApi({ 'GET /api/auth/me': () => jsonResponse(200, makeMe('crew_member')) });
    const { router } = renderApp('/admin/users');
    expect(await screen.findByRole('heading', { name: 'No access' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/admin/users');
  });

  it('shows 403 for the outbox to a manager (users.manage but not outbox.view)', async () => {
    mockApi({ 'GET /api/auth/me': () => jsonResponse(200, makeMe('manager')) });
    renderApp('/admin/outbox');
    expect(await screen.findByRole('heading', { name: 'No access' })).toBeInTheDocument();
  });

  it('lets a user with the permission in', async () => {
    mockApi({
      'GET /api/auth/me': () => jsonResponse(200, makeMe('administrator')),
      'GET /api/admin/users': emptyPage,
      'GET /api/locations': () => jsonResponse(200, []),
    });
    renderApp('/admin/users');
    expect(await screen.findByRole('heading', { name: 'Users', level: 1 })).toBeInTheDocument();
    expect(await screen.findByText('No users match these filters.')).toBeInTheDocument();
  });

  it.each([
    ['applicant', '/portal'],
    ['crew_member', '/me/shifts'],
    ['administrator', '/staff'],
  ] as const)('sends a logged-in %s from / to %s', async (role, target) => {
    mockApi({ 'GET /api/auth/me': () => jsonResponse(200, makeMe(role)) });
    const { router } = renderApp('/');
    await waitFor(() => expect(router.state.location.pathname).toBe(target));
  });

  it('sends an anonymous visitor from / to /login', async () => {
    mockApi({ 'GET /api/auth/me': () => errorResponse(401, 'unauthorized') });
    const { router } = renderApp('/');
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
    expect(router.state.location.search).toBe('');
  });

  it('keeps applicants and staff on their own home', async () => {
    mockApi({
      'GET /api/auth/me': () => jsonResponse(200, makeMe('applicant')),
      'GET /api/me/applications': () => jsonResponse(200, []),
    });
    const { router } = renderApp('/staff');
    await waitFor(() => expect(router.state.location.pathname).toBe('/portal'));
    expect(await screen.findByText('Your applications will appear here.')).toBeInTheDocument();
  });

  it('sends a logged-in user away from the login page', async () => {
    mockApi({ 'GET /api/auth/me': () => jsonResponse(200, makeMe('manager')) });
    const { router } = renderApp('/login');
    await waitFor(() => expect(router.state.location.pathname).toBe('/staff'));
  });

  it('shows an error with a retry when the session cannot be checked', async () => {
    mockApi({ 'GET /api/auth/me': () => errorResponse(503, 'service_unavailable') });
    renderApp('/staff');
    expect(await screen.findByRole('alert')).toHaveTextContent('temporarily unavailable');
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });

  it('shows the nav links the user has permission for', async () => {
    mockApi({ 'GET /api/auth/me': () => jsonResponse(200, makeMe('manager')) });
    renderApp('/staff');
    const nav = await screen.findByRole('navigation', { name: 'Main navigation' });
    expect(nav).toHaveTextContent('Users');
    expect(nav).not.toHaveTextContent('Outbox');
  });
});

describe('safeNext', () => {
  it.each([
    ['/admin/users?q=x', '/admin/users?q=x'],
    ['/portal', '/portal'],
    ['//evil.example', null],
    ['/\\evil.example', null],
    ['https://evil.example', null],
    ['javascript:alert(1)', null],
    ['', null],
    [null, null],
  ])('%j → %j', (input, expected) => {
    expect(safeNext(input)).toBe(expected);
  });

  it('homePathFor', () => {
    expect(homePathFor(null)).toBe('/login');
    expect(homePathFor(makeMe('applicant'))).toBe('/portal');
    expect(homePathFor(makeMe('floor_manager'))).toBe('/staff');
    expect(homePathFor(makeMe('crew_member'))).toBe('/me/shifts');
  });
});
