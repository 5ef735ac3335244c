import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Location, UserSummary } from '../../api/types';
import { errorResponse, jsonResponse, makeMe, mockApi, renderApp } from '../../test/utils';

afterEach(() => vi.unstubAllGlobals());

const venue: Location = {
  id: '10000000-0000-4000-8000-000000000001',
  name: 'Café De Haven',
  timezone: 'Europe/Amsterdam',
  active: true,
  applicationCode: 'HAVEN1',
  applicationUrl: 'http://localhost/apply/HAVEN1',
};

function summary(overrides: Partial<UserSummary> = {}): UserSummary {
  return {
    id: '20000000-0000-4000-8000-000000000002',
    username: 'kim',
    email: 'kim@example.nl',
    firstName: 'Kim',
    lastName: 'de Vries',
    displayName: 'Kim de Vries',
    role: 'crew_member',
    status: 'active',
    locations: [{ id: venue.id, name: venue.name, timezone: venue.timezone }],
    createdAt: '2026-11-01T09:00:00Z',
    lastLoginAt: null,
    ...overrides,
  };
}

describe('user administration', () => {
  it('changes a role after confirmation and shows the new role', async () => {
    let kim = summary();
    const { requests } = mockApi({
      'GET /api/auth/me': () => jsonResponse(200, makeMe('administrator')),
      'GET /api/locations': () => jsonResponse(200, [venue]),
      'GET /api/admin/users': () => jsonResponse(200, { items: [kim], nextCursor: null }),
      [`PATCH /api/admin/users/${kim.id}`]: (req) => {
        kim = { ...kim, ...(req.body as Partial<UserSummary>) };
        return jsonResponse(200, kim);
      },
    });
    renderApp('/admin/users');
    const user = userEvent.setup();
    const row = (await screen.findByText('kim · kim@example.nl')).closest('tr') as HTMLElement;
    expect(within(row).getByText('Crew member')).toBeInTheDocument();
    await user.click(within(row).getByRole('button', { name: 'Manage Kim de Vries' }));

    const dialog = await screen.findByRole('dialog', { name: 'Manage Kim de Vries' });
    await user.selectOptions(within(dialog).getByLabelText('Role'), 'floor_manager');
    await user.click(within(dialog).getByRole('button', { name: 'Save role' }));

    const confirm = await screen.findByRole('alertdialog');
    expect(confirm).toHaveTextContent('Change the role of Kim de Vries from Crew member to Floor manager?');
    await user.click(within(confirm).getByRole('button', { name: 'Save role' }));

    expect(await screen.findByText('The role of Kim de Vries is now Floor manager.')).toBeInTheDocument();
    const patch = requests.find((r) => r.method === 'PATCH');
    expect(patch?.body).toEqual({ role: 'floor_manager' });
    expect(patch?.headers.get('X-Crewplots-Csrf')).toBe('1');
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    await waitFor(() => {
      const updated = screen.getByText('kim · kim@example.nl').closest('tr') as HTMLElement;
      expect(within(updated).getByText('Floor manager')).toBeInTheDocument();
    });
  });

  it('reports a failed action in a toast', async () => {
    const kim = summary();
    mockApi({
      'GET /api/auth/me': () => jsonResponse(200, makeMe('administrator')),
      'GET /api/locations': () => jsonResponse(200, [venue]),
      'GET /api/admin/users': () => jsonResponse(200, { items: [kim], nextCursor: null }),
      [`POST /api/admin/users/${kim.id}/revoke-sessions`]: () => errorResponse(403, 'forbidden'),
    });
    renderApp('/admin/users');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Manage Kim de Vries' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Log out everywhere' }));
    const confirm = await screen.findByRole('alertdialog');
    await user.click(within(confirm).getByRole('button', { name: 'Log out everywhere' }));
    expect(await screen.findByText('That did not work: You are not allowed to do this.')).toBeInTheDocument();
  });

  it('invites a user with a location, and maps server field errors', async () => {
    let attempt = 0;
    const { requests } = mockApi({
      'GET /api/auth/me': () => jsonResponse(200, makeMe('administrator')),
      'GET /api/locations': () => jsonResponse(200, [venue]),
      'GET /api/admin/users': () => jsonResponse(200, { items: [], nextCursor: null }),
      'POST /api/admin/users': () =>
        ++attempt === 1
          ? errorResponse(409, 'email_taken')
          : jsonResponse(201, summary({ status: 'invited', displayName: 'Noor Bakker' })),
    });
    renderApp('/admin/users');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Invite a user' }));
    const dialog = await screen.findByRole('dialog', { name: 'Invite a staff member' });
    const form = within(dialog);
    await user.type(form.getByLabelText('First name'), 'Noor');
    await user.type(form.getByLabelText('Last name'), 'Bakker');
    await user.type(form.getByLabelText('E-mail address'), 'noor@example.nl');
    await user.type(form.getByLabelText('Username'), 'noor');
    expect(form.getByLabelText('Role')).toHaveValue('crew_member');
    await user.click(form.getByRole('button', { name: 'Send invitation' }));
    // A crew member needs a location.
    expect(form.getByText('This field is required.')).toBeInTheDocument();
    await user.click(await form.findByLabelText('Café De Haven'));
    await user.click(form.getByRole('button', { name: 'Send invitation' }));
    expect(await form.findByText('This is already in use.')).toBeInTheDocument();
    expect(form.getByLabelText('E-mail address')).toHaveAttribute('aria-invalid', 'true');

    await user.clear(form.getByLabelText('E-mail address'));
    await user.type(form.getByLabelText('E-mail address'), 'noor.b@example.nl');
    await user.click(form.getByRole('button', { name: 'Send invitation' }));
    expect(await screen.findByText('Noor Bakker has been invited. The invitation e-mail is on its way.')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const posts = requests.filter((r) => r.method === 'POST' && r.url === '/api/admin/users');
    expect(posts[1]?.body).toEqual({
      firstName: 'Noor',
      lastName: 'Bakker',
      email: 'noor.b@example.nl',
      username: 'noor',
      role: 'crew_member',
      locationIds: [venue.id],
    });
  });

  it('sends search and role filter to the server', async () => {
    const { requests } = mockApi({
      'GET /api/auth/me': () => jsonResponse(200, makeMe('administrator')),
      'GET /api/locations': () => jsonResponse(200, []),
      'GET /api/admin/users': () => jsonResponse(200, { items: [], nextCursor: null }),
    });
    renderApp('/admin/users');
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Search'), 'kim');
    await user.selectOptions(screen.getByLabelText('Role'), 'manager');
    await waitFor(() =>
      expect(requests.map((r) => r.url)).toContain('/api/admin/users?limit=50&q=kim&role=manager'),
    );
  });

  it('lets an administrator add a location', async () => {
    const locations: Location[] = [];
    const { requests } = mockApi({
      'GET /api/auth/me': () => jsonResponse(200, makeMe('administrator')),
      'GET /api/locations': () => jsonResponse(200, locations),
      'GET /api/admin/users': () => jsonResponse(200, { items: [], nextCursor: null }),
      'POST /api/locations': (req) => {
        const created = { ...venue, name: (req.body as { name: string }).name };
        locations.push(created);
        return jsonResponse(201, created);
      },
    });
    renderApp('/admin/users');
    const user = userEvent.setup();
    expect(await screen.findByText('No locations yet.')).toBeInTheDocument();
    await user.type(screen.getByLabelText('Name'), 'Bar Noord');
    await user.click(screen.getByRole('button', { name: 'Add location' }));
    expect(await screen.findByText('Location Bar Noord has been added.')).toBeInTheDocument();
    expect(requests.find((r) => r.url === '/api/locations' && r.method === 'POST')?.body).toEqual({
      name: 'Bar Noord',
      timezone: 'Europe/Amsterdam',
    });
    expect(await screen.findByText('HAVEN1')).toBeInTheDocument();
  });
});
