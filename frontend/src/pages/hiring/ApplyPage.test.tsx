import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { errorResponse, jsonResponse, makeMe, mockApi, publicSettingsApi, renderApp } from '../../test/utils';
import { staffMe, summary, VENUE } from '../../test/hiringData';

afterEach(() => vi.unstubAllGlobals());

const haven = { name: VENUE.name, applicationCode: 'HAVEN1', locationId: VENUE.id };
const anonymous = () => errorResponse(401, 'unauthorized');

describe('/apply/:code', () => {
  it('sends a visitor without an account to the registration with the code', async () => {
    mockApi({
      'GET /api/auth/me': anonymous,
      'GET /api/public/locations/HAVEN1': () => jsonResponse(200, haven),
    });
    const { router } = renderApp('/apply/HAVEN1');
    await waitFor(() => expect(router.state.location.pathname).toBe('/register'));
    expect(router.state.location.search).toBe('?code=HAVEN1');
    expect(await screen.findByText('Applying to Café De Haven')).toBeInTheDocument();
    // Someone with an account logs in and comes back to apply.
    expect(screen.getByRole('link', { name: 'Log in' })).toHaveAttribute(
      'href',
      `/login?next=${encodeURIComponent('/apply/HAVEN1')}`,
    );
  });

  it('lets a logged-in applicant apply with the venue fixed (source qr)', async () => {
    const { requests } = mockApi({
      'GET /api/auth/me': () => jsonResponse(200, makeMe('applicant')),
      'GET /api/public/locations/HAVEN1': () => jsonResponse(200, haven),
      'POST /api/applications': () => jsonResponse(201, summary({ status: 'new' })),
      'GET /api/me/applications': () => jsonResponse(200, [summary({ status: 'new' })]),
    });
    const { router } = renderApp('/apply/HAVEN1');
    const user = userEvent.setup();
    const form = await screen.findByRole('form', { name: 'Apply for a job' });
    expect(await within(form).findByText('Applying to Café De Haven')).toBeInTheDocument();
    expect(within(form).queryByLabelText('Venue code')).not.toBeInTheDocument();

    await user.click(within(form).getByRole('button', { name: 'Send application' }));
    expect(within(form).getByText('This field is required.')).toBeInTheDocument();

    await user.type(within(form).getByLabelText('Position'), 'Bartender');
    await user.type(within(form).getByLabelText(/^Availability/), 'Weekends');
    await user.click(within(form).getByRole('textbox', { name: /^Motivation letter/ }));
    await user.keyboard('I love coffee');
    await user.click(within(form).getByRole('button', { name: 'Send application' }));

    await waitFor(() => expect(router.state.location.pathname).toBe('/portal'));
    expect(await screen.findByText('Your application to Café De Haven has been sent.')).toBeInTheDocument();
    const sent = requests.find((r) => r.method === 'POST' && r.url === '/api/applications');
    expect(sent?.headers.get('X-Crewplots-Csrf')).toBe('1');
    expect(sent?.body).toEqual({
      locationCode: 'HAVEN1',
      position: 'Bartender',
      availability: 'Weekends',
      motivationLetter: 'I love coffee',
    });
    expect(await screen.findByRole('article', { name: 'Café De Haven' })).toBeInTheDocument();
  });

  it('explains an existing open application', async () => {
    mockApi({
      'GET /api/auth/me': () => jsonResponse(200, makeMe('applicant')),
      'GET /api/public/locations/HAVEN1': () => jsonResponse(200, haven),
      'POST /api/applications': () => errorResponse(409, 'already_applied'),
    });
    renderApp('/apply/HAVEN1');
    const user = userEvent.setup();
    const form = await screen.findByRole('form', { name: 'Apply for a job' });
    await user.type(within(form).getByLabelText('Position'), 'Host');
    await user.click(within(form).getByRole('button', { name: 'Send application' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent(
      'You already have an open application at this venue.',
    );
  });

  it('says when the code is unknown', async () => {
    mockApi({
      'GET /api/auth/me': () => jsonResponse(200, makeMe('applicant')),
      'GET /api/public/locations/NOPE': () => errorResponse(404, 'not_found'),
    });
    renderApp('/apply/NOPE');
    expect(await screen.findByText(/This venue code is not recognised/)).toBeInTheDocument();
  });

  it('tells staff that applying needs an applicant account', async () => {
    mockApi({ 'GET /api/auth/me': () => jsonResponse(200, staffMe('manager')) });
    renderApp('/apply/HAVEN1');
    expect(await screen.findByText(/You are logged in with a staff account/)).toBeInTheDocument();
  });
});

describe('applying after registering, and from the portal', () => {
  it('lands on the apply form with the venue of the QR link after registering', async () => {
    mockApi({
      ...publicSettingsApi(),
      'GET /api/auth/me': anonymous,
      'GET /api/public/locations/HAVEN1': () => jsonResponse(200, haven),
      'POST /api/auth/register': () => jsonResponse(201, { user: makeMe('applicant') }),
      'GET /api/me/applications': () => jsonResponse(200, []),
    });
    const { router } = renderApp('/register?code=HAVEN1');
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('First name'), 'Sam');
    await user.type(screen.getByLabelText('Last name'), 'Jansen');
    await user.type(screen.getByLabelText('E-mail address'), 'sam@example.nl');
    await user.type(screen.getByLabelText('Phone number'), '+31 6 1234 5678');
    await user.type(screen.getByLabelText('Username'), 'sam.jansen');
    await user.type(screen.getByLabelText('Password', { selector: 'input' }), 'een lang wachtwoord');
    await user.type(screen.getByLabelText('Repeat the password', { selector: 'input' }), 'een lang wachtwoord');
    await user.click(screen.getByLabelText(/privacy notice/));
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/portal'));
    expect(router.state.location.search).toBe('?apply=HAVEN1');
    const form = await screen.findByRole('form', { name: 'Apply for a job' });
    expect(await within(form).findByText('Applying to Café De Haven')).toBeInTheDocument();
  });

  it('finds the venue by its code on the portal and applies by id (source web)', async () => {
    const { requests } = mockApi({
      'GET /api/auth/me': () => jsonResponse(200, makeMe('applicant')),
      'GET /api/me/applications': () => jsonResponse(200, []),
      'GET /api/public/locations/HAVEN1': () => jsonResponse(200, haven),
      'POST /api/applications': () => jsonResponse(201, summary({ status: 'new', source: 'web' })),
    });
    const { router } = renderApp('/portal');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Apply' }));
    const form = await screen.findByRole('form', { name: 'Apply for a job' });
    await user.type(within(form).getByLabelText('Venue code'), 'HAVEN1');
    expect(await within(form).findByText('Applying to Café De Haven')).toBeInTheDocument();
    await user.type(within(form).getByLabelText('Position'), 'Host');
    await user.click(within(form).getByRole('button', { name: 'Send application' }));
    expect(await screen.findByText('Your application to Café De Haven has been sent.')).toBeInTheDocument();
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual({ locationId: VENUE.id, position: 'Host' });
    await waitFor(() => expect(router.state.location.search).toBe(''));
  });
});
