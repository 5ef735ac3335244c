import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dictionaries } from '../i18n/core';
import { errorResponse, jsonResponse, makeMe, mockApi, renderApp } from '../test/utils';

afterEach(() => vi.unstubAllGlobals());

async function fillAndSubmit(login: string, password: string, submit: RegExp | string = 'Log in') {
  const user = userEvent.setup();
  await user.type(await screen.findByLabelText(/username or e-mail|gebruikersnaam of e-mail/i), login);
  await user.type(screen.getByLabelText(/^(password|wachtwoord)$/i, { selector: 'input' }), password);
  await user.click(screen.getByRole('button', { name: submit }));
  return user;
}

describe('login form', () => {
  it('shows the translated invalid_credentials message', async () => {
    const { requests } = mockApi({
      'GET /api/auth/me': () => errorResponse(401, 'unauthorized'),
      'POST /api/auth/login': () => errorResponse(401, 'invalid_credentials'),
    });
    renderApp('/login');
    await fillAndSubmit('sam', 'wrong-password');
    expect(await screen.findByRole('alert')).toHaveTextContent(dictionaries.en['error.invalid_credentials']);
    const login = requests.find((r) => r.url === '/api/auth/login');
    expect(login?.body).toEqual({ login: 'sam', password: 'wrong-password' });
    expect(login?.headers.get('X-Crewplots-Csrf')).toBe('1');
  });

  it('shows it in Dutch too', async () => {
    mockApi({
      'GET /api/auth/me': () => errorResponse(401, 'unauthorized'),
      'POST /api/auth/login': () => errorResponse(401, 'invalid_credentials'),
    });
    renderApp('/login', { language: 'nl' });
    await fillAndSubmit('sam', 'fout-wachtwoord', 'Inloggen');
    expect(await screen.findByRole('alert')).toHaveTextContent(dictionaries.nl['error.invalid_credentials']);
  });

  it('says how long to wait when throttled', async () => {
    mockApi({
      'GET /api/auth/me': () => errorResponse(401, 'unauthorized'),
      'POST /api/auth/login': () => errorResponse(429, 'too_many_requests', undefined, { 'Retry-After': '300' }),
    });
    renderApp('/login');
    await fillAndSubmit('sam', 'whatever-password');
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many attempts, try again in 5 minutes.');
  });

  it('checks required fields before calling the server', async () => {
    const { requests } = mockApi({ 'GET /api/auth/me': () => errorResponse(401, 'unauthorized') });
    renderApp('/login');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Log in' }));
    expect(screen.getAllByText(dictionaries.en['fieldError.required'])).toHaveLength(2);
    expect(requests.some((r) => r.url === '/api/auth/login')).toBe(false);
  });

  it('shows a busy button while logging in, then goes to the page in ?next=', async () => {
    let release: (r: Response) => void = () => undefined;
    const me = makeMe('administrator');
    mockApi({
      'GET /api/auth/me': () => errorResponse(401, 'unauthorized'),
      'POST /api/auth/login': () => new Promise<Response>((resolve) => (release = resolve)),
      'GET /api/admin/outbox': () => jsonResponse(200, { items: [], nextCursor: null }),
    });
    const { router } = renderApp('/login?next=%2Fadmin%2Foutbox');
    await fillAndSubmit('admin', 'correct-password');
    const busy = await screen.findByRole('button', { name: /logging in/i });
    expect(busy).toBeDisabled();
    expect(busy).toHaveAttribute('aria-busy', 'true');
    release(jsonResponse(200, { user: me }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/admin/outbox'));
    expect(await screen.findByRole('heading', { name: 'Outbox', level: 1 })).toBeInTheDocument();
  });

  it('ignores a ?next= that points to another site', async () => {
    mockApi({
      'GET /api/auth/me': () => errorResponse(401, 'unauthorized'),
      'POST /api/auth/login': () => jsonResponse(200, { user: makeMe('applicant') }),
    });
    const { router } = renderApp('/login?next=%2F%2Fevil.example%2F');
    await fillAndSubmit('sam', 'correct-password');
    await waitFor(() => expect(router.state.location.pathname).toBe('/portal'));
  });

  it('switches to Dutch from the header and remembers it', async () => {
    mockApi({ 'GET /api/auth/me': () => errorResponse(401, 'unauthorized') });
    renderApp('/login');
    const user = userEvent.setup();
    expect(await screen.findByRole('heading', { name: 'Log in' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'NL' }));
    expect(await screen.findByRole('heading', { name: 'Inloggen' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'NL' })).toHaveAttribute('aria-pressed', 'true');
    expect(localStorage.getItem('crewplots.lang')).toBe('nl');
    expect(document.documentElement.lang).toBe('nl');
  });
});
