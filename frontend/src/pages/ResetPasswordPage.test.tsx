import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dictionaries } from '../i18n/core';
import { errorResponse, jsonResponse, makeMe, mockApi, renderApp } from '../test/utils';

afterEach(() => vi.unstubAllGlobals());

async function setPassword(password: string) {
  const user = userEvent.setup();
  await user.type(await screen.findByLabelText('New password', { selector: 'input' }), password);
  await user.type(screen.getByLabelText('Repeat the password', { selector: 'input' }), password);
  await user.click(screen.getByRole('button', { name: 'Set password' }));
}

describe('reset / first password', () => {
  it('sends the token from the link, hides it from the address bar and goes to the login', async () => {
    const { requests } = mockApi({
      'GET /api/auth/me': () => errorResponse(401, 'unauthorized'),
      'POST /api/auth/password-reset/confirm': () => jsonResponse(204),
    });
    const { router } = renderApp('/reset-password?token=tok-123');
    await waitFor(() => expect(router.state.location.search).toBe(''));
    await setPassword('a new password!');
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
    expect(requests.find((r) => r.url === '/api/auth/password-reset/confirm')?.body).toEqual({
      token: 'tok-123',
      newPassword: 'a new password!',
    });
    expect(await screen.findByText(dictionaries.en['login.passwordSet'])).toBeInTheDocument();
  });

  it('explains an invalid or expired link and offers a new one', async () => {
    mockApi({
      'GET /api/auth/me': () => errorResponse(401, 'unauthorized'),
      'POST /api/auth/password-reset/confirm': () => errorResponse(400, 'invalid_token'),
    });
    renderApp('/reset-password?token=old');
    await setPassword('a new password!');
    expect(await screen.findByText(dictionaries.en['reset.invalidToken'])).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Request a new link' })).toHaveAttribute('href', '/forgot-password');
  });

  it('asks for the link when there is no token', async () => {
    mockApi({ 'GET /api/auth/me': () => jsonResponse(200, makeMe('crew_member')) });
    renderApp('/reset-password');
    expect(await screen.findByText(dictionaries.en['reset.missingToken'])).toBeInTheDocument();
  });
});

describe('forgot password', () => {
  it('requests a link and shows the check-your-e-mail page', async () => {
    const { requests } = mockApi({
      'GET /api/auth/me': () => errorResponse(401, 'unauthorized'),
      'POST /api/auth/password-reset': () => jsonResponse(202),
    });
    const { router } = renderApp('/forgot-password');
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('E-mail address'), ' sam@example.nl ');
    await user.click(screen.getByRole('button', { name: 'Send link' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/check-email'));
    expect(await screen.findByRole('heading', { name: 'Check your e-mail' })).toBeInTheDocument();
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual({ email: 'sam@example.nl' });
  });
});

describe('log out', () => {
  it('ends the session and shows the login page', async () => {
    const { requests } = mockApi({
      'GET /api/auth/me': () => jsonResponse(200, makeMe('crew_member')),
      'POST /api/auth/logout': () => jsonResponse(204),
    });
    const { router } = renderApp('/staff');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Log out' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
    expect(requests.some((r) => r.method === 'POST' && r.url === '/api/auth/logout')).toBe(true);
    expect(router.state.location.search).toBe('');
    expect(await screen.findByText(dictionaries.en['login.sessionEnded'])).toBeInTheDocument();
  });
});
