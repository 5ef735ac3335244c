import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LocationDetail } from '../../api/hiringTypes';
import { errorResponse, jsonResponse, makeMe, mockApi, renderApp } from '../../test/utils';
import { staffMe, VENUE } from '../../test/hiringData';

afterEach(() => vi.unstubAllGlobals());

const haven: LocationDetail = {
  ...VENUE,
  active: true,
  applicationCode: 'HAVEN1',
  address: 'Kade 1, Amsterdam',
  contactEmail: 'haven@example.nl',
  contactPhone: null,
  applicationUrl: 'https://crew.example.nl/apply/HAVEN1',
};

describe('locations page', () => {
  it('lets a manager edit their location but not archive it', async () => {
    let current = haven;
    const { requests } = mockApi({
      'GET /api/auth/me': () => jsonResponse(200, staffMe('manager')),
      'GET /api/locations': () => jsonResponse(200, [current]),
      [`GET /api/locations/${VENUE.id}`]: () => jsonResponse(200, current),
      [`PATCH /api/locations/${VENUE.id}`]: (request) => {
        current = { ...current, ...(request.body as Partial<LocationDetail>) };
        return jsonResponse(200, current);
      },
    });
    renderApp('/staff/locations');
    const user = userEvent.setup();
    const item = await screen.findByText('Café De Haven');
    const row = item.closest('li')!;
    expect(row).toHaveTextContent('Kade 1, Amsterdam');
    expect(within(row).getByRole('link', { name: 'https://crew.example.nl/apply/HAVEN1' })).toBeInTheDocument();
    expect(within(row).getByRole('link', { name: 'QR poster' })).toHaveAttribute('href', `/staff/locations/${VENUE.id}/poster`);
    expect(screen.queryByRole('form', { name: 'Add location' })).not.toBeInTheDocument();

    await user.click(within(row).getByRole('button', { name: 'Edit' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit Café De Haven' });
    await within(dialog).findByLabelText('Name');
    expect(within(dialog).queryByLabelText(/Archived/)).not.toBeInTheDocument();
    await user.type(within(dialog).getByLabelText(/^Contact phone number/), 'not a phone');
    await user.click(within(dialog).getByRole('button', { name: 'Save location' }));
    expect(within(dialog).getByText('Enter a valid phone number.')).toBeInTheDocument();
    await user.clear(within(dialog).getByLabelText(/^Contact phone number/));
    await user.type(within(dialog).getByLabelText(/^Contact phone number/), '020 123 4567');
    await user.click(within(dialog).getByRole('button', { name: 'Save location' }));
    expect(await screen.findByText('Location Café De Haven has been saved.')).toBeInTheDocument();
    const sent = requests.find((r) => r.method === 'PATCH');
    expect(sent?.body).toEqual({
      name: 'Café De Haven',
      timezone: 'Europe/Amsterdam',
      address: 'Kade 1, Amsterdam',
      contactEmail: 'haven@example.nl',
      contactPhone: '020 123 4567',
    });
    expect(sent?.body).not.toHaveProperty('active');
  });

  it('lets an administrator archive a location and add one', async () => {
    const { requests } = mockApi({
      'GET /api/auth/me': () => jsonResponse(200, staffMe('administrator')),
      'GET /api/locations': () => jsonResponse(200, [haven]),
      [`GET /api/locations/${VENUE.id}`]: () => jsonResponse(200, haven),
      [`PATCH /api/locations/${VENUE.id}`]: () => jsonResponse(200, { ...haven, active: false }),
      'POST /api/locations': () => jsonResponse(201, { ...haven, id: 'v3', name: 'Bar Noord' }),
    });
    renderApp('/staff/locations');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Edit' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit Café De Haven' });
    await user.click(await within(dialog).findByLabelText(/Archived/));
    await user.click(within(dialog).getByRole('button', { name: 'Save location' }));
    await waitFor(() => expect(requests.find((r) => r.method === 'PATCH')?.body).toMatchObject({ active: false }));

    const add = screen.getByRole('form', { name: 'Add location' });
    await user.type(within(add).getByLabelText('Name'), 'Bar Noord');
    await user.type(within(add).getByLabelText(/^Address/), 'Noordplein 2');
    await user.click(within(add).getByRole('button', { name: 'Add location' }));
    expect(await screen.findByText('Location Bar Noord has been added.')).toBeInTheDocument();
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual({
      name: 'Bar Noord',
      timezone: 'Europe/Amsterdam',
      address: 'Noordplein 2',
      contactEmail: null,
      contactPhone: null,
    });
  });

  it('shows the server’s refusal in the dialog', async () => {
    mockApi({
      'GET /api/auth/me': () => jsonResponse(200, staffMe('administrator')),
      'GET /api/locations': () => jsonResponse(200, [haven]),
      [`GET /api/locations/${VENUE.id}`]: () => jsonResponse(200, haven),
      [`PATCH /api/locations/${VENUE.id}`]: () => errorResponse(403, 'forbidden'),
    });
    renderApp('/staff/locations');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Edit' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit Café De Haven' });
    await user.click(await within(dialog).findByLabelText(/Archived/));
    await user.click(within(dialog).getByRole('button', { name: 'Save location' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('You are not allowed to do this.');
  });

  it('is closed to crew members', async () => {
    mockApi({ 'GET /api/auth/me': () => jsonResponse(200, makeMe('crew_member')) });
    renderApp('/staff/locations');
    expect(await screen.findByRole('heading', { name: 'No access' })).toBeInTheDocument();
  });
});

describe('poster page', () => {
  it('shows the SVG poster with print and download buttons', async () => {
    const print = vi.fn();
    vi.stubGlobal('print', print);
    mockApi({
      'GET /api/auth/me': () => jsonResponse(200, staffMe('manager')),
      [`GET /api/locations/${VENUE.id}`]: () => jsonResponse(200, haven),
    });
    renderApp(`/staff/locations/${VENUE.id}/poster`);
    const user = userEvent.setup();
    expect(await screen.findByRole('heading', { level: 1, name: 'Poster for Café De Haven' })).toBeInTheDocument();
    expect(screen.getByRole('img', { name: /QR poster for Café De Haven/ })).toHaveAttribute(
      'src',
      `/api/locations/${VENUE.id}/poster?format=svg`,
    );
    expect(screen.getByRole('link', { name: 'Download SVG' })).toHaveAttribute('href', `/api/locations/${VENUE.id}/poster?format=svg`);
    expect(screen.getByRole('link', { name: 'Download PNG' })).toHaveAttribute('href', `/api/locations/${VENUE.id}/poster?format=png`);
    await user.click(screen.getByRole('button', { name: 'Print' }));
    expect(print).toHaveBeenCalled();
  });
});

describe('navigation', () => {
  it('shows Applications and Locations by permission', async () => {
    mockApi({ 'GET /api/auth/me': () => jsonResponse(200, staffMe('manager')) });
    renderApp('/staff');
    const nav = await screen.findByRole('navigation', { name: 'Main navigation' });
    expect(within(nav).getByRole('link', { name: 'Applications' })).toHaveAttribute('href', '/staff/board');
    expect(within(nav).getByRole('link', { name: 'Locations' })).toHaveAttribute('href', '/staff/locations');
    const links = screen.getByRole('region', { name: 'Go to' });
    expect(within(links).getByRole('link', { name: /Applications board/ })).toBeInTheDocument();
  });

  it('shows a floor manager the board but not the locations', async () => {
    mockApi({ 'GET /api/auth/me': () => jsonResponse(200, staffMe('floor_manager')) });
    renderApp('/staff');
    const nav = await screen.findByRole('navigation', { name: 'Main navigation' });
    expect(within(nav).getByRole('link', { name: 'Applications' })).toBeInTheDocument();
    expect(within(nav).queryByRole('link', { name: 'Locations' })).not.toBeInTheDocument();
  });
});
