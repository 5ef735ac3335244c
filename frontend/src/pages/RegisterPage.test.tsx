import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dictionaries } from '../i18n/core';
import { errorResponse, jsonResponse, makeMe, mockApi, publicSettingsApi, renderApp } from '../test/utils';

afterEach(() => vi.unstubAllGlobals());

const anonymous = () => errorResponse(401, 'unauthorized');

async function fillForm(overrides: Partial<Record<string, string>> = {}) {
  const user = userEvent.setup();
  const v: Record<'first' | 'last' | 'email' | 'phone' | 'username' | 'password', string> & { repeat?: string } = {
    first: 'Sam',
    last: 'Jansen',
    email: 'sam@example.nl',
    phone: '+31 6 1234 5678',
    username: 'sam.jansen',
    password: 'een lang wachtwoord',
    ...overrides,
  };
  await user.type(await screen.findByLabelText('First name'), v.first);
  await user.type(screen.getByLabelText('Last name'), v.last);
  await user.type(screen.getByLabelText('E-mail address'), v.email);
  await user.type(screen.getByLabelText('Phone number'), v.phone);
  await user.type(screen.getByLabelText('Username'), v.username);
  await user.type(screen.getByLabelText('Password', { selector: 'input' }), v.password);
  await user.type(screen.getByLabelText('Repeat the password', { selector: 'input' }), v.repeat ?? v.password);
  return user;
}

describe('registration', () => {
  it('shows the venue of the QR code and sends its code with the consent version', async () => {
    const { requests } = mockApi({
      ...publicSettingsApi(),
      'GET /api/auth/me': anonymous,
      'GET /api/public/locations/BAR42': () => jsonResponse(200, { name: 'Café De Haven', applicationCode: 'BAR42' }),
      'POST /api/auth/register': () => jsonResponse(201, { user: makeMe('applicant') }),
    });
    const { router } = renderApp('/register?code=BAR42');
    expect(await screen.findByText('Applying to Café De Haven')).toBeInTheDocument();
    const user = await fillForm();
    await user.click(screen.getByLabelText(/privacy notice \(version 2027-01\)/));
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/portal'));
    const sent = requests.find((r) => r.url === '/api/auth/register');
    expect(sent?.body).toEqual({
      firstName: 'Sam',
      lastName: 'Jansen',
      email: 'sam@example.nl',
      username: 'sam.jansen',
      password: 'een lang wachtwoord',
      phone: '+31 6 1234 5678',
      locationCode: 'BAR42',
      privacyConsent: { version: '2027-01', accepted: true },
    });
  });

  it('explains an unknown code and registers without it', async () => {
    const { requests } = mockApi({
      ...publicSettingsApi(),
      'GET /api/auth/me': anonymous,
      'GET /api/public/locations/NOPE': () => errorResponse(404, 'not_found'),
      'POST /api/auth/register': () => jsonResponse(201, { user: makeMe('applicant') }),
    });
    renderApp('/register?code=NOPE');
    expect(await screen.findByText(dictionaries.en['register.unknownCode'])).toBeInTheDocument();
    const user = await fillForm();
    await user.click(screen.getByRole('checkbox'));
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    await waitFor(() => expect(requests.some((r) => r.url === '/api/auth/register')).toBe(true));
    const sent = requests.find((r) => r.url === '/api/auth/register');
    expect(sent?.body).not.toHaveProperty('locationCode');
  });

  it('checks the fields in the browser first (consent, byte length of the password)', async () => {
    const { requests } = mockApi({ ...publicSettingsApi(), 'GET /api/auth/me': anonymous });
    renderApp('/register');
    // 4 × "é" + "a" is 5 characters but 9 bytes: too short.
    const user = await fillForm({ password: 'ééééa', username: 'Sam' });
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(screen.getByText(dictionaries.en['fieldError.password_too_short'])).toBeInTheDocument();
    expect(screen.getByText(dictionaries.en['fieldError.invalid_username'])).toBeInTheDocument();
    expect(screen.getByText(dictionaries.en['fieldError.consent_required'])).toBeInTheDocument();
    expect(screen.getByLabelText('Username')).toHaveAttribute('aria-invalid', 'true');
    await waitFor(() => expect(screen.getByLabelText('Username')).toHaveFocus());
    expect(requests.some((r) => r.url === '/api/auth/register')).toBe(false);
  });

  it('puts server field errors on the fields', async () => {
    mockApi({
      ...publicSettingsApi(),
      'GET /api/auth/me': anonymous,
      'POST /api/auth/register': () =>
        errorResponse(422, 'validation_failed', { phone: 'invalid_phone', 'privacyConsent.accepted': 'consent_required' }),
    });
    renderApp('/register');
    const user = await fillForm();
    await user.click(screen.getByRole('checkbox'));
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByText(dictionaries.en['fieldError.invalid_phone'])).toBeInTheDocument();
    expect(screen.getByText(dictionaries.en['fieldError.consent_required'])).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent(dictionaries.en['error.validation_failed']);
  });

  it('marks a taken username', async () => {
    mockApi({
      ...publicSettingsApi(),
      'GET /api/auth/me': anonymous,
      'POST /api/auth/register': () => errorResponse(409, 'username_taken'),
    });
    renderApp('/register');
    const user = await fillForm();
    await user.click(screen.getByRole('checkbox'));
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByText(dictionaries.en['error.username_taken'])).toBeInTheDocument();
    expect(screen.getByText(dictionaries.en['fieldError.taken'])).toBeInTheDocument();
    expect(screen.getByLabelText('Username')).toHaveAttribute('aria-invalid', 'true');
  });

  it('asks consent for the privacy notice version the server serves, and waits for it', async () => {
    let answer = () => errorResponse(503, 'service_unavailable');
    mockApi({ 'GET /api/auth/me': anonymous, 'GET /api/settings/public': () => answer() });
    renderApp('/register');
    expect(await screen.findByText('The registration form could not load the privacy notice version.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Create account' })).toBeDisabled();
    answer = () => jsonResponse(200, { privacyNoticeVersion: '2027-03', retentionDays: 0, maxUploadBytes: 1 });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByLabelText(/privacy notice \(version 2027-03\)/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Create account' })).toBeEnabled();
  });
});
